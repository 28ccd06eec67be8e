import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { cookieName, cookieMaxAge, isLocale } from '$lib/paraglide/runtime';

/** Switching language works without JavaScript: a form posts here and comes back to the same page. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const back = String(form.get('redirectTo') ?? '/');
	if (isLocale(locale)) cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false });
	// Only a local path: never an open redirect.
	redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
};
