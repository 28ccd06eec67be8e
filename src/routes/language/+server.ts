import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isLocale } from '$lib/paraglide/runtime';
import { safeLocalPath } from '$lib/server/http/safe-local-path';
import { rememberLanguage, setLanguageCookie } from '$lib/server/i18n/language';

/** Switching language works without JavaScript: a form posts here and comes back to the same page. */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	if (isLocale(locale)) {
		setLanguageCookie(cookies, locale);
		if (locals.user) await rememberLanguage(locals.db, locals.user.id, locale);
	}
	// Only a path on this site: never an open redirect.
	redirect(303, safeLocalPath(form.get('redirectTo')));
};
