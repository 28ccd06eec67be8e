import type { AppendEntry } from './doc-store';
import type { CollabLogger } from './types';

export interface WriteQueueOptions<T extends AppendEntry> {
	/** Stores a batch in order; resolves with the id of the last stored entry. */
	append(entries: T[]): Promise<number>;
	/** Called after each stored batch, with its entries in order (this is where they are forwarded). */
	onStored?(entries: T[], lastId: number): void;
	/**
	 * Storing failed and is being retried (true), or a retry succeeded (false). Called on each change only:
	 * this is how the people editing learn that what they write is held, not yet saved.
	 */
	onDelayed?(delayed: boolean): void;
	/** How long each stored batch took (for metrics). */
	onTimed?(seconds: number, entries: number): void;
	log: CollabLogger;
	maxBatch?: number;
	/**
	 * How long updates gather before a write starts (0 = the next turn of the event loop). Whatever arrives while
	 * a write is in flight gathers for the next one anyway, so under load batches grow by themselves and a
	 * lone edit waits for one insert only: that is the latency store-before-forward adds.
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
 * Ordered, batched persistence for one document: `push` returns at once, everything pushed while the previous
 * write is in flight goes to the store as one insert, batches never overtake each other. A failed batch stays
 * at the head of the queue and is retried with backoff.
 */
export class WriteQueue<T extends AppendEntry = AppendEntry> {
	private pending: T[] = [];
	private enqueuedSeq = 0;
	private storedSeq = 0;
	private running = false;
	/** Entries at the head of `pending` in the insert under way. */
	private writing: number | null = null;
	private scheduled = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryDelay: number;
	private waiters: Waiter[] = [];
	private aborted = false;
	/** The last write failed; entries wait for a retry. */
	private failing = false;
	private readonly maxBatch: number;
	private readonly retryMinMs: number;
	private readonly retryMaxMs: number;

	constructor(private readonly opts: WriteQueueOptions<T>) {
		this.maxBatch = opts.maxBatch ?? 500;
		this.retryMinMs = opts.retryMinMs ?? 500;
		this.retryMaxMs = opts.retryMaxMs ?? 30_000;
		this.retryDelay = this.retryMinMs;
	}

	/** Entries not yet stored. */
	get size(): number {
		return this.pending.length;
	}

	/** True while stored entries wait for a retry after a failed write. */
	get delayed(): boolean {
		return this.failing;
	}

	/** Sequence number of the last entry pushed (what `flush()` waits for by default). */
	get pushed(): number {
		return this.enqueuedSeq;
	}

	/** Sequence number of the last entry stored. */
	get stored(): number {
		return this.storedSeq;
	}

	/**
	 * Forgets the entries pushed after sequence number `seq` that are not being written yet (a change that
	 * failed half-way through applying must not be stored). Returns how many were dropped.
	 */
	dropAfter(seq: number): number {
		const keep = seq - this.storedSeq;
		if (keep < (this.writing ?? 0)) throw new Error('entries after this point are already being written');
		const dropped = this.pending.length - keep;
		if (dropped <= 0) return 0;
		this.pending.length = keep;
		this.enqueuedSeq -= dropped;
		return dropped;
	}

	/** Queues one entry; returns its sequence number (for `flush`). */
	push(entry: T): number {
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
				this.writing = batch.length;
				const started = performance.now();
				try {
					lastId = await this.opts.append(batch);
				} catch (err) {
					this.writing = null;
					if (this.aborted) return;
					if (!this.failing) {
						this.failing = true;
						this.opts.onDelayed?.(true);
					}
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
				this.writing = null;
				if (this.aborted) return;
				this.opts.onTimed?.((performance.now() - started) / 1000, batch.length);
				this.pending.splice(0, batch.length);
				this.storedSeq += batch.length;
				this.retryDelay = this.retryMinMs;
				this.waiters = this.waiters.filter((w) => {
					if (w.seq > this.storedSeq) return true;
					w.resolve();
					return false;
				});
				this.opts.onStored?.(batch, lastId);
				if (this.failing && this.pending.length === 0) {
					this.failing = false;
					this.opts.onDelayed?.(false);
				}
			}
		} finally {
			this.running = false;
		}
	}
}
