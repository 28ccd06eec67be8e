/**
 * Deliveries as rows: queuing one (with its job, in one transaction), listing them for the administrator, and
 * trying a failed one again. The job that renders and sends a delivery is in `deliver.ts`.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { archiveDeliveries, planVersions } from '../db/schema';
import { enqueue, retryFailed } from '../jobs/queue';
import type { ArchiveReason } from '../../vocabulary';

export const DELIVER_JOB = 'archive.deliver';
export const RETENTION_JOB = 'archive.retention';
export const ARCHIVE_JOB_TYPES = [DELIVER_JOB, RETENTION_JOB] as const;

/** Tries before a delivery counts as failed and waits for the administrator (with backoff: about a day). */
export const DELIVERY_ATTEMPTS = 10;

export type ArchiveDelivery = typeof archiveDeliveries.$inferSelect;

const jobKey = (deliveryId: string) => `${DELIVER_JOB}:${deliveryId}`;

export interface QueueDelivery {
	planId: string;
	reason: ArchiveReason;
	requestedBy: string | null;
	/** The adopted version and the meeting that adopted it; left out: the plan's latest adopted version, if any. */
	version?: { id: string; meetingId: string | null };
	now?: Date;
}

/** The plan's latest adopted version, or null when no meeting has adopted one. */
export async function latestVersion(db: Db, planId: string): Promise<{ id: string; meetingId: string | null } | null> {
	const [row] = await db
		.select({ id: planVersions.id, meetingId: planVersions.meetingId })
		.from(planVersions)
		.where(eq(planVersions.planId, planId))
		.orderBy(desc(planVersions.adoptedAt), desc(planVersions.id))
		.limit(1);
	return row ?? null;
}

/** Queues a delivery and its job together: a delivery is never recorded without the job that sends it. */
export async function queueDelivery(db: Db, input: QueueDelivery): Promise<ArchiveDelivery> {
	const now = input.now ?? new Date();
	return db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		const version = input.version ?? (await latestVersion(tx, input.planId));
		const [delivery] = await tx
			.insert(archiveDeliveries)
			.values({
				planId: input.planId,
				reason: input.reason,
				versionId: version?.id ?? null,
				meetingId: version?.meetingId ?? null,
				requestedBy: input.requestedBy,
				createdAt: now
			})
			.returning();
		await enqueue(
			tx,
			[
				{
					type: DELIVER_JOB,
					dedupeKey: jobKey(delivery.id),
					payload: { deliveryId: delivery.id },
					maxAttempts: DELIVERY_ATTEMPTS
				}
			],
			now
		);
		return delivery;
	});
}

/** A delivery's folder or message name: when it was queued and its id. Never a name or a national id. */
export function deliveryName(delivery: Pick<ArchiveDelivery, 'id' | 'createdAt'>): string {
	const stamp = delivery.createdAt
		.toISOString()
		.replace(/\.\d+Z$/, '')
		.replace(/[-:]/g, '')
		.replace('T', '-');
	return `fellesplan-${stamp}-${delivery.id}`;
}

export async function deliveryOf(db: Db, id: string): Promise<ArchiveDelivery | null> {
	const [row] = await db.select().from(archiveDeliveries).where(eq(archiveDeliveries.id, id));
	return row ?? null;
}

/** A plan's deliveries, newest first. */
export function planDeliveries(db: Db, planId: string): Promise<ArchiveDelivery[]> {
	return db
		.select()
		.from(archiveDeliveries)
		.where(eq(archiveDeliveries.planId, planId))
		.orderBy(desc(archiveDeliveries.createdAt));
}

/** The administrator's lists: every delivery without a receipt (waiting or failed), and the latest ones. */
export async function deliveryOverview(
	db: Db,
	limit = 50
): Promise<{ unreceipted: ArchiveDelivery[]; recent: ArchiveDelivery[] }> {
	const [unreceipted, recent] = await Promise.all([
		db
			.select()
			.from(archiveDeliveries)
			.where(inArray(archiveDeliveries.state, ['pending', 'failed']))
			.orderBy(desc(archiveDeliveries.createdAt))
			.limit(limit),
		db.select().from(archiveDeliveries).orderBy(desc(archiveDeliveries.createdAt)).limit(limit)
	]);
	return { unreceipted, recent };
}

/** The administrator tries a failed delivery again, from a fresh count of attempts. False: it had not failed. */
export async function retryDelivery(db: Db, id: string, now = new Date()): Promise<boolean> {
	return db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		const rows = await tx
			.update(archiveDeliveries)
			.set({ state: 'pending', attempts: 0 })
			.where(and(eq(archiveDeliveries.id, id), eq(archiveDeliveries.state, 'failed')))
			.returning({ id: archiveDeliveries.id });
		if (rows.length === 0) return false;
		if (!(await retryFailed(tx, { dedupeKey: jobKey(id) }, [DELIVER_JOB], now)))
			// The job was pruned or never ran to failure: queue it afresh.
			await enqueue(
				tx,
				[
					{
						type: DELIVER_JOB,
						dedupeKey: `${jobKey(id)}:${now.getTime()}`,
						payload: { deliveryId: id },
						maxAttempts: DELIVERY_ATTEMPTS
					}
				],
				now
			);
		return true;
	});
}
