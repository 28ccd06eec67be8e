import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/access/guards';
import { asTask, auditTaskRead, isTaskScope, tasksFor, TASK_SCOPES } from '$lib/server/projections';

/**
 * `GET /api/tasks?scope=mine|service|coordinator` → `[{ planId, measureId, title, serviceId, personId, status,
 * dueDate }]`: the same rows as /mine-oppgaver, /var-tjeneste and /oversikt, checked against seats and consent now.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	const scope = url.searchParams.get('scope');
	if (!isTaskScope(scope)) {
		return json(
			{ error: 'bad_request', message: `"scope" must be one of: ${TASK_SCOPES.join(', ')}.`, field: 'scope' },
			{ status: 400 }
		);
	}
	const { tasks, planIds } = await tasksFor(locals.db, user.id, scope);
	await auditTaskRead(locals.db, user.id, scope, planIds, 'api');
	return json(tasks.map(asTask));
};
