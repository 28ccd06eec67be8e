import { randomUUID } from 'node:crypto';
import type { CollabLogger } from '../collab/types';
import { runJob, type DeliveryDeps } from './deliver';
import { claim, enqueue, errorCode, fail } from './queue';

export interface WorkerOptions extends DeliveryDeps {
	log: CollabLogger;
	/** This node's name on claimed rows (random by default). */
	nodeId?: string;
	/** How often the queue is looked at when idle (default 1 s); `wake()` looks at once. */
	pollMs?: number;
	batch?: number;
	/** A job left running this long is taken over (its node died), default 5 min. */
	leaseMs?: number;
	/** Retry waits: base · 2^(attempt−1), capped (default 30 s … 1 h). */
	backoff?: { baseMs: number; maxMs: number };
	/** How often the time-based sweep runs (default 60 s; 0: never): one sweep job per slot across all nodes. */
	sweepEveryMs?: number;
	/** The clock (tests move it). */
	now?: () => Date;
}

/**
 * The queue's worker, one per node. All state lives in `notify_jobs`: stopping (or crashing) loses nothing, and a
 * restarted or second worker carries on from the rows. Jobs run one at a time per worker.
 */
export class NotifyWorker {
	readonly nodeId: string;
	private running = false;
	private loop: Promise<void> | null = null;
	private wakeUp: (() => void) | null = null;
	private lastSweepSlot = -1;
	/** A wake-up that came while a pass ran: the next pass starts at once. */
	private woken = false;
	private readonly now: () => Date;

	constructor(private readonly opts: WorkerOptions) {
		this.nodeId = opts.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
		this.now = opts.now ?? (() => new Date());
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

	/** Look at the queue now (a projection just queued notices). */
	wake(): void {
		this.woken = true;
		this.wakeUp?.();
	}

	/** One pass: queue this slot's sweep, then run what is due. Returns how many jobs ran. */
	async runOnce(): Promise<number> {
		const now = this.now();
		const every = this.opts.sweepEveryMs ?? 60_000;
		const slot = every > 0 ? Math.floor(now.getTime() / every) : 0;
		if (every > 0 && slot !== this.lastSweepSlot) {
			await enqueue(this.opts.db, [{ type: 'sweep', dedupeKey: `sweep:${every}:${slot}`, payload: {} }], now);
			this.lastSweepSlot = slot;
		}
		const jobs = await claim(this.opts.db, {
			nodeId: this.nodeId,
			limit: this.opts.batch ?? 10,
			now,
			leaseMs: this.opts.leaseMs ?? 300_000
		});
		for (const job of jobs) {
			const at = this.now();
			try {
				await runJob(this.opts, job, at);
			} catch (err) {
				const code = errorCode(err);
				const outcome = await fail(
					this.opts.db,
					job,
					code,
					at,
					this.opts.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 }
				);
				this.opts.log.warn({ job: job.id, type: job.type, attempt: job.attempts, code, outcome }, 'notify: job failed');
			}
		}
		return jobs.length;
	}

	private async run(): Promise<void> {
		const batch = this.opts.batch ?? 10;
		while (this.running) {
			let ran = 0;
			this.woken = false;
			try {
				ran = await this.runOnce();
			} catch (err) {
				this.opts.log.error({ err }, 'notify: queue pass failed');
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
