import * as Y from 'yjs';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { docSnapshots, docUpdates } from '../db/schema';

export interface StoredUpdate {
	id: number;
	update: Uint8Array;
}

export interface StoredDoc {
	/** The compacted state through `throughId`, or null before the first compaction. */
	snapshot: Uint8Array | null;
	/** 0 when there is no snapshot. */
	throughId: number;
	/** Every update after `throughId`, in id order. */
	updates: StoredUpdate[];
}

export interface AppendEntry {
	update: Uint8Array;
	/** Who sent it; null for changes without a person behind them. */
	userId: string | null;
	/** When the server accepted it (the queue writes a moment later). */
	at?: Date;
}

/** Replays a stored document (snapshot, then the tail in order) into `doc` in one transaction. */
export function applyStoredDoc(doc: Y.Doc, stored: StoredDoc, origin?: unknown): void {
	doc.transact(() => {
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u.update);
	}, origin);
}

/**
 * Where documents live. Updates are append-only (they are the attribution history); a snapshot only
 * saves reading them all on a cold open.
 */
export interface DocStore {
	load(docName: string): Promise<StoredDoc>;
	/** Updates with an id above `afterId`, in id order (a catch-up read after a load). */
	loadSince(docName: string, afterId: number): Promise<StoredUpdate[]>;
	/** Appends in order; returns the id of the last entry. */
	append(docName: string, entries: AppendEntry[]): Promise<number>;
	/** Saves the state through `throughId`; never moves a snapshot backwards. */
	saveSnapshot(docName: string, state: Uint8Array, throughId: number): Promise<void>;
}

/** Namespace of the advisory locks that serialise appends per document (first key of the two-key form). */
const APPEND_LOCK_NAMESPACE = 0x6670; // "fp"

/** `doc_updates` + `doc_snapshots` through drizzle: the same SQL on PGlite and PostgreSQL. */
export class PgDocStore implements DocStore {
	/**
	 * `singleProcess`: the embedded PGlite has exactly one writer (this process), so appends need no
	 * cross-node lock; that saves a round trip on every stored update.
	 */
	constructor(
		private readonly db: Db,
		private readonly opts: { singleProcess?: boolean } = {}
	) {}

	async load(docName: string): Promise<StoredDoc> {
		const [snap] = await this.db
			.select({ state: docSnapshots.state, throughId: docSnapshots.throughId })
			.from(docSnapshots)
			.where(eq(docSnapshots.docName, docName))
			.limit(1);
		const throughId = snap?.throughId ?? 0;
		const updates = await this.loadSince(docName, throughId);
		return { snapshot: snap?.state ?? null, throughId, updates };
	}

	async loadSince(docName: string, afterId: number): Promise<StoredUpdate[]> {
		return this.db
			.select({ id: docUpdates.id, update: docUpdates.update })
			.from(docUpdates)
			.where(and(eq(docUpdates.docName, docName), gt(docUpdates.id, afterId)))
			.orderBy(asc(docUpdates.id));
	}

	/**
	 * One multi-row insert in a transaction that first takes a per-document advisory lock. Without the lock
	 * two nodes could commit ids out of order (151 visible before 150), and a snapshot "through 151" taken in
	 * between would silently leave 150 out of every later cold open.
	 */
	async append(docName: string, entries: AppendEntry[]): Promise<number> {
		if (entries.length === 0) throw new Error('append needs at least one entry');
		const rows = entries.map((e) => ({ docName, update: e.update, userId: e.userId, ...(e.at ? { createdAt: e.at } : {}) }));
		// One statement is atomic by itself; only the cross-node lock needs a transaction around it.
		const inserted = this.opts.singleProcess
			? await this.db.insert(docUpdates).values(rows).returning({ id: docUpdates.id })
			: await this.db.transaction(async (tx) => {
					await tx.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK_NAMESPACE}::int4, hashtext(${docName}))`);
					return tx.insert(docUpdates).values(rows).returning({ id: docUpdates.id });
				});
		let last = 0;
		for (const r of inserted) if (r.id > last) last = r.id;
		return last;
	}

	async saveSnapshot(docName: string, state: Uint8Array, throughId: number): Promise<void> {
		await this.db
			.insert(docSnapshots)
			.values({ docName, state, throughId, updatedAt: new Date() })
			.onConflictDoUpdate({
				target: docSnapshots.docName,
				// `excluded.*`: the state travels to the database once, not twice (it can be hundreds of KB).
				set: { state: sql`excluded.state`, throughId: sql`excluded.through_id`, updatedAt: sql`excluded.updated_at` },
				setWhere: sql`${docSnapshots.throughId} < ${throughId}`
			});
	}
}
