import { fail } from '@sveltejs/kit';
import { and, desc, eq } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';
import { readConfig } from '$lib/server/config';
import { auditEvents, plans } from '$lib/server/db/schema';
import { deliveryOverview, queueDelivery, retentionCandidates, retryDelivery } from '$lib/server/archive';
import { getRuntime } from '$lib/server/runtime';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The archive for the administrator: deliveries without a receipt (waiting or failed, with a retry), the latest
 * ones with the archive's references, the closed plans past their retention period that are kept and why, and the
 * plans deleted. Ids, codes and dates only: no plan content, no names.
 */
export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const db = event.locals.db;
	const now = new Date();
	const { retentionYears } = readConfig();
	const [overview, candidates, deleted] = await Promise.all([
		deliveryOverview(db),
		retentionCandidates(db, now, retentionYears),
		db
			.select({ planId: auditEvents.planId, at: auditEvents.at, deliveryId: auditEvents.target })
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.deleted')))
			.orderBy(desc(auditEvents.id))
			.limit(50)
	]);
	const row = (d: (typeof overview.recent)[number]) => ({
		id: d.id,
		planId: d.planId,
		reason: d.reason,
		adopted: d.versionId !== null,
		state: d.state,
		attempts: d.attempts,
		lastError: d.lastError ?? '',
		reference: d.receipt?.reference ?? '',
		createdAt: d.createdAt,
		deliveredAt: d.deliveredAt
	});
	return {
		retentionYears,
		unreceipted: overview.unreceipted.map(row),
		recent: overview.recent.map(row),
		kept: candidates.filter((c) => c.kept).map((c) => ({ planId: c.planId, closedAt: c.closedAt, kept: c.kept! })),
		deleted
	};
};

export const actions: Actions = {
	retry: async (event) => {
		requireAdmin(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!ID.test(id)) return fail(400, { field: 'id' });
		if (!(await retryDelivery(event.locals.db, id))) return fail(404, { field: 'id' });
		(await getRuntime()).jobs?.wake();
		return { retried: id };
	},

	deliver: async (event) => {
		const admin = requireAdmin(event);
		const planId = String((await event.request.formData()).get('planId') ?? '');
		if (!ID.test(planId)) return fail(400, { field: 'planId' });
		const db = event.locals.db;
		const [plan] = await db.select({ id: plans.id }).from(plans).where(eq(plans.id, planId)).limit(1);
		if (!plan) return fail(404, { field: 'planId' });
		const delivery = await queueDelivery(db, { planId, reason: 'requested', requestedBy: admin.id });
		await recordAudit(db, {
			actorId: admin.id,
			action: 'archive.requested',
			planId,
			target: delivery.id,
			detail: { versionId: delivery.versionId, via: 'admin' }
		});
		(await getRuntime()).jobs?.wake();
		return { queued: delivery.id };
	}
};
