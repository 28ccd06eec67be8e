/**
 * Retention: a closed plan is kept `retentionYears` after it closed, then deleted, but only once the archive has
 * receipted its last adopted version (or, for a plan never adopted, the plan as it stood when it closed). A plan
 * without that receipt is kept, and the administrator sees why. Each deletion is recorded in the audit log, and the
 * delivery row with the archive's receipt stays as the proof of where the plan went.
 */
import { and, eq, inArray, isNotNull, lte, or, sql, gte } from 'drizzle-orm';
import type { Db } from '../db';
import {
	archiveDeliveries,
	docSnapshots,
	docUpdates,
	meetings,
	plans,
	projectedGoals,
	projectedMeasures,
	projectionState
} from '../db/schema';
import { DOC_KINDS, DOC_PREFIX, meetingDocName, MEETING_DOC_PREFIX } from '../../plan/schema';
import { recordAudit } from '../audit';
import type { CollabServer } from '../collab';
import type { CollabLogger } from '../collab/types';
import { latestVersion } from './deliveries';

/** Why a closed plan past its period is still here. */
export type KeptReason = 'no_delivery' | 'pending' | 'failed';

export interface RetentionCandidate {
	planId: string;
	closedAt: Date;
	/** The delivery with the archive's receipt that lets the plan go; null: kept, for `kept`. */
	receiptDeliveryId: string | null;
	kept: KeptReason | null;
}

/** The instant `years` before `now`: plans closed at or before it are due. */
export function retentionCutoff(now: Date, years: number): Date {
	const cutoff = new Date(now);
	cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
	return cutoff;
}

/** Every closed plan past its retention period, each with the receipt that lets it go or the reason it is kept. */
export async function retentionCandidates(db: Db, now: Date, years: number): Promise<RetentionCandidate[]> {
	const due = await db
		.select({ id: plans.id, closedAt: plans.closedAt })
		.from(plans)
		.where(and(eq(plans.status, 'closed'), isNotNull(plans.closedAt), lte(plans.closedAt, retentionCutoff(now, years))))
		.orderBy(plans.closedAt);
	const out: RetentionCandidate[] = [];
	for (const plan of due) {
		const closedAt = plan.closedAt!;
		const version = await latestVersion(db, plan.id);
		// The last adopted version; a plan never adopted: the plan as it stood, delivered once it was closed.
		const covering = version
			? eq(archiveDeliveries.versionId, version.id)
			: and(sql`${archiveDeliveries.versionId} is null`, gte(archiveDeliveries.createdAt, closedAt));
		const deliveries = await db
			.select({ id: archiveDeliveries.id, state: archiveDeliveries.state, receipt: archiveDeliveries.receipt })
			.from(archiveDeliveries)
			.where(and(eq(archiveDeliveries.planId, plan.id), covering));
		const receipted = deliveries.find((d) => d.state === 'delivered' && d.receipt);
		const kept: KeptReason | null = receipted
			? null
			: deliveries.some((d) => d.state === 'pending')
				? 'pending'
				: deliveries.some((d) => d.state === 'failed')
					? 'failed'
					: 'no_delivery';
		out.push({ planId: plan.id, closedAt, receiptDeliveryId: receipted?.id ?? null, kept });
	}
	return out;
}

const planDocNames = (planId: string) => DOC_KINDS.map((k) => DOC_PREFIX[k] + planId);

/**
 * Deletes a plan and everything that is only about it, in one transaction: its documents and their history, its
 * projections, and the plan row (its seats, consents, meetings, versions, contacts, applications and notices go
 * with it). The audit log (ids only, append-only) and the archive deliveries stay.
 */
export async function deletePlan(db: Db, planId: string): Promise<void> {
	await db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		const meetingIds = (await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.planId, planId))).map(
			(r) => r.id
		);
		const docNames = [...planDocNames(planId), ...meetingIds.map(meetingDocName)];
		await tx.delete(docUpdates).where(inArray(docUpdates.docName, docNames));
		await tx.delete(docSnapshots).where(inArray(docSnapshots.docName, docNames));
		await tx.delete(projectionState).where(inArray(projectionState.docName, docNames));
		await tx.delete(projectedMeasures).where(eq(projectedMeasures.planId, planId));
		await tx.delete(projectedGoals).where(eq(projectedGoals.planId, planId));
		await tx.delete(plans).where(eq(plans.id, planId));
	});
}

/**
 * A node that still held a deleted plan's document in memory saves a snapshot of it when it unloads it. Such a
 * snapshot belongs to no plan (or meeting) any more: it is removed on the next pass.
 */
async function removeOrphanSnapshots(db: Db): Promise<number> {
	const planDocs = or(...DOC_KINDS.map((k) => sql`${docSnapshots.docName} like ${DOC_PREFIX[k] + '%'}`));
	const orphans = await db
		.select({ docName: docSnapshots.docName })
		.from(docSnapshots)
		.where(
			or(
				and(
					planDocs,
					sql`not exists (select 1 from ${plans} where ${plans.id} = split_part(${docSnapshots.docName}, ':', 2))`
				),
				and(
					sql`${docSnapshots.docName} like ${MEETING_DOC_PREFIX + '%'}`,
					sql`not exists (select 1 from ${meetings} where ${meetings.id} = split_part(${docSnapshots.docName}, ':', 2))`
				)
			)
		);
	if (orphans.length === 0) return 0;
	await db.delete(docSnapshots).where(
		inArray(
			docSnapshots.docName,
			orphans.map((o) => o.docName)
		)
	);
	return orphans.length;
}

export interface RetentionDeps {
	db: Db;
	log: CollabLogger;
	retentionYears: number;
	/** Closes live connections to a deleted plan at once. */
	collab?: Pick<CollabServer, 'revalidate'>;
}

/** One retention pass: deletes every due plan the archive has receipted, records each, and keeps the rest. */
export async function runRetention(deps: RetentionDeps, now: Date): Promise<{ deleted: string[]; kept: number }> {
	const deleted: string[] = [];
	let kept = 0;
	for (const c of await retentionCandidates(deps.db, now, deps.retentionYears)) {
		if (!c.receiptDeliveryId) {
			kept++;
			continue;
		}
		await deletePlan(deps.db, c.planId);
		await recordAudit(deps.db, {
			actorId: null,
			action: 'plan.deleted',
			planId: c.planId,
			target: c.receiptDeliveryId,
			detail: {
				reason: 'retention',
				closedAt: c.closedAt.toISOString(),
				retentionYears: deps.retentionYears,
				deliveryId: c.receiptDeliveryId
			}
		});
		await deps.collab?.revalidate({ planId: c.planId });
		deps.log.info({ plan: c.planId, delivery: c.receiptDeliveryId }, 'archive: plan deleted after retention');
		deleted.push(c.planId);
	}
	const orphans = await removeOrphanSnapshots(deps.db);
	if (kept || orphans)
		deps.log.info({ kept, orphanSnapshots: orphans }, 'archive: retention kept plans without a receipt');
	return { deleted, kept };
}
