import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate as encodeAwarenessStates, removeAwarenessStates } from 'y-protocols/awareness';
import type { CompactionResult } from './compaction';
import { applyStoredDoc, type DocStore, type StoredDoc } from './doc-store';
import type { Fanout, FanoutMessage } from './fanout';
import {
	assertValidStateVector,
	assertValidUpdate,
	decodeAwarenessUpdate,
	encodeAwarenessMessage,
	encodeAwarenessUpdate,
	encodeSyncStep2,
	encodeUpdateMessage,
	isEmptyUpdate,
	ProtocolError,
	type AwarenessEntry
} from './protocol';
import { LOAD_ORIGIN, REMOTE_ORIGIN, ServerOrigin, type CollabLogger, type Identity } from './types';
import { WriteQueue } from './write-queue';

/** What a document needs from a client connection (implemented by `Connection`). */
export interface DocClient {
	readonly identity: Identity;
	/** Awareness client ids this connection has claimed. */
	readonly clientIDs: Set<number>;
	send(message: Uint8Array): void;
	/** Called once per accepted change (the connection records `doc.change` the first time). */
	noteChange(): void;
}

export interface SharedDocOptions {
	name: string;
	store: DocStore;
	fanout: Fanout | null;
	log: CollabLogger;
	/** Compact once this many stored updates pile up after the snapshot (and the document is quiet). */
	compactThreshold: number;
	/** How long the document must go without stored changes before a compaction runs (default 1 s). */
	compactQuietMs?: number;
	/** How long accepted updates gather before one insert stores them (see `WriteQueue`). */
	writeBatchMs?: number;
	compact(): Promise<CompactionResult | null>;
}

export type SharedDocState = 'loading' | 'ready' | 'unloading' | 'destroyed';

/**
 * One loaded document: the Y.Doc, its awareness, the connections on it and its write queue.
 * Every accepted change is broadcast (encoded once), published to other nodes and queued for storage
 * with the id of the person who sent it; changes from other nodes are only broadcast.
 */
export class SharedDoc {
	readonly name: string;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	readonly connections = new Set<DocClient>();
	state: SharedDocState = 'loading';
	/** Registry holds: connections plus server-side changes in progress. */
	holders = 0;
	/** Stored updates after the snapshot, as far as this node knows (it counts its own appends). */
	tailCount = 0;
	/** Highest `doc_updates.id` this node has read or written. */
	lastKnownId = 0;
	private readonly queue: WriteQueue;
	/** Awareness client id → the local connection that owns it. */
	private readonly owners = new Map<number, DocClient>();
	private remoteBacklog: FanoutMessage[] = [];
	private compaction: Promise<void> | null = null;
	private compactTimer: ReturnType<typeof setTimeout> | null = null;
	/** The state exactly as stored, captured at load when the tail was long: saved as a snapshot without re-reading. */
	private loadedSnapshot: { state: Uint8Array; throughId: number; folded: number } | null = null;

	constructor(private readonly opts: SharedDocOptions) {
		this.name = opts.name;
		this.doc = new Y.Doc({ gc: true });
		this.awareness = new Awareness(this.doc);
		// The server itself is not present.
		this.awareness.setLocalState(null);
		this.queue = new WriteQueue({
			append: (entries) => opts.store.append(opts.name, entries),
			batchDelayMs: opts.writeBatchMs,
			onStored: (count, lastId) => {
				this.tailCount += count;
				if (lastId > this.lastKnownId) this.lastKnownId = lastId;
				if (this.tailCount > opts.compactThreshold) this.requestCompaction();
			},
			log: opts.log
		});
	}

	/** Applies what was stored; nothing of it is broadcast or stored again. */
	applyStored(stored: StoredDoc): void {
		applyStoredDoc(this.doc, stored, LOAD_ORIGIN);
		this.tailCount = stored.updates.length;
		this.lastKnownId = stored.updates.length ? stored.updates[stored.updates.length - 1].id : stored.throughId;
		// Right now the document is exactly what is stored through lastKnownId: encoding it is the compaction,
		// for the cost of one encode instead of reading and applying everything a second time.
		if (this.tailCount > this.opts.compactThreshold) {
			this.loadedSnapshot = { state: Y.encodeStateAsUpdate(this.doc), throughId: this.lastKnownId, folded: this.tailCount };
		}
	}

	/** Loaded: start serving, apply what other nodes sent meanwhile, and ask them for anything we lack. */
	start(): void {
		this.doc.on('update', this.onUpdate);
		this.awareness.on('update', this.onAwarenessUpdate);
		this.state = 'ready';
		const backlog = this.remoteBacklog;
		this.remoteBacklog = [];
		for (const msg of backlog) this.handleRemote(msg);
		if (this.opts.fanout) {
			this.opts.fanout.querySync(this.name, Y.encodeStateVector(this.doc));
			this.opts.fanout.queryAwareness(this.name);
		}
		// Not now: the first clients are waiting for their sync reply, and PGlite writes on this thread.
		if (this.loadedSnapshot) this.requestCompaction();
	}

