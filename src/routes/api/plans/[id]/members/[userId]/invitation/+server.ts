import type { RequestHandler } from './$types';
import { postInvitation } from '$lib/server/group/members-api';
import { getMailer } from '$lib/server/mail/mailer';

/** A new invitation link for a member without a password (the logic lives in `members-api.ts`). */
export const POST: RequestHandler = (event) =>
	postInvitation(
		{
			db: event.locals.db,
			user: event.locals.user,
			planId: event.params.id,
			origin: event.url.origin,
			mailer: getMailer(),
			// A link changes no one's access: nothing to revalidate.
			revalidate: async () => {}
		},
		event.params.userId
	);
