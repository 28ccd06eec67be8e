import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { openNotice } from '$lib/server/notify';

/**
 * The link in an e-mail or SMS, and each item of the list: marks the notice read and goes to its place in the plan.
 * Someone else's notice, or one the person may no longer see, leads back to the list.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const to = await openNotice(event.locals.db, user.id, event.params.id);
	redirect(303, to ?? '/varsler');
};
