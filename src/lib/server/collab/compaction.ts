import * as Y from 'yjs';
import { applyStoredDoc, type DocStore, type StoredDoc } from './doc-store';
import type { CollabLogger } from './types';

export interface CompactionResult {
	throughId: number;
	/** How many stored updates the new snapshot folded in. */
	folded: number;
}

/**
 * Folds the stored tail into a new snapshot. Built from the store, not from the live document, so the
 * snapshot holds exactly what is stored through `throughId` (the live document may lack updates another
 * node stored, or hold some not yet stored). Applying to a `Y.Doc` and re-encoding keeps the cost linear and
 * lets Yjs garbage-collect deleted content; `Y.mergeUpdates` over many updates is superlinear and keeps it.
 * Rows in `doc_updates` stay: they are the attribution history.
 */
export async function compactDocument(store: DocStore, docName: string): Promise<CompactionResult | null> {
	if (store.compact) return store.compact(docName, encodeStored);
	const stored = await store.load(docName);
	if (stored.updates.length === 0) return null;
	const doc = new Y.Doc({ gc: true });
	try {
		applyStoredDoc(doc, stored);
		const throughId = stored.updates[stored.updates.length - 1].id;
		await store.saveSnapshot(docName, Y.encodeStateAsUpdate(doc), throughId);
		return { throughId, folded: stored.updates.length };
	} finally {
		doc.destroy();
	}
}

/** The stored document applied to a fresh `Y.Doc` and encoded as one update. */
function encodeStored(stored: StoredDoc): Uint8Array {
	const doc = new Y.Doc({ gc: true });
	try {
		applyStoredDoc(doc, stored);
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

export interface CompactorOptions {
	name: string;
	store: DocStore;
	log: CollabLogger;
	/** Compact once this many stored updates pile up after the snapshot (and the document is quiet). */
	threshold: number;
	/** How long the document must go without stored changes before a compaction runs (default 1 s). */
	quietMs?: number;
	/** Defaults to `compactDocument(store, name)`. */
	compact?(): Promise<CompactionResult | null>;
	/** False once the document is no longer serving (compactions then wait for `compactNow`). */
	isServing(): boolean;
}

/**
 * When one loaded document compacts. Compaction re-reads and re-applies the stored document, which blocks the
 * event loop for a time that grows with the plan, so it waits for a quiet moment, not the middle of a burst of
 * edits; a tail ten times the threshold compacts regardless, so a document that is never quiet still gets
 * compacted. A long tail found at load is saved from the just-loaded state (one write, no second read).
 */
export class Compactor {
	/** Stored updates after the snapshot, as far as this node knows (it counts its own appends). */
	tailCount = 0;
	private running: Promise<void> | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** The state exactly as stored, captured at load when the tail was long: saved as a snapshot without re-reading. */
	private loadedSnapshot: { state: Uint8Array; throughId: number; folded: number } | null = null;
	private readonly compact: () => Promise<CompactionResult | null>;

	constructor(private readonly opts: CompactorOptions) {
		this.compact = opts.compact ?? (() => compactDocument(opts.store, opts.name));
	}

	/**
	 * Right after the stored document was applied, it is exactly what is stored through `throughId`: encoding
	 * it is the compaction, for the cost of one encode instead of reading and applying everything again.
	 */
	loaded(doc: Y.Doc, tailCount: number, throughId: number): void {
		this.tailCount = tailCount;
		if (tailCount > this.opts.threshold)
			this.loadedSnapshot = { state: Y.encodeStateAsUpdate(doc), throughId, folded: tailCount };
	}

	/** Called when serving starts: a snapshot captured at load is saved once the first clients are answered. */
	started(): void {
		if (this.loadedSnapshot) this.request();
	}

	/** This node stored `count` more updates. */
	stored(count: number): void {
		this.tailCount += count;
		if (this.tailCount > this.opts.threshold) this.request();
	}

	/** Compacts now (after any compaction already running). */
	async now(): Promise<void> {
		this.cancel();
		while (this.running) await this.running;
		await this.run(this.next());
		// What was stored after the load is not in the state captured then.
		if (this.tailCount > 0) await this.run(this.compact);
	}

	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	/** The state captured at load, if it is still to be saved (one write); otherwise a compaction from the store. */
	private next(): () => Promise<CompactionResult | null> {
		const loaded = this.loadedSnapshot;
		if (!loaded) return this.compact;
		this.loadedSnapshot = null;
		return async () => {
			await this.opts.store.saveSnapshot(this.opts.name, loaded.state, loaded.throughId);
			return { throughId: loaded.throughId, folded: loaded.folded };
		};
	}

	private request(): void {
		if (this.running || !this.opts.isServing()) return;
		this.cancel();
		// The state captured at load always waits: the first clients' sync replies go first.
		const overdue = !this.loadedSnapshot && this.tailCount > 10 * this.opts.threshold;
		this.timer = setTimeout(
			() => {
				this.timer = null;
				if (!this.running && this.opts.isServing()) void this.run(this.next());
			},
			overdue ? 0 : (this.opts.quietMs ?? 1000)
		);
		this.timer.unref?.();
	}

	private run(work: () => Promise<CompactionResult | null>): Promise<void> {
		const run = (async () => {
			try {
				const result = await work();
				if (result) {
					this.tailCount = Math.max(0, this.tailCount - result.folded);
					this.opts.log.debug(
						{ doc: this.opts.name, throughId: result.throughId, folded: result.folded },
						'collab: compacted'
					);
				}
			} catch (err) {
				this.opts.log.error({ err, doc: this.opts.name }, 'collab: compaction failed');
			} finally {
				this.running = null;
			}
		})();
		this.running = run;
		return run;
	}
}
