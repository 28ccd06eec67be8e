import type { RequestEvent, RequestHandler } from './$types';
import { getMembers, postMember, type MembersApiContext } from '$lib/server/group/members-api';
import { getMailer } from '$lib/server/mail/mailer';
import { getRuntime } from '$lib/server/runtime';

/** The group as JSON, and adding or inviting a member by e-mail (the logic lives in `members-api.ts`). */
const context = (event: RequestEvent): MembersApiContext => ({
	db: event.locals.db,
	user: event.locals.user,
	planId: event.params.id,
	origin: event.url.origin,
	mailer: getMailer(),
	revalidate: async (filter) => (await getRuntime()).collab.revalidate(filter)
});

export const GET: RequestHandler = (event) => getMembers(context(event));

export const POST: RequestHandler = (event) => postMember(context(event), event.request);
