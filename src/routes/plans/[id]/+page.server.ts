import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { seatInPlan } from '$lib/server/access/plans';
import { loadPlanHeader } from '$lib/server/plans/header';
import { recordAudit } from '$lib/server/audit';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const planId = event.params.id;
	const seat = await seatInPlan(db, user.id, planId);
	if (!seat) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId });
		// The same answer for "no such plan" and "not yours": existence is not revealed.
		error(403, 'forbidden');
	}
	const header = await loadPlanHeader(db, planId);
	if (!header) error(404, 'not found');
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId });
	return { header, seat };
};
