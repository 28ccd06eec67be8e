import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { cookieName, cookieMaxAge, isLocale } from '$lib/paraglide/runtime';
import { safeLocalPath } from '$lib/server/http/safe-local-path';

/** Switching language works without JavaScript: a form posts here and comes back to the same page. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	if (isLocale(locale)) cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false });
	// Only a path on this site: never an open redirect.
	redirect(303, safeLocalPath(form.get('redirectTo')));
};
