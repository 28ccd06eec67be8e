import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { answerRoleOffer, pendingRoleOffers } from '$lib/server/group/role-offers';
import { GroupError } from '$lib/server/group/errors';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';

/**
 * Offers to take over as coordinator, waiting for this person's answer. The successor may not see the plan yet
 * (no seat, no consent), so the answer lives here, outside the plan's pages; the group page and the home page
 * show the same offers with forms that post here.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		offers: await pendingRoleOffers(event.locals.db, user.id),
		declined: event.url.searchParams.get('offer') === 'declined'
	};
};

async function answer(event: RequestEvent, accept: boolean) {
	const user = requireUser(event);
	const db = event.locals.db;
	const offerId = String((await event.request.formData()).get('offerId') ?? '');
	let result;
	try {
		result = await answerRoleOffer(db, { offerId, userId: user.id, accept });
	} catch (e) {
		if (e instanceof GroupError) return fail(409, { offerGone: true });
		throw e;
	}
	await recordAudit(db, {
		actorId: user.id,
		action: 'role.answered',
		planId: result.planId,
		target: offerId,
		detail: {
			accepted: result.accepted,
			oldSeat: result.oldSeat,
			endedSeats: result.endedSeats,
			newSeats: result.newSeats
		}
	});
	// Accepted, the outgoing coordinator may have lost the plan: open connections are checked at once.
	await (await getRuntime()).collab.revalidate({ planId: result.planId });
	if (!accept) redirect(303, '/role-offers?offer=declined');
	redirect(303, `/plans/${result.planId}/group?offer=accepted`);
}

export const actions: Actions = {
	accept: (event) => answer(event, true),
	decline: (event) => answer(event, false)
};
