import type { AppendEntry } from './doc-store';
import type { CollabLogger } from './types';

export interface WriteQueueOptions {
	/** Stores a batch in order; resolves with the id of the last stored entry. */
	append(entries: AppendEntry[]): Promise<number>;
	/** Called after each stored batch. */
	onStored?(count: number, lastId: number): void;
	log: CollabLogger;
	maxBatch?: number;
	/**
	 * How long updates gather before they are written (0 = the next turn of the event loop). On PGlite every
	 * write runs on this thread, so a few milliseconds of gathering turn a burst of keystrokes into one insert.
	 */
	batchDelayMs?: number;
	retryMinMs?: number;
	retryMaxMs?: number;
}

interface Waiter {
	seq: number;
	resolve(): void;
	reject(err: Error): void;
}

/**
 * Ordered, batched persistence for one document, off the broadcast path: `push` returns at once,
 * everything pushed in the same tick goes to the store as one insert, batches never overtake each other.
 * A failed batch stays at the head of the queue and is retried with backoff.
 */
export class WriteQueue {
	private pending: AppendEntry[] = [];
	private enqueuedSeq = 0;
	private storedSeq = 0;
	private running = false;
	private scheduled = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryDelay: number;
	private waiters: Waiter[] = [];
	private aborted = false;
	private readonly maxBatch: number;
	private readonly retryMinMs: number;
	private readonly retryMaxMs: number;

	constructor(private readonly opts: WriteQueueOptions) {
		this.maxBatch = opts.maxBatch ?? 500;
		this.retryMinMs = opts.retryMinMs ?? 500;
		this.retryMaxMs = opts.retryMaxMs ?? 30_000;
		this.retryDelay = this.retryMinMs;
	}

	/** Entries not yet stored. */
	get size(): number {
		return this.pending.length;
	}

	/** Queues one entry; returns its sequence number (for `flush`). */
	push(entry: AppendEntry): number {
		if (this.aborted) throw new Error('write queue aborted');
		this.pending.push(entry);
		this.enqueuedSeq++;
		this.schedule();
		return this.enqueuedSeq;
	}

	/**
	 * Resolves once everything pushed so far (or through `seq`) is stored. Writes now if a retry is waiting;
	 * rejects if that attempt fails (the entries stay queued and are retried).
	 */
	flush(seq = this.enqueuedSeq): Promise<void> {
		if (this.storedSeq >= seq) return Promise.resolve();
		if (this.aborted) return Promise.reject(new Error('write queue aborted'));
		return new Promise<void>((resolve, reject) => {
			this.waiters.push({ seq, resolve, reject });
			if (this.retryTimer) {
				clearTimeout(this.retryTimer);
				this.retryTimer = null;
			}
			if (!this.running) void this.run();
		});
	}

	/** Drops everything without writing (a crash, or a server shut down without flushing). */
	abort(): void {
		this.aborted = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.pending = [];
		const err = new Error('write queue aborted');
		for (const w of this.waiters.splice(0)) w.reject(err);
	}

	private schedule(): void {
		if (this.running || this.scheduled || this.retryTimer) return;
		this.scheduled = true;
		const go = () => {
			this.scheduled = false;
			void this.run();
		};
		if (this.opts.batchDelayMs) setTimeout(go, this.opts.batchDelayMs).unref?.();
		else setImmediate(go);
	}

	private async run(): Promise<void> {
		if (this.running || this.aborted) return;
		this.running = true;
		try {
			while (this.pending.length > 0 && !this.aborted) {
				const batch = this.pending.slice(0, this.maxBatch);
				let lastId: number;
				try {
					lastId = await this.opts.append(batch);
				} catch (err) {
					if (this.aborted) return;
					const delay = this.retryDelay;
					this.retryDelay = Math.min(this.retryDelay * 2, this.retryMaxMs);
					this.opts.log.error({ err, entries: batch.length, retryInMs: delay }, 'collab: storing updates failed');
					for (const w of this.waiters.splice(0)) w.reject(err as Error);
					this.retryTimer = setTimeout(() => {
						this.retryTimer = null;
						void this.run();
					}, delay);
					return;
				}
				if (this.aborted) return;
				this.pending.splice(0, batch.length);
				this.storedSeq += batch.length;
				this.retryDelay = this.retryMinMs;
				this.waiters = this.waiters.filter((w) => {
					if (w.seq > this.storedSeq) return true;
					w.resolve();
					return false;
				});
				this.opts.onStored?.(batch.length, lastId);
			}
		} finally {
			this.running = false;
		}
	}
}
