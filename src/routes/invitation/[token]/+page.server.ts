import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { acceptInvitation, newPasswordProblem, openInvitation } from '$lib/server/group/invitations';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password-policy';
import { createSession, invalidateSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages';

/**
 * A single-use invitation link: the invited person sets a password and is logged in. Expired, used and unknown
 * links all get the same plain message, so a link reveals nothing about whom it was for once it is dead.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const invitation = await openInvitation(locals.db, params.token);
	if (!invitation) return { valid: false as const };
	return { valid: true as const, name: invitation.name, email: invitation.email, minLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const password = String(form.get('password') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		const problem = newPasswordProblem(password, confirm);
		if (problem) {
			const message =
				problem === 'short'
					? m.account_password_short({ min: MIN_PASSWORD_LENGTH })
					: problem === 'long'
						? m.invitation_password_long()
						: m.account_password_mismatch();
			return fail(400, { field: problem === 'mismatch' ? 'confirm' : 'password', message });
		}
		const db = event.locals.db;
		const accepted = await acceptInvitation(db, { token: event.params.token, password });
		if (!accepted) return fail(410, { invalid: true });

		// Whoever was logged in on this browser before is logged out: the browser now belongs to the invited person.
		if (event.locals.session) await invalidateSession(db, event.locals.session.id);
		const { token } = await createSession(db, accepted.userId);
		setSessionCookie(event.cookies, token, event.url);
		await recordAudit(db, {
			actorId: accepted.userId,
			action: 'auth.invitation_accepted',
			planId: accepted.planId,
			target: accepted.invitationId
		});
		redirect(303, '/');
	}
};
