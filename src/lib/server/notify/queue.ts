import { and, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { notifyJobs } from '../db/schema';

/** What the queue runs: a notice to create, a message to send, the daily digest, the periodic sweep. */
export type JobType = 'notice' | 'email' | 'sms' | 'digest' | 'sweep';
export type Job = typeof notifyJobs.$inferSelect;

export interface EnqueueJob {
	type: JobType;
	/** Once per key, whichever node or however often it is enqueued. */
	dedupeKey: string;
	/** Ids only. */
	payload: Record<string, unknown>;
	runAt?: Date;
	maxAttempts?: number;
}

/** Adds jobs; a key already queued (or done) is left alone. Returns how many were new. */
export async function enqueue(db: Db, jobs: EnqueueJob[], now = new Date()): Promise<number> {
	if (jobs.length === 0) return 0;
	const rows = await db
		.insert(notifyJobs)
		.values(
			jobs.map((j) => ({
				type: j.type,
				dedupeKey: j.dedupeKey,
				payload: j.payload,
				runAt: j.runAt ?? now,
				maxAttempts: j.maxAttempts ?? 6,
				createdAt: now
			}))
		)
		.onConflictDoNothing({ target: notifyJobs.dedupeKey })
		.returning({ id: notifyJobs.id });
	return rows.length;
}

export interface ClaimOptions {
	nodeId: string;
	limit: number;
	now: Date;
	/** A job left running this long (its node died) is taken again. */
	leaseMs: number;
}

/**
 * Claims due jobs for this node: `FOR UPDATE SKIP LOCKED`, so two nodes never claim the same row, and the
 * attempt is counted as it is claimed (a node that dies mid-job still used one).
 */
export async function claim(db: Db, opts: ClaimOptions): Promise<Job[]> {
	const staleBefore = new Date(opts.now.getTime() - opts.leaseMs);
	return db.transaction(async (tx) => {
		const due = await tx
			.select({ id: notifyJobs.id })
			.from(notifyJobs)
			.where(
				or(
					and(eq(notifyJobs.state, 'pending'), lte(notifyJobs.runAt, opts.now)),
					and(eq(notifyJobs.state, 'running'), lt(notifyJobs.lockedAt, staleBefore))
				)
			)
			.orderBy(notifyJobs.runAt, notifyJobs.id)
			.limit(opts.limit)
			.for('update', { skipLocked: true });
		if (due.length === 0) return [];
		return tx
			.update(notifyJobs)
			.set({ state: 'running', lockedBy: opts.nodeId, lockedAt: opts.now, attempts: sql`${notifyJobs.attempts} + 1` })
			.where(
				inArray(
					notifyJobs.id,
					due.map((d) => d.id)
				)
			)
			.returning();
	});
}

/** Only the node holding the job may settle it (another may have taken it over after the lease). */
const held = (job: Job) =>
	and(eq(notifyJobs.id, job.id), eq(notifyJobs.lockedBy, job.lockedBy ?? ''), eq(notifyJobs.state, 'running'));

export async function complete(db: Db, job: Job, now: Date): Promise<void> {
	await db.update(notifyJobs).set({ state: 'done', finishedAt: now, lockedBy: null }).where(held(job));
}

/** Not retried: the recipient lost access, or there is nothing to send to. */
export async function drop(db: Db, job: Job, reason: string, now: Date): Promise<void> {
	await db
		.update(notifyJobs)
		.set({ state: 'dropped', lastError: reason, finishedAt: now, lockedBy: null })
		.where(held(job));
}

/** The wait before attempt n+1: base · 2^(n−1), at most `maxMs`. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
	return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** A failed attempt: tried again after the backoff, or, after the last attempt, failed for the administrator to see. */
export async function fail(
	db: Db,
	job: Job,
	error: string,
	now: Date,
	backoff: { baseMs: number; maxMs: number }
): Promise<'retry' | 'failed'> {
	if (job.attempts >= job.maxAttempts) {
		await db
			.update(notifyJobs)
			.set({ state: 'failed', lastError: error, finishedAt: now, lockedBy: null })
			.where(held(job));
		return 'failed';
	}
	const runAt = new Date(now.getTime() + backoffMs(job.attempts, backoff.baseMs, backoff.maxMs));
	await db.update(notifyJobs).set({ state: 'pending', lastError: error, runAt, lockedBy: null }).where(held(job));
	return 'retry';
}

/** Lasting failures, newest first: the administrator's list. */
export async function failedJobs(db: Db, limit = 100): Promise<Job[]> {
	return db
		.select()
		.from(notifyJobs)
		.where(eq(notifyJobs.state, 'failed'))
		.orderBy(desc(notifyJobs.finishedAt))
		.limit(limit);
}

/** The administrator tries a failed job again, from a fresh count of attempts. */
export async function retryFailed(db: Db, id: number, now = new Date()): Promise<boolean> {
	const rows = await db
		.update(notifyJobs)
		.set({ state: 'pending', attempts: 0, runAt: now, finishedAt: null })
		.where(and(eq(notifyJobs.id, id), eq(notifyJobs.state, 'failed')))
		.returning({ id: notifyJobs.id });
	return rows.length > 0;
}

/** Finished sweeps pile up once a minute: keep a day of them. */
export async function pruneSweeps(db: Db, now: Date): Promise<void> {
	await db
		.delete(notifyJobs)
		.where(
			and(
				eq(notifyJobs.type, 'sweep'),
				inArray(notifyJobs.state, ['done', 'dropped']),
				lt(notifyJobs.createdAt, new Date(now.getTime() - 86_400_000))
			)
		);
}

/** An error as the queue keeps it: a code, never a message that could quote an address or a body. */
export function errorCode(err: unknown): string {
	const e = err as { code?: unknown; responseCode?: unknown; name?: unknown };
	const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
	return typeof e?.responseCode === 'number' ? `${code} ${e.responseCode}` : code;
}