	/** Applies updates stored after what we loaded (another node's writes that raced our load). */
	async catchUp(): Promise<void> {
		if (this.state !== 'ready') return;
		const rows = await this.opts.store.loadSince(this.name, this.lastKnownId);
		if (this.state !== 'ready' || rows.length === 0) return;
		this.doc.transact(() => {
			for (const r of rows) Y.applyUpdate(this.doc, r.update);
		}, REMOTE_ORIGIN);
		const last = rows[rows.length - 1].id;
		if (last > this.lastKnownId) this.lastKnownId = last;
	}

	// --- clients -----------------------------------------------------------------------------------

	addConnection(client: DocClient): void {
		this.connections.add(client);
	}

	/** Removes the connection and the awareness states it owned (others see it leave). */
	removeConnection(client: DocClient): void {
		if (!this.connections.delete(client)) return;
		const ids: number[] = [];
		for (const id of client.clientIDs) {
			if (this.owners.get(id) === client) {
				this.owners.delete(id);
				ids.push(id);
			}
		}
		client.clientIDs.clear();
		if (ids.length > 0 && this.state !== 'destroyed') removeAwarenessStates(this.awareness, ids, client);
	}

	/** Sync step 2 for a client's state vector: what it lacks. */
	syncStep2For(stateVector: Uint8Array): Uint8Array {
		assertValidStateVector(stateVector);
		return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
	}

	/** A writer's update: checked completely before it touches the document. */
	applyClientUpdate(client: DocClient, update: Uint8Array): void {
		assertValidUpdate(update);
		try {
			Y.applyUpdate(this.doc, update, client);
		} catch (err) {
			throw new ProtocolError(`update failed to apply: ${(err as Error).message}`);
		}
	}

