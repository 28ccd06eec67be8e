import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { listPlansForUser } from '$lib/server/access/plans';
import { recordAudit } from '$lib/server/audit';

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return json({ error: 'unauthenticated', message: 'Not logged in.' }, { status: 401 });
	const plans = await listPlansForUser(locals.db, locals.user.id);
	await recordAudit(locals.db, { actorId: locals.user.id, action: 'plan.list', detail: { count: plans.length } });
	return json(plans);
};
