import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attemptLogin } from '$lib/server/auth/login';
import { createSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		// Keep what was typed (never the password) so nothing has to be written twice.
		if (!email || !password || email.length > 320 || password.length > 1024) return fail(400, { email, message: m.login_missing() });

		const db = event.locals.db;
		const result = await attemptLogin(db, { email, password, ip: event.getClientAddress() });
		if (!result.ok) {
			await recordAudit(db, { actorId: null, action: 'auth.login_failed', detail: { reason: result.reason } });
			if (result.reason === 'throttled') {
				return fail(429, { email, message: m.login_throttled({ minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }) });
			}
			return fail(400, { email, message: m.login_invalid() });
		}
		const { token } = await createSession(db, result.userId);
		setSessionCookie(event.cookies, token, event.url);
		await recordAudit(db, { actorId: result.userId, action: 'auth.login' });
		redirect(303, '/');
	}
};
