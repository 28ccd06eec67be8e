import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { auditTaskRead, myTasks, planIdsOf } from '$lib/server/projections';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const tasks = await myTasks(event.locals.db, user.id);
	await auditTaskRead(event.locals.db, user.id, 'mine', planIdsOf(tasks), 'page');
	return { tasks };
};
