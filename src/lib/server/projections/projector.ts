import type { Db } from '../db';
import type { DocStore } from '../collab/doc-store';
import type { CollabLogger } from '../collab/types';
import { parseDocName } from '../../plan/schema';
import { projectDocument, projectStale, type ProjectOptions } from './project';

export interface ProjectorOptions {
	db: Db;
	log: CollabLogger;
	store?: DocStore;
	/**
	 * How long after the first stored change a document is projected (default 1 s). The wait is not pushed back
	 * by later changes, so a busy document is at most this (plus one projection) behind: well under 5 s.
	 */
	delayMs?: number;
	/** After a failed projection, try again this much later (default 5 s). */
	retryMs?: number;
	/** Told, inside each projection's transaction, what changed in a plan's measures (notifications). */
	onMeasuresChanged?: ProjectOptions['onMeasuresChanged'];
	/** Told after a projection committed (the notification worker wakes up). */
	onProjected?(docName: string): void;
}

/**
 * Keeps the projections up to date from stored updates: the sync server calls `notify(docName)` once a batch is
 * stored (cheap, synchronous); the projection itself runs later, once per document per delay, one at a time per
 * document, off the path that applies and forwards updates.
 */
export class Projector {
	private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
	private readonly running = new Map<string, Promise<void>>();
	/** Documents changed again while their projection ran. */
	private readonly again = new Set<string>();
	private closed = false;
	private readonly delayMs: number;
	private readonly retryMs: number;

	constructor(private readonly opts: ProjectorOptions) {
		this.delayMs = opts.delayMs ?? 1000;
		this.retryMs = opts.retryMs ?? 5000;
	}

	/** A change to `docName` is stored. Only `plan:` documents are projected. */
	notify(docName: string): void {
		if (this.closed || parseDocName(docName)?.kind !== 'plan') return;
		if (this.running.has(docName)) {
			this.again.add(docName);
			return;
		}
		this.schedule(docName, this.delayMs);
	}

	/** Projects every document stored ahead of its projection (run once at start). */
	async catchUp(): Promise<number> {
		return projectStale(this.opts.db, { store: this.opts.store, onMeasuresChanged: this.opts.onMeasuresChanged });
	}

	/** Resolves once nothing is scheduled or running (tests; shutdown). Scheduled projections run now. */
	async idle(): Promise<void> {
		for (;;) {
			for (const [docName, timer] of this.timers) {
				clearTimeout(timer);
				this.timers.delete(docName);
				this.run(docName);
			}
			if (this.running.size === 0) return;
			await Promise.allSettled(this.running.values());
		}
	}

	/** Stops scheduling; with `flush`, first projects what is pending. */
	async close({ flush = true }: { flush?: boolean } = {}): Promise<void> {
		if (flush) await this.idle().catch(() => {});
		this.closed = true;
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
		await Promise.allSettled(this.running.values());
	}

	private schedule(docName: string, delay: number): void {
		if (this.timers.has(docName)) return; // already due: a later change rides along
		const timer = setTimeout(() => {
			this.timers.delete(docName);
			this.run(docName);
		}, delay);
		timer.unref?.();
		this.timers.set(docName, timer);
	}

	private run(docName: string): void {
		if (this.running.has(docName)) {
			this.again.add(docName);
			return;
		}
		const job = projectDocument(this.opts.db, docName, {
			store: this.opts.store,
			onMeasuresChanged: this.opts.onMeasuresChanged
		}).then(
			(outcome) => {
				if (outcome.kind === 'projected') this.opts.onProjected?.(docName);
			},
			(err) => {
				this.opts.log.error({ err, doc: docName }, 'projections: projecting failed');
				if (!this.closed) this.schedule(docName, this.retryMs);
			}
		);
		this.running.set(
			docName,
			job.finally(() => {
				this.running.delete(docName);
				if (this.again.delete(docName) && !this.closed) this.schedule(docName, this.delayMs);
			})
		);
	}
}
