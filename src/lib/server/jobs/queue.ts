import { and, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { jobs } from '../db/schema';

/**
 * The job queue every module shares (notifications, archive deliveries, retention): one table, claimed with
 * `FOR UPDATE SKIP LOCKED`, so each job runs once whichever node takes it. A job's type names its module's handler.
 */
export type Job = typeof jobs.$inferSelect;

export interface EnqueueJob {
	type: string;
	/** Once per key, whichever node or however often it is enqueued. */
	dedupeKey: string;
	/** Ids only. */
	payload: Record<string, unknown>;
	runAt?: Date;
	maxAttempts?: number;
}

/** Adds jobs; a key already queued (or done) is left alone. Returns how many were new. */
export async function enqueue(db: Db, queued: EnqueueJob[], now = new Date()): Promise<number> {
	if (queued.length === 0) return 0;
	const rows = await db
		.insert(jobs)
		.values(
			queued.map((j) => ({
				type: j.type,
				dedupeKey: j.dedupeKey,
				payload: j.payload,
				runAt: j.runAt ?? now,
				maxAttempts: j.maxAttempts ?? 6,
				createdAt: now
			}))
		)
		.onConflictDoNothing({ target: jobs.dedupeKey })
		.returning({ id: jobs.id });
	return rows.length;
}

export interface ClaimOptions {
	nodeId: string;
	/** Only jobs of these types: a worker claims what it has handlers for. */
	types: readonly string[];
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
			.select({ id: jobs.id })
			.from(jobs)
			.where(
				and(
					inArray(jobs.type, [...opts.types]),
					or(
						and(eq(jobs.state, 'pending'), lte(jobs.runAt, opts.now)),
						and(eq(jobs.state, 'running'), lt(jobs.lockedAt, staleBefore))
					)
				)
			)
			.orderBy(jobs.runAt, jobs.id)
			.limit(opts.limit)
			.for('update', { skipLocked: true });
		if (due.length === 0) return [];
		return tx
			.update(jobs)
			.set({ state: 'running', lockedBy: opts.nodeId, lockedAt: opts.now, attempts: sql`${jobs.attempts} + 1` })
			.where(
				inArray(
					jobs.id,
					due.map((d) => d.id)
				)
			)
			.returning();
	});
}

/** Only the node holding the job may settle it (another may have taken it over after the lease). */
const held = (job: Job) => and(eq(jobs.id, job.id), eq(jobs.lockedBy, job.lockedBy ?? ''), eq(jobs.state, 'running'));

export async function complete(db: Db, job: Job, now: Date): Promise<void> {
	await db.update(jobs).set({ state: 'done', finishedAt: now, lockedBy: null }).where(held(job));
}

/** Not retried: the recipient lost access, or there is nothing to send to. */
export async function drop(db: Db, job: Job, reason: string, now: Date): Promise<void> {
	await db.update(jobs).set({ state: 'dropped', lastError: reason, finishedAt: now, lockedBy: null }).where(held(job));
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
		await db.update(jobs).set({ state: 'failed', lastError: error, finishedAt: now, lockedBy: null }).where(held(job));
		return 'failed';
	}
	// Counted from when the attempt began (it was claimed), so the wait does not depend on how long it took to fail.
	const began = job.lockedAt ?? now;
	const runAt = new Date(began.getTime() + backoffMs(job.attempts, backoff.baseMs, backoff.maxMs));
	await db.update(jobs).set({ state: 'pending', lastError: error, runAt, lockedBy: null }).where(held(job));
	return 'retry';
}

/** Lasting failures of `types`, newest first: the administrator's list. */
export async function failedJobs(db: Db, types: readonly string[], limit = 100): Promise<Job[]> {
	return db
		.select()
		.from(jobs)
		.where(and(eq(jobs.state, 'failed'), inArray(jobs.type, [...types])))
		.orderBy(desc(jobs.finishedAt))
		.limit(limit);
}

/** The administrator tries a failed job of `types` again, from a fresh count of attempts. */
export async function retryFailed(
	db: Db,
	job: { id: number } | { dedupeKey: string },
	types: readonly string[],
	now = new Date()
): Promise<boolean> {
	const which = 'id' in job ? eq(jobs.id, job.id) : eq(jobs.dedupeKey, job.dedupeKey);
	const rows = await db
		.update(jobs)
		.set({ state: 'pending', attempts: 0, runAt: now, finishedAt: null })
		.where(and(which, eq(jobs.state, 'failed'), inArray(jobs.type, [...types])))
		.returning({ id: jobs.id });
	return rows.length > 0;
}

/** Finished scheduled jobs pile up once a slot: keep a day of them. */
export async function pruneFinished(db: Db, type: string, now: Date): Promise<void> {
	await db
		.delete(jobs)
		.where(
			and(
				eq(jobs.type, type),
				inArray(jobs.state, ['done', 'dropped']),
				lt(jobs.createdAt, new Date(now.getTime() - 86_400_000))
			)
		);
}

/** An error as the queue keeps it: a code, never a message that could quote an address or a body. */
export function errorCode(err: unknown): string {
	const e = err as { code?: unknown; responseCode?: unknown; name?: unknown };
	const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
	return typeof e?.responseCode === 'number' ? `${code} ${e.responseCode}` : code;
}
