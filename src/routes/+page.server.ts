import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { listPlansForUser } from '$lib/server/access/plans';
import { recordAudit } from '$lib/server/audit';
import { planStarter } from '$lib/server/plans/starters';
import { coordinatorWarnings } from '$lib/server/plans/warnings';
import { pendingRoleOffers } from '$lib/server/group/role-offers';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const [plans, starter, coordinated, roleOffers] = await Promise.all([
		listPlansForUser(db, user.id),
		planStarter(db, user),
		coordinatorWarnings(db, user.id),
		pendingRoleOffers(db, user.id)
	]);
	await recordAudit(db, { actorId: user.id, action: 'plan.list', detail: { count: plans.length } });
	// The coordinator's warnings, by plan: only for plans they coordinate and still see.
	const warnings = Object.fromEntries(
		coordinated.filter((c) => c.warnings.length > 0 && plans.some((p) => p.id === c.id)).map((c) => [c.id, c.warnings])
	);
	return { plans, kind: user.kind, canStartPlans: starter.allowed, warnings, roleOffers };
};
