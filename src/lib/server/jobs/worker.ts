import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import type { CollabLogger } from '../collab/types';
import { claim, enqueue, errorCode, fail, pruneFinished, type Job } from './queue';

/** What a module runs for one type of job. */
export interface JobHandler {
	/** Runs a claimed job and settles it (`complete` or `drop`); throws to have it retried with backoff. */
	run(job: Job, now: Date): Promise<void>;
	/** The job failed for good (its last attempt threw): the module records what that means. */
	failed?(job: Job, code: string, now: Date): Promise<void>;
}

/** A job queued once per slot of `everyMs` across every node (the notification sweep, the retention pass). */
export interface Schedule {
	type: string;
	everyMs: number;
}

export interface WorkerOptions {
	db: Db;
	log: CollabLogger;
	/** Each job type this worker runs; it claims no other. */
	handlers: Record<string, JobHandler>;
	schedules?: Schedule[];
	/** This node's name on claimed rows (random by default). */
	nodeId?: string;
	/** How often the queue is looked at when idle (default 1 s); `wake()` looks at once. */
	pollMs?: number;
	batch?: number;
	/** A job left running this long is taken over (its node died), default 5 min. */
	leaseMs?: number;
	/** Retry waits: base · 2^(attempt−1), capped (default 30 s … 1 h). */
	backoff?: { baseMs: number; maxMs: number };
	/** The clock (tests move it). */
	now?: () => Date;
}

/**
 * The queue's worker, one per node. All state lives in `jobs`: stopping (or crashing) loses nothing, and a
 * restarted or second worker carries on from the rows. Jobs run one at a time per worker.
 */
export class JobWorker {
	readonly nodeId: string;
	private running = false;
	private loop: Promise<void> | null = null;
	private wakeUp: (() => void) | null = null;
	private readonly lastSlot = new Map<string, number>();
	/** A wake-up that came while a pass ran: the next pass starts at once. */
	private woken = false;
	private readonly now: () => Date;
	private readonly types: string[];

	constructor(private readonly opts: WorkerOptions) {
		this.nodeId = opts.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
		this.now = opts.now ?? (() => new Date());
		this.types = Object.keys(opts.handlers);
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.loop = this.run();
	}

	/** Finishes the job in hand, then stops. */
	async stop(): Promise<void> {
		this.running = false;
		this.wakeUp?.();
		await this.loop;
		this.loop = null;
	}

	/** Look at the queue now (something was just queued). */
	wake(): void {
		this.woken = true;
		this.wakeUp?.();
	}

	/** One pass: queue this slot's scheduled jobs, then run what is due. Returns how many jobs ran. */
	async runOnce(): Promise<number> {
		const now = this.now();
		for (const { type, everyMs } of this.opts.schedules ?? []) {
			if (everyMs <= 0) continue;
			const slot = Math.floor(now.getTime() / everyMs);
			if (slot === this.lastSlot.get(type)) continue;
			await enqueue(this.opts.db, [{ type, dedupeKey: `${type}:${everyMs}:${slot}`, payload: {} }], now);
			await pruneFinished(this.opts.db, type, now);
			this.lastSlot.set(type, slot);
		}
		const claimed = await claim(this.opts.db, {
			nodeId: this.nodeId,
			types: this.types,
			limit: this.opts.batch ?? 10,
			now,
			leaseMs: this.opts.leaseMs ?? 300_000
		});
		for (const job of claimed) await this.runJob(job);
		return claimed.length;
	}

	private async runJob(job: Job): Promise<void> {
		const at = this.now();
		const handler = this.opts.handlers[job.type];
		try {
			await handler.run(job, at);
		} catch (err) {
			const code = errorCode(err);
			const outcome = await fail(
				this.opts.db,
				job,
				code,
				at,
				this.opts.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 }
			);
			this.opts.log.warn({ job: job.id, type: job.type, attempt: job.attempts, code, outcome }, 'jobs: job failed');
			if (outcome === 'failed')
				await handler
					.failed?.(job, code, at)
					.catch((e: unknown) =>
						this.opts.log.error({ err: e, job: job.id, type: job.type }, 'jobs: recording a failure failed')
					);
		}
	}

	private async run(): Promise<void> {
		const batch = this.opts.batch ?? 10;
		while (this.running) {
			let ran = 0;
			this.woken = false;
			try {
				ran = await this.runOnce();
			} catch (err) {
				this.opts.log.error({ err }, 'jobs: queue pass failed');
			}
			if (!this.running) break;
			if (ran >= batch || this.woken) continue;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, this.opts.pollMs ?? 1000);
				this.wakeUp = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			this.wakeUp = null;
		}
	}
}
