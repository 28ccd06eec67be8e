import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

/** Logging out is a POST (a link or an image must not be able to end someone's session). */
export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) {
			await invalidateSession(locals.db, locals.session.id);
			// Open plan connections of this session close at once (4401), not at their next reconnect.
			(await getRuntime()).collab.endSession(locals.session.id);
			await recordAudit(locals.db, { actorId: locals.session.userId, action: 'auth.logout' });
		}
		clearSessionCookie(cookies, url);
		// The answer also tells the browser to delete the offline copies (hooks.server.ts: Clear-Site-Data).
		redirect(303, '/login');
	}
};
