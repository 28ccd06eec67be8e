import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { mayReadPlanLog } from '$lib/server/audit/log-rights';
import { collapseVisits, planLog } from '$lib/server/audit/views';

/** "Hvem har sett planen min": the plan's log in plain words, newest first. Reading it is itself logged. */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const db = event.locals.db;
	const { user, access } = await requirePlanAccess(event, planId);
	if (!mayReadPlanLog(access, user)) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId, detail: { page: 'access-log' } });
		error(403, 'forbidden');
	}
	const { header } = await event.parent();
	const page = Math.max(1, Math.min(10_000, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1));
	const log = await planLog(db, planId, { page });
	await recordAudit(db, { actorId: user.id, action: 'access_log.read', planId, detail: { page } });
	return {
		own: access.roles.has('patient'),
		patientName: header.patient.name,
		viewerId: user.id,
		entries: collapseVisits(log.events).map(({ detail: _detail, ...entry }) => entry),
		page: log.page,
		hasMore: log.hasMore
	};
};
