import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { listPlansForUser } from '$lib/server/access/plans';
import { recordAudit } from '$lib/server/audit';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const plans = await listPlansForUser(event.locals.db, user.id);
	await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.list', detail: { count: plans.length } });
	return { plans, kind: user.kind };
};
