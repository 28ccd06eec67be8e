import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { apiError, planApiAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { mayReadPlanLog } from '$lib/server/audit/log-rights';
import { planLog } from '$lib/server/audit/views';
import { plans } from '$lib/server/db/schema';
import { logWhat } from '$lib/i18n/access-log';

const PAGE_SIZE = 100;

/**
 * `GET /api/plans/<id>/access-log[?page=N]` — the patient, a guardian, the coordinator or an administrator:
 * `[{ "at", "actor": { "id", "name", "service" } | null, "action", "what" }]`, newest first, 100 a page. `what`
 * names the parts or the person concerned in the reader's language. Reading it is logged.
 */
export const GET: RequestHandler = async (event) => {
	const planId = event.params.id;
	const allowed = await planApiAccess(event, planId, mayReadPlanLog);
	if (allowed instanceof Response) return allowed;
	const db = event.locals.db;
	// An administrator passes without a seat: a plan that does not exist is a 404 for them.
	const [plan] = await db.select({ id: plans.id }).from(plans).where(eq(plans.id, planId)).limit(1);
	if (!plan) return apiError(404, 'not_found', 'No such plan.');
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
	if (page === null) return apiError(400, 'bad_request', '"page" must be a whole number from 1.');
	const log = await planLog(db, planId, { page, pageSize: PAGE_SIZE });
	await recordAudit(db, { actorId: allowed.user.id, action: 'access_log.read', planId, detail: { page, via: 'api' } });
	return json(
		log.events.map((e) => ({
			at: e.at.toISOString(),
			actor: e.actor ? { id: e.actor.id, name: e.actor.name, service: e.actor.serviceName } : null,
			action: e.action,
			what: logWhat(e)
		})),
		{ headers: log.hasMore ? { Link: `</api/plans/${planId}/access-log?page=${page + 1}>; rel="next"` } : {} }
	);
};