	/**
	 * A client's awareness: entries for client ids another person's connection owns (here or on another node)
	 * are dropped, and the `user` field is always the server-known identity.
	 */
	applyClientAwareness(client: DocClient, update: Uint8Array): void {
		const entries = decodeAwarenessUpdate(update);
		const accepted: AwarenessEntry[] = [];
		for (const e of entries) {
			const owner = this.owners.get(e.clientID);
			if (owner && owner !== client) {
				if (owner.identity.id !== client.identity.id) continue;
				// The same person on a new connection (a reconnect before the old socket was noticed gone).
				owner.clientIDs.delete(e.clientID);
			} else if (!owner && this.awareness.states.has(e.clientID)) {
				// Held by a client on another node: only the same person may take it over (a reconnect here).
				const remoteUser = this.awareness.states.get(e.clientID)?.user as { id?: unknown } | undefined;
				if (remoteUser?.id !== client.identity.id) continue;
			}
			if (!owner && e.state === null) continue;
			this.owners.set(e.clientID, client);
			client.clientIDs.add(e.clientID);
			accepted.push(e.state === null ? e : { ...e, state: { ...e.state, user: { ...client.identity } } });
		}
		if (accepted.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), client);
	}

	/** Every awareness state, as one message (for a client that just came, or asked). */
	awarenessMessage(): Uint8Array | null {
		const ids = Array.from(this.awareness.getStates().keys());
		if (ids.length === 0) return null;
		return encodeAwarenessMessage(encodeAwarenessStates(this.awareness, ids));
	}

	// --- server-side changes -------------------------------------------------------------------------

	/** Runs a trusted change with the server as origin, attributed to `actorId`; resolves once stored. */
	async applyServerChange(change: (doc: Y.Doc) => void, actorId: string | null): Promise<void> {
		if (this.state !== 'ready') throw new Error(`document ${this.name} is not ready`);
		this.doc.transact(() => change(this.doc), new ServerOrigin(actorId));
		await this.queue.flush();
	}

	// --- other nodes ---------------------------------------------------------------------------------

	handleRemote(msg: FanoutMessage): void {
		if (this.state === 'loading') {
			this.remoteBacklog.push(msg);
			return;
		}
		if (this.state === 'destroyed') return;
		const fanout = this.opts.fanout;
		switch (msg.kind) {
			case 'update':
				try {
					Y.applyUpdate(this.doc, msg.update, REMOTE_ORIGIN);
				} catch (err) {
					this.opts.log.error({ err, doc: this.name, from: msg.from }, 'collab: update from another node failed');
				}
				break;
			case 'awareness': {
				// Another node may not speak for clients connected here.
				const entries = decodeAwarenessUpdate(msg.update).filter((e) => !this.owners.has(e.clientID));
				if (entries.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), REMOTE_ORIGIN);
				break;
			}
			case 'sync-query': {
				const diff = Y.encodeStateAsUpdate(this.doc, msg.stateVector);
				if (!isEmptyUpdate(diff)) fanout?.publishUpdate(this.name, diff, msg.from);
				break;
			}
			case 'awareness-query': {
				const ids = [...this.owners.keys()].filter((id) => this.awareness.states.has(id));
				if (ids.length > 0) fanout?.publishAwareness(this.name, encodeAwarenessStates(this.awareness, ids), msg.from);
				break;
			}
		}
	}

	/** After the fan-out reconnected: ask again for anything missed. */
	resync(): void {
		if (this.state !== 'ready' || !this.opts.fanout) return;
		this.opts.fanout.querySync(this.name, Y.encodeStateVector(this.doc));
		this.opts.fanout.queryAwareness(this.name);
	}

	// --- persistence ---------------------------------------------------------------------------------

	/** Resolves once every accepted change so far is stored. */
	flush(): Promise<void> {
		return this.queue.flush();
	}

	get unstored(): number {
		return this.queue.size;
	}

	/** Compacts now (after any compaction already running). */
	async compactNow(): Promise<void> {
		if (this.compactTimer) clearTimeout(this.compactTimer);
		this.compactTimer = null;
		while (this.compaction) await this.compaction;
		await this.runCompaction(this.nextCompaction());
		// What was stored after the load is not in the state captured then.
		if (this.tailCount > 0) await this.runCompaction(this.opts.compact);
	}

	/** The state captured at load, if it is still to be saved (one write); otherwise a compaction from the store. */
	private nextCompaction(): () => Promise<CompactionResult | null> {
		const loaded = this.loadedSnapshot;
		if (!loaded) return this.opts.compact;
		this.loadedSnapshot = null;
		return async () => {
			await this.opts.store.saveSnapshot(this.name, loaded.state, loaded.throughId);
			return { throughId: loaded.throughId, folded: loaded.folded };
		};
	}

	/**
	 * Compaction re-reads and re-applies the stored document, which blocks the event loop for a time that grows
	 * with the plan. So it waits for a quiet moment, not the middle of a burst of edits; a tail ten times the
	 * threshold compacts regardless, so a document that is never quiet still gets compacted.
	 */
	private requestCompaction(): void {
		if (this.compaction || this.state !== 'ready') return;
		if (this.compactTimer) clearTimeout(this.compactTimer);
		// The state captured at load always waits: the first clients' sync replies go first.
		const overdue = !this.loadedSnapshot && this.tailCount > 10 * this.opts.compactThreshold;
		this.compactTimer = setTimeout(
			() => {
				this.compactTimer = null;
				if (!this.compaction && this.state === 'ready') void this.runCompaction(this.nextCompaction());
			},
			overdue ? 0 : (this.opts.compactQuietMs ?? 1000)
		);
		this.compactTimer.unref?.();
	}

	private runCompaction(work: () => Promise<CompactionResult | null>): Promise<void> {
		const run = (async () => {
			try {
				const result = await work();
				if (result) {
					this.tailCount = Math.max(0, this.tailCount - result.folded);
					this.opts.log.debug({ doc: this.name, throughId: result.throughId, folded: result.folded }, 'collab: compacted');
				}
			} catch (err) {
				this.opts.log.error({ err, doc: this.name }, 'collab: compaction failed');
			} finally {
				this.compaction = null;
			}
		})();
		this.compaction = run;
		return run;
	}

	// --- teardown ------------------------------------------------------------------------------------

	/** Frees the document. `abort` drops unstored changes (a crash or a non-graceful shutdown). */
	destroy(abort = false): void {
		if (this.state === 'destroyed') return;
		if (this.compactTimer) clearTimeout(this.compactTimer);
		this.state = 'destroyed';
		if (abort) this.queue.abort();
		this.doc.off('update', this.onUpdate);
		this.awareness.off('update', this.onAwarenessUpdate);
		this.connections.clear();
		this.owners.clear();
		this.awareness.destroy();
		this.doc.destroy();
	}

	// --- event handlers ------------------------------------------------------------------------------

	private attribution(origin: unknown): string | null {
		if (origin instanceof ServerOrigin) return origin.actorId;
		if (this.connections.has(origin as DocClient)) return (origin as DocClient).identity.id;
		return null;
	}

	private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin === LOAD_ORIGIN) return;
		const message = encodeUpdateMessage(update);
		for (const c of this.connections) if (c !== origin) c.send(message);
		if (origin === REMOTE_ORIGIN) return;
		this.opts.fanout?.publishUpdate(this.name, update);
		this.queue.push({ update, userId: this.attribution(origin), at: new Date() });
		if (this.connections.has(origin as DocClient)) (origin as DocClient).noteChange();
	};

	private readonly onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const changed = added.concat(updated, removed);
		if (changed.length === 0) return;
		const update = encodeAwarenessStates(this.awareness, changed);
		const message = encodeAwarenessMessage(update);
		for (const c of this.connections) if (c !== origin) c.send(message);
		if (!this.opts.fanout || origin === REMOTE_ORIGIN) return;
		if (origin === 'timeout') {
			// Each node times out remote clients itself; it only speaks for its own.
			const own = changed.filter((id) => this.owners.has(id));
			if (own.length > 0) this.opts.fanout.publishAwareness(this.name, encodeAwarenessStates(this.awareness, own));
			return;
		}
		this.opts.fanout.publishAwareness(this.name, update);
	};
}
