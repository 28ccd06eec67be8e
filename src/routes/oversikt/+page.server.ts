import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { auditTaskRead, coordinatorOverview } from '$lib/server/projections';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const overview = await coordinatorOverview(event.locals.db, user.id);
	await auditTaskRead(event.locals.db, user.id, 'coordinator', overview.planIds, 'page');
	return { ...overview, planCount: overview.planIds.length };
};
