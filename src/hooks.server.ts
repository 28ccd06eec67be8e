import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { requestLocale } from '$lib/i18n/request-locale';
import { getRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { log } from '$lib/server/log';
import { isWallKeepAlivePath } from '$lib/server/meetings/wall';
import { apiWriteAllowed } from '$lib/server/http/api-origin';
import { json } from '@sveltejs/kit';

export const init: ServerInit = async () => {
	await getRuntime();
};

// Paraglide asks custom strategies before its own cookie strategy, so this one reads the person's pick itself.
defineCustomServerStrategy('custom-norwegian', {
	getLocale: (request) =>
		request ? requestLocale(request.headers.get('cookie'), request.headers.get('accept-language')) : undefined
});

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) });
	});

const session: Handle = async ({ event, resolve }) => {
	const runtime = await getRuntime();
	event.locals.db = runtime.database.db;
	event.locals.engine = runtime.database.engine;
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		// The wall screen's keep-alive is not activity: it refreshes the session only by its own rule (meetings/wall.ts).
		const touch = !isWallKeepAlivePath(event.url.pathname);
		const valid = await validateSessionToken(event.locals.db, token, runtime.config.sessionIdleMinutes * 60_000, touch);
		if (valid) {
			event.locals.user = valid.user;
			event.locals.session = valid.session;
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('X-Frame-Options', 'DENY');
	// same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts and CSRF checks fail.
	h.set('Referrer-Policy', 'same-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	h.set('Cross-Origin-Resource-Policy', 'same-origin');
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	// Health data: never cached by browsers or proxies, except the hashed build assets.
	if (!event.url.pathname.startsWith('/_app/immutable/')) h.set('Cache-Control', 'no-store');
	// Logging out deletes the offline copies (the crisis page in Cache Storage, the plans in IndexedDB): they are
	// health data on this device. Set here because a form action's redirect carries no `setHeaders`; the page's
	// script and the service worker delete them too, this covers a logout from a page without script.
	if (event.request.method === 'POST' && event.url.pathname === '/logout')
		h.set('Clear-Site-Data', '"cache", "storage"');
	// The route id, not the URL: ids only, no query strings.
	log.info(
		{
			method: event.request.method,
			route: event.route.id,
			status: response.status,
			ms: Math.round(performance.now() - started)
		},
		'request'
	);
	return response;
};

/** JSON writes to /api get the Origin check SvelteKit gives form posts. */
const apiOrigin: Handle = ({ event, resolve }) => {
	if (!apiWriteAllowed(event.request, event.url))
		return json(
			{ error: 'forbidden', message: 'Cross-site write refused: the Origin header must be this site.' },
			{ status: 403 }
		);
	return resolve(event);
};

export const handle = sequence(securityHeaders, apiOrigin, i18n, session);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = crypto.randomUUID();
	if (status >= 500) {
		// The `err` serializer keeps no parameters: messages of driver errors can quote query parameters.
		log.error({ errorId: id, route: event.route.id, status, err: error }, 'unhandled error');
	}
	return { message: 'internal', id };
};
