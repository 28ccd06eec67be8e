import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attemptLogin, auditLogin } from '$lib/server/auth/login';
import { DEVICE_COOKIE, readDeviceToken, setDeviceCookie } from '$lib/server/auth/device';
import { createSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { applyRememberedLanguage } from '$lib/server/i18n/language';
import { waitMessage } from '$lib/i18n/wait';
import { safeLocalPath } from '$lib/server/http/safe-local-path';
import { m } from '$lib/paraglide/messages';

/** Where to go after logging in: the page that sent the person here, if it is one of ours. */
const nextPath = (value: unknown) => safeLocalPath(value, '/');

export const load: PageServerLoad = ({ locals, url }) => {
	const next = nextPath(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		// Keep what was typed (never the password) so nothing has to be written twice.
		if (!email || !password || email.length > 320 || password.length > 1024)
			return fail(400, { email, message: m.login_missing() });

		const db = event.locals.db;
		const deviceToken = readDeviceToken(event.cookies.get(DEVICE_COOKIE));
		const result = await attemptLogin(db, { email, password, ip: event.getClientAddress(), deviceToken });
		await auditLogin(db, result);
		if (!result.ok && result.reason === 'throttled') {
			const { retryAfterSeconds } = result;
			event.setHeaders({ 'retry-after': String(retryAfterSeconds) });
			return fail(429, { email, message: waitMessage(retryAfterSeconds), retryAfterSeconds });
		}
		if (!result.ok) return fail(400, { email, message: m.login_invalid() });

		const { token } = await createSession(db, result.userId);
		setSessionCookie(event.cookies, token, event.url);
		setDeviceCookie(event.cookies, result.deviceToken, event.url);
		await applyRememberedLanguage(db, result.userId, event.cookies);
		redirect(303, nextPath(form.get('next')));
	}
};
