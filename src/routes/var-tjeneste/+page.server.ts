import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { auditTaskRead, planIdsOf, serviceTasks } from '$lib/server/projections';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const lists = await serviceTasks(event.locals.db, user.id);
	await auditTaskRead(event.locals.db, user.id, 'service', planIdsOf(lists.owned), 'page');
	return lists;
};
