import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { apiError, planApiAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { plans } from '$lib/server/db/schema';
import { planDeliveries, queueDelivery, type ArchiveDelivery } from '$lib/server/archive';
import { getRuntime } from '$lib/server/runtime';

/** Only an administrator sends a plan to the archive by hand (a re-send after an outage, before a handover). */
const adminOnly = (_: unknown, user: { isAdmin: boolean }) => user.isAdmin;

const view = (d: ArchiveDelivery) => ({
	id: d.id,
	reason: d.reason,
	versionId: d.versionId,
	adopted: d.versionId !== null,
	state: d.state,
	attempts: d.attempts,
	lastError: d.lastError,
	files: d.files?.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })) ?? null,
	receipt: d.receipt,
	createdAt: d.createdAt.toISOString(),
	deliveredAt: d.deliveredAt?.toISOString() ?? null
});

async function planExists(event: Parameters<RequestHandler>[0], planId: string): Promise<boolean> {
	const [plan] = await event.locals.db.select({ id: plans.id }).from(plans).where(eq(plans.id, planId)).limit(1);
	return !!plan;
}

/**
 * `POST /api/plans/<id>/archive` — an administrator delivers the plan to the municipality's archive now: its latest
 * adopted version, or, when no meeting has adopted one, the plan as it stands, marked as not adopted. 202 with the
 * delivery (`state: "pending"`); it appears in the archive folder or adapter within seconds. Logged.
 */
export const POST: RequestHandler = async (event) => {
	const planId = event.params.id;
	const allowed = await planApiAccess(event, planId, adminOnly);
	if (allowed instanceof Response) return allowed;
	if (!(await planExists(event, planId))) return apiError(404, 'not_found', 'No such plan.');
	const delivery = await queueDelivery(event.locals.db, { planId, reason: 'requested', requestedBy: allowed.user.id });
	await recordAudit(event.locals.db, {
		actorId: allowed.user.id,
		action: 'archive.requested',
		planId,
		target: delivery.id,
		detail: { versionId: delivery.versionId, via: 'api' }
	});
	(await getRuntime()).jobs?.wake();
	return json(view(delivery), {
		status: 202,
		headers: { Location: `/api/plans/${planId}/archive` }
	});
};

/** `GET /api/plans/<id>/archive` — an administrator: the plan's deliveries, newest first, with state and receipt. */
export const GET: RequestHandler = async (event) => {
	const planId = event.params.id;
	const allowed = await planApiAccess(event, planId, adminOnly);
	if (allowed instanceof Response) return allowed;
	const deliveries = await planDeliveries(event.locals.db, planId);
	if (deliveries.length === 0 && !(await planExists(event, planId))) return apiError(404, 'not_found', 'No such plan.');
	return json(deliveries.map(view));
};
