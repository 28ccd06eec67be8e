import * as Y from 'yjs';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/handle';
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
	/**
	 * Reads the stored document, lets `fold` encode it, and saves that as the snapshot through the last stored
	 * id, with no other node compacting the same document meanwhile. Resolves with null when there was nothing
	 * to fold, or another node holds the document's compaction (it is doing the same work).
	 * Optional: without it `compactDocument` reads and saves in two steps.
	 */
	compact?(
		docName: string,
		fold: (stored: StoredDoc) => Uint8Array
	): Promise<{ throughId: number; folded: number } | null>;
}

/** Rows of a raw `execute`: postgres-js answers with an array, PGlite with `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
	return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Namespace of the advisory locks that serialise appends per document (first key of the two-key form). */
const APPEND_LOCK_NAMESPACE = 0x6670; // "fp"
/** Namespace of the advisory locks that keep two nodes from compacting one document at once. */
const COMPACT_LOCK_NAMESPACE = 0x6671;

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
		return this.loadWith(this.db, docName);
	}

	private async loadWith(db: Db, docName: string): Promise<StoredDoc> {
		const [snap] = await db
			.select({ state: docSnapshots.state, throughId: docSnapshots.throughId })
			.from(docSnapshots)
			.where(eq(docSnapshots.docName, docName))
			.limit(1);
		const throughId = snap?.throughId ?? 0;
		const updates = await this.loadSinceWith(db, docName, throughId);
		return { snapshot: snap?.state ?? null, throughId, updates };
	}

	async loadSince(docName: string, afterId: number): Promise<StoredUpdate[]> {
		return this.loadSinceWith(this.db, docName, afterId);
	}

	private loadSinceWith(db: Db, docName: string, afterId: number): Promise<StoredUpdate[]> {
		return db
			.select({ id: docUpdates.id, update: docUpdates.update })
			.from(docUpdates)
			.where(and(eq(docUpdates.docName, docName), gt(docUpdates.id, afterId)))
			.orderBy(asc(docUpdates.id));
	}

	/**
	 * One multi-row insert. On PostgreSQL the same statement first takes a per-document advisory lock, held until
	 * it commits: without it two nodes could commit ids out of order (151 visible before 150), and a snapshot
	 * "through 151" taken in between would silently leave 150 out of every later cold open. One statement, one
	 * round trip (a transaction around the lock would be four).
	 */
	async append(docName: string, entries: AppendEntry[]): Promise<number> {
		if (entries.length === 0) throw new Error('append needs at least one entry');
		let last = 0;
		if (this.opts.singleProcess) {
			const rows = entries.map((e) => ({
				docName,
				update: e.update,
				userId: e.userId,
				...(e.at ? { createdAt: e.at } : {})
			}));
			for (const r of await this.db.insert(docUpdates).values(rows).returning({ id: docUpdates.id }))
				if (r.id > last) last = r.id;
			return last;
		}
		const values = sql.join(
			entries.map(
				(e) =>
					sql`(${Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength)}::bytea, ${e.userId}::text, ${(e.at ?? new Date()).toISOString()}::timestamptz)`
			),
			sql`, `
		);
		// The lock's row joins every inserted row, so it is taken before the first id is drawn.
		const result = await this.db.execute(sql`
			with append_lock as materialized (select pg_advisory_xact_lock(${APPEND_LOCK_NAMESPACE}::int4, hashtext(${docName})))
			insert into doc_updates (doc_name, update, user_id, created_at)
			select ${docName}, v.update, v.user_id, v.created_at from (values ${values}) as v(update, user_id, created_at) cross join append_lock
			returning id`);
		for (const r of rowsOf<{ id: number | string }>(result)) if (Number(r.id) > last) last = Number(r.id);
		return last;
	}

	/**
	 * Several nodes may hold one document and each counts its own appends, so two can decide to compact it at
	 * once. On PostgreSQL a per-document advisory lock (tried, never waited for: appends and replies must not
	 * queue behind a compaction) lets one of them do it; the other finds the lock taken and leaves it. Holding
	 * it, nobody else writes the snapshot row, and appends commit in id order (their own lock), so the snapshot
	 * read and then the tail after it are exactly what is stored through the last id. (Not repeatable read: its
	 * snapshot would be taken before the lock, and miss the row the previous holder just wrote.)
	 * `saveSnapshot`'s guard keeps a snapshot from ever moving backwards.
	 */
	async compact(
		docName: string,
		fold: (stored: StoredDoc) => Uint8Array
	): Promise<{ throughId: number; folded: number } | null> {
		const run = async (db: Db) => {
			const stored = await this.loadWith(db, docName);
			if (stored.updates.length === 0) return null;
			const throughId = stored.updates[stored.updates.length - 1].id;
			await this.saveSnapshotWith(db, docName, fold(stored), throughId);
			return { throughId, folded: stored.updates.length };
		};
		if (this.opts.singleProcess) return run(this.db);
		return this.db.transaction(async (tx) => {
			const [row] = rowsOf<{ locked: boolean }>(
				await tx.execute(
					sql`select pg_try_advisory_xact_lock(${COMPACT_LOCK_NAMESPACE}::int4, hashtext(${docName})) as locked`
				)
			);
			if (!row?.locked) return null;
			return run(tx as unknown as Db);
		});
	}

	/** Saves a snapshot; on PostgreSQL under the document's compaction lock, skipped while another node compacts it. */
	async saveSnapshot(docName: string, state: Uint8Array, throughId: number): Promise<void> {
		if (this.opts.singleProcess) return this.saveSnapshotWith(this.db, docName, state, throughId);
		await this.db.transaction(async (tx) => {
			const [row] = rowsOf<{ locked: boolean }>(
				await tx.execute(
					sql`select pg_try_advisory_xact_lock(${COMPACT_LOCK_NAMESPACE}::int4, hashtext(${docName})) as locked`
				)
			);
			if (row?.locked) await this.saveSnapshotWith(tx as unknown as Db, docName, state, throughId);
		});
	}

	/**
	 * A bulk write (an import, a seed, a data migration): the updates in one insert and, in the same
	 * transaction, a snapshot through the last of them, so the document never opens from a long tail.
	 * The snapshot is built from what was stored before plus these updates.
	 */
	async importUpdates(docName: string, entries: AppendEntry[]): Promise<number> {
		if (entries.length === 0) throw new Error('import needs at least one entry');
		return this.db.transaction(async (tx) => {
			const db = tx as unknown as Db;
			if (!this.opts.singleProcess) {
				await tx.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK_NAMESPACE}::int4, hashtext(${docName}))`);
				await tx.execute(sql`select pg_advisory_xact_lock(${COMPACT_LOCK_NAMESPACE}::int4, hashtext(${docName}))`);
			}
			const rows = entries.map((e) => ({
				docName,
				update: e.update,
				userId: e.userId,
				...(e.at ? { createdAt: e.at } : {})
			}));
			let lastId = 0;
			// Bounded statements: PostgreSQL takes at most 65,535 parameters in one.
			for (let i = 0; i < rows.length; i += 5000) {
				const inserted = await db
					.insert(docUpdates)
					.values(rows.slice(i, i + 5000))
					.returning({ id: docUpdates.id });
				for (const r of inserted) if (r.id > lastId) lastId = r.id;
			}
			const stored = await this.loadWith(db, docName);
			const doc = new Y.Doc({ gc: true });
			try {
				applyStoredDoc(doc, stored);
				await this.saveSnapshotWith(db, docName, Y.encodeStateAsUpdate(doc), lastId);
			} finally {
				doc.destroy();
			}
			return lastId;
		});
	}

	private async saveSnapshotWith(db: Db, docName: string, state: Uint8Array, throughId: number): Promise<void> {
		await db
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
