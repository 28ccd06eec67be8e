import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { isCoordinator, requirePlanAccess, speaksForPatient } from '$lib/server/access/guards';
import { loadPlanHeader } from '$lib/server/plans/header';
import { loadLifecycle } from '$lib/server/plans/lifecycle-view';
import { actorToData } from '$lib/plan/rights';

/**
 * Every page of a plan: the person's access (403 without a live seat and consent) and the plan's header. The
 * pages under it (the plan, the group, consent, the access log) get both from here.
 */
export const load: LayoutServerLoad = async (event) => {
	const planId = event.params.id;
	const { user, access } = await requirePlanAccess(event, planId);
	const header = await loadPlanHeader(event.locals.db, planId);
	if (!header) error(404, 'not found');
	const coordinates = isCoordinator(access, user);
	return {
		header,
		// What the coordinator needs to move the plan on: missing items, warnings, the status changes open now.
		lifecycle: coordinates ? await loadLifecycle(event.locals.db, planId, header.status) : null,
		planAccess: {
			docs: access.docs,
			scopes: [...access.scopes],
			roles: [...access.roles],
			// The rights inside the plan are decided by this (`plan/rights.ts`): writing seats only.
			actor: actorToData(access.actor),
			role: access.role,
			seatAccess: access.seat.access,
			isCoordinator: coordinates,
			speaksForPatient: speaksForPatient(access)
		}
	};
};
