import * as Y from 'yjs';
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate as encodeAwarenessStates,
	removeAwarenessStates
} from 'y-protocols/awareness';
import { parseLiveDocName, type LiveDocKind } from '../../plan/schema';
import { REFUSAL } from '../../sync/close-codes';
import type { Actor } from '../../plan/rights';
import { Compactor, type CompactionResult } from './compaction';
import { applyStoredDoc, type AppendEntry, type DocStore, type StoredDoc } from './doc-store';
import type { Fanout, FanoutMessage } from './fanout';
import { checkUpdate, type StructureLimits } from './gate';
import type { CollabLimits } from './limits';
import {
	assertValidStateVector,
	decodeAwarenessUpdate,
	encodeAwarenessMessage,
	encodeAwarenessUpdate,
	encodeSyncStep2,
	encodeUpdateMessage,
	isEmptyUpdate,
	type AwarenessEntry
} from './protocol';
import { LOAD_ORIGIN, REMOTE_ORIGIN, ServerOrigin, type CollabLogger, type Identity } from './types';
import { WriteQueue } from './write-queue';
import { encodeSavingMessage } from '../../sync/saving';
import { collabMetrics } from './metrics';

/** What a document needs from a client connection (implemented by `Connection`). */
export interface DocClient {
	readonly identity: Identity;
	/** Who the sender is in this plan (roles, services): what the gate checks its updates against. */
	readonly actor: Actor;
	/** Awareness client ids this connection has claimed. */
	readonly clientIDs: Set<number>;
	send(message: Uint8Array): void;
	/** Called once per accepted change (the connection records `doc.change` the first time). */
	noteChange(): void;
	close(code: number, reason: string): void;
}

export interface SharedDocOptions {
	name: string;
	store: DocStore;
	fanout: Fanout | null;
	log: CollabLogger;
	limits: Pick<CollabLimits, 'awarenessStatesPerConnection' | 'maxDocumentBytes'>;
	structure: StructureLimits;
	/** Compact once this many stored updates pile up after the snapshot (and the document is quiet). */
	compactThreshold: number;
	/** How long the document must go without stored changes before a compaction runs (default 1 s). */
	compactQuietMs?: number;
	/** How long accepted updates gather before a write starts (see `WriteQueue`). */
	writeBatchMs?: number;
	compact?(): Promise<CompactionResult | null>;
	/** A change failed half-way through applying: the registry reloads the document from storage. */
	onFailed(doc: SharedDoc): void;
	/** Told the document's name after each stored batch (see `CollabServerOptions.onStored`). */
	onStored?(docName: string): void;
}

export type SharedDocState = 'loading' | 'ready' | 'unloading' | 'failed' | 'destroyed';

/** What became of a client's update. */
export type UpdateOutcome =
	| { kind: 'applied' }
	/** The document is being reloaded: the update is not taken; the client resyncs after reconnecting. */
	| { kind: 'ignored' }
	/** It builds on something this document lacks: nothing applied; ask the client for everything (sync step 1). */
	| { kind: 'missing' }
	/** The close reason says why (`formatRefusal`). */
	| { kind: 'refused'; reason: string }
	| { kind: 'malformed'; why: string };

/** An accepted update waiting to be stored, and who should not get it back. */
interface QueuedUpdate extends AppendEntry {
	from: DocClient | null;
}

/**
 * One loaded document: the Y.Doc, its awareness, the connections on it and its write queue.
 * A client's update passes the gate (`gate/`), is applied, stored with the id of the person who sent it, and
 * only then sent to the others and to other nodes: an edit anybody has seen is never lost in a crash. Changes
 * from other nodes were stored there and are only sent on.
 */
export class SharedDoc {
	readonly name: string;
	readonly kind: LiveDocKind;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	readonly connections = new Set<DocClient>();
	state: SharedDocState = 'loading';
	/** Registry holds: connections plus server-side changes in progress. */
	holders = 0;
	/** Highest `doc_updates.id` this node has read or written. */
	lastKnownId = 0;
	private readonly queue: WriteQueue<QueuedUpdate>;
	private readonly compactor: Compactor;
	/** Awareness client id → the local connection that owns it. */
	private readonly owners = new Map<number, DocClient>();
	/** Awareness client id → the person who first claimed it here: nobody else may take it over later. */
	private readonly claimedBy = new Map<number, string>();
	private remoteBacklog: FanoutMessage[] = [];
	/** Replies that may only leave once everything before them is stored: sequence number → send. */
	private afterStored: Array<{ seq: number; send(): void }> = [];
	/** The whole state encoded, while nothing changed: a burst of empty sync step 1s costs one encode. */
	private fullState: Uint8Array | null = null;
	/** Encoded size when last measured (or an upper bound from storage), and bytes accepted since. */
	private size = { measured: 0, growth: 0 };

	constructor(private readonly opts: SharedDocOptions) {
		const parsed = parseLiveDocName(opts.name);
		if (!parsed) throw new Error('not a document name of ours');
		this.name = opts.name;
		this.kind = parsed.kind;
		this.doc = new Y.Doc({ gc: true });
		this.awareness = new Awareness(this.doc);
		// The server itself is not present.
		this.awareness.setLocalState(null);
		this.queue = new WriteQueue<QueuedUpdate>({
			append: (entries) =>
				opts.store.append(opts.name, entries).catch((err: unknown) => {
					collabMetrics.storeFailures.inc();
					throw err;
				}),
			batchDelayMs: opts.writeBatchMs,
			onStored: (entries, lastId) => this.onStored(entries, lastId),
			onDelayed: (delayed) => this.onDelayed(delayed),
			onTimed: (seconds, entries) => {
				collabMetrics.storeSeconds.observe(seconds);
				collabMetrics.updatesStored.inc(entries);
			},
			log: opts.log
		});
		this.compactor = new Compactor({
			name: opts.name,
			store: opts.store,
			log: opts.log,
			threshold: opts.compactThreshold,
			quietMs: opts.compactQuietMs,
			compact: opts.compact,
			isServing: () => this.state === 'ready'
		});
	}

	/** Applies what was stored; nothing of it is broadcast or stored again. */
	applyStored(stored: StoredDoc): void {
		applyStoredDoc(this.doc, stored, LOAD_ORIGIN);
		this.lastKnownId = stored.updates.length ? stored.updates[stored.updates.length - 1].id : stored.throughId;
		this.compactor.loaded(this.doc, stored.updates.length, this.lastKnownId);
		// An upper bound without encoding: re-measured only if it comes near the limit.
		this.size.measured =
			(stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.update.byteLength, 0);
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
		this.compactor.started();
	}

	/** Applies updates stored after what we loaded (another node's writes that raced our load). */
	async catchUp(): Promise<void> {
		if (this.state !== 'ready') return;
		const rows = await this.opts.store.loadSince(this.name, this.lastKnownId);
		if (this.state !== 'ready' || rows.length === 0) return;
		this.guarded('catch-up', () =>
			this.doc.transact(() => {
				for (const r of rows) Y.applyUpdate(this.doc, r.update);
			}, REMOTE_ORIGIN)
		);
		const last = rows[rows.length - 1].id;
		if (last > this.lastKnownId) this.lastKnownId = last;
	}

	// --- clients -----------------------------------------------------------------------------------

	addConnection(client: DocClient): void {
		this.connections.add(client);
		if (this.queue.delayed) client.send(encodeSavingMessage(true));
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

	/**
	 * Sync step 2 for a client's state vector: what it lacks. Sent once everything in it is stored, so a client
	 * never sees an edit that a crash could still lose.
	 */
	replySyncStep1(client: DocClient, stateVector: Uint8Array): void {
		assertValidStateVector(stateVector);
		const reply = encodeSyncStep2(this.lacking(stateVector));
		this.whenStored(() => client.send(reply));
	}

	/** Everything the state vector lacks; the whole document comes from a cache while it is unchanged. */
	private lacking(stateVector: Uint8Array): Uint8Array {
		const sv = Y.decodeStateVector(stateVector);
		for (const client of this.doc.store.clients.keys()) {
			if ((sv.get(client) ?? 0) > 0) return Y.encodeStateAsUpdate(this.doc, stateVector);
		}
		this.fullState ??= Y.encodeStateAsUpdate(this.doc);
		return this.fullState;
	}

	/** A writer's update: checked whole before it touches the document, then applied whole or not at all. */
	receiveUpdate(client: DocClient, update: Uint8Array): UpdateOutcome {
		if (this.state !== 'ready') return { kind: 'ignored' };
		const verdict = checkUpdate(this.doc, this.kind, update, client.actor, this.opts.structure);
		if (verdict.kind === 'missing' || verdict.kind === 'malformed') return verdict;
		if (verdict.kind === 'refuse') return { kind: 'refused', reason: verdict.reason };
		if (!this.hasRoomFor(update.byteLength)) return { kind: 'refused', reason: REFUSAL.documentFull };
		this.guarded('client update', () => Y.applyUpdate(this.doc, update, client));
		collabMetrics.updatesAccepted.inc();
		return { kind: 'applied' };
	}

	/**
	 * Room for `bytes` more: the last measured size plus everything accepted since. Near the limit the size is
	 * measured again (deletions may have freed room), but at most once per 1/64 of the limit accepted, so a
	 * full document cannot be made to encode itself on every message.
	 */
	private hasRoomFor(bytes: number): boolean {
		const max = this.opts.limits.maxDocumentBytes;
		if (this.size.measured + this.size.growth + bytes <= max) return true;
		if (this.size.measured === 0 || this.size.growth >= max / 64 || this.size.measured > max) {
			this.size = { measured: Y.encodeStateAsUpdate(this.doc).byteLength, growth: 0 };
		}
		return this.size.measured + this.size.growth + bytes <= max;
	}

	/**
	 * A client's awareness: entries for client ids another person owns or once claimed here (or on another node)
	 * are dropped, and the `user` field is always the server-known identity. Returns false when the connection
	 * would own more states than it may.
	 */
	receiveAwareness(client: DocClient, update: Uint8Array): boolean {
		const entries = decodeAwarenessUpdate(update);
		const accepted: AwarenessEntry[] = [];
		for (const e of entries) {
			const claimant = this.claimedBy.get(e.clientID);
			if (claimant !== undefined && claimant !== client.identity.id) continue;
			const owner = this.owners.get(e.clientID);
			// The stock client sends back every presence change it receives, other tabs' and other nodes' too: an
			// entry no newer than the one held is such an echo. Taken as a claim it would move the state to this
			// connection (removed with it later) and count against its limit (4413 for a person with many tabs).
			const held = this.awareness.meta.get(e.clientID);
			if (owner !== client && held && e.clock <= held.clock) continue;
			if (owner && owner !== client) {
				// The same person on a new connection (a reconnect before the old socket was noticed gone).
				owner.clientIDs.delete(e.clientID);
			}
			if (!owner && e.state === null) continue;
			if (!client.clientIDs.has(e.clientID) && client.clientIDs.size >= this.opts.limits.awarenessStatesPerConnection)
				return false;
			this.owners.set(e.clientID, client);
			this.claimedBy.set(e.clientID, client.identity.id);
			client.clientIDs.add(e.clientID);
			accepted.push(e.state === null ? e : { ...e, state: { ...e.state, user: { ...client.identity } } });
		}
		if (accepted.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), client);
		return true;
	}

	/** Every awareness state, as one message (for a client that just came, or asked). */
	awarenessMessage(): Uint8Array | null {
		const ids = Array.from(this.awareness.getStates().keys());
		if (ids.length === 0) return null;
		return encodeAwarenessMessage(encodeAwarenessStates(this.awareness, ids));
	}

	// --- server-side changes -------------------------------------------------------------------------

	/** Runs a trusted change with the server as origin, attributed to `actorId`; resolves once stored and sent. */
	async applyServerChange(change: (doc: Y.Doc) => void, actorId: string | null): Promise<void> {
		if (this.state !== 'ready') throw new Error(`document ${this.name} is not ready`);
		this.guarded('server change', () => this.doc.transact(() => change(this.doc), new ServerOrigin(actorId)));
		if (this.state !== 'ready') throw new Error(`document ${this.name} failed to apply a server change`);
		await this.queue.flush();
	}

	// --- other nodes ---------------------------------------------------------------------------------

	handleRemote(msg: FanoutMessage): void {
		if (this.state === 'loading') {
			this.remoteBacklog.push(msg);
			return;
		}
		if (this.state !== 'ready') return;
		const fanout = this.opts.fanout;
		switch (msg.kind) {
			case 'update':
				this.guarded('update from another node', () => Y.applyUpdate(this.doc, msg.update, REMOTE_ORIGIN));
				break;
			case 'awareness': {
				// Another node may not speak for clients connected here.
				const entries = decodeAwarenessUpdate(msg.update).filter((e) => !this.owners.has(e.clientID));
				for (const e of entries) {
					const id = (e.state?.user as { id?: unknown } | undefined)?.id;
					if (typeof id === 'string' && !this.claimedBy.has(e.clientID)) this.claimedBy.set(e.clientID, id);
				}
				if (entries.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), REMOTE_ORIGIN);
				break;
			}
			case 'sync-query': {
				const diff = Y.encodeStateAsUpdate(this.doc, msg.stateVector);
				if (!isEmptyUpdate(diff)) this.whenStored(() => fanout?.publishUpdate(this.name, diff, msg.from));
				// The asker has something we lack (both sides missed messages while Redis was down): ask it back.
				if (this.lacksSomethingOf(msg.stateVector))
					fanout?.querySync(this.name, Y.encodeStateVector(this.doc), msg.from);
				break;
			}
			case 'awareness-query': {
				const ids = [...this.owners.keys()].filter((id) => this.awareness.states.has(id));
				if (ids.length > 0) fanout?.publishAwareness(this.name, encodeAwarenessStates(this.awareness, ids), msg.from);
				break;
			}
		}
	}

	/** Whether a peer's state vector counts more of some client's changes than this document holds. */
	private lacksSomethingOf(stateVector: Uint8Array): boolean {
		const ours = Y.decodeStateVector(Y.encodeStateVector(this.doc));
		for (const [client, clock] of Y.decodeStateVector(stateVector)) if (clock > (ours.get(client) ?? 0)) return true;
		return false;
	}

	/** After the fan-out reconnected: ask again for anything missed. */
	resync(): void {
		if (this.state !== 'ready' || !this.opts.fanout) return;
		this.opts.fanout.querySync(this.name, Y.encodeStateVector(this.doc));
		this.opts.fanout.queryAwareness(this.name);
	}

	// --- persistence ---------------------------------------------------------------------------------

	/** Resolves once every accepted change so far is stored (and sent on). */
	flush(): Promise<void> {
		return this.queue.flush();
	}

	get unstored(): number {
		return this.queue.size;
	}

	get tailCount(): number {
		return this.compactor.tailCount;
	}

	/** Compacts now (after any compaction already running). */
	compactNow(): Promise<void> {
		return this.compactor.now();
	}

	// --- teardown ------------------------------------------------------------------------------------

	/** Frees the document. `abort` drops unstored changes (a crash or a non-graceful shutdown). */
	destroy(abort = false): void {
		if (this.state === 'destroyed') return;
		this.compactor.cancel();
		this.state = 'destroyed';
		if (abort) this.queue.abort();
		this.afterStored = [];
		this.doc.off('update', this.onUpdate);
		this.awareness.off('update', this.onAwarenessUpdate);
		this.connections.clear();
		this.owners.clear();
		this.awareness.destroy();
		this.doc.destroy();
	}

	// --- internals -----------------------------------------------------------------------------------

	/** Runs `send` once everything accepted so far is stored (at once if it is). */
	private whenStored(send: () => void): void {
		const seq = this.queue.pushed;
		if (this.queue.stored >= seq) send();
		else this.afterStored.push({ seq, send });
	}

	/**
	 * Applies a change; if Yjs throws half-way (a structure the gate should have refused, a bug), the document
	 * in memory can no longer be trusted: what the failed change queued is dropped, and the registry reloads the
	 * document from storage and reconnects its clients, who then resync.
	 */
	private guarded(what: string, apply: () => void): void {
		const mark = this.queue.pushed;
		try {
			apply();
		} catch (err) {
			const dropped = this.queue.dropAfter(mark);
			this.state = 'failed';
			this.opts.log.error(
				{ err, doc: this.name, what, dropped },
				'collab: a change failed to apply; reloading the document'
			);
			this.opts.onFailed(this);
		}
	}

	private attribution(origin: unknown): string | null {
		if (origin instanceof ServerOrigin) return origin.actorId;
		if (this.connections.has(origin as DocClient)) return (origin as DocClient).identity.id;
		return null;
	}

	private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin === LOAD_ORIGIN) return;
		this.fullState = null;
		this.size.growth += update.byteLength;
		if (origin === REMOTE_ORIGIN) {
			// Stored by the node that accepted it.
			const message = encodeUpdateMessage(update);
			for (const c of this.connections) c.send(message);
			return;
		}
		const from = this.connections.has(origin as DocClient) ? (origin as DocClient) : null;
		this.queue.push({ update, userId: this.attribution(origin), at: new Date(), from });
		from?.noteChange();
	};

	/**
	 * The database did not take a batch (it is being retried) or took it again: every client here hears it.
	 * Nothing is forwarded meanwhile; what the clients sent stays in the queue, and in their own copies.
	 */
	private onDelayed(delayed: boolean): void {
		this.opts.log[delayed ? 'warn' : 'info'](
			{ doc: this.name, unstored: this.queue.size },
			delayed ? 'collab: saving delayed, retrying' : 'collab: saving resumed'
		);
		const message = encodeSavingMessage(delayed);
		for (const c of this.connections) c.send(message);
	}

	/** True while accepted updates wait for the database. */
	get savingDelayed(): boolean {
		return this.queue.delayed;
	}

	/** Stored: now the others may see it. */
	private onStored(entries: QueuedUpdate[], lastId: number): void {
		if (lastId > this.lastKnownId) this.lastKnownId = lastId;
		this.compactor.stored(entries.length);
		for (const e of entries) {
			const message = encodeUpdateMessage(e.update);
			for (const c of this.connections) if (c !== e.from) c.send(message);
			this.opts.fanout?.publishUpdate(this.name, e.update);
		}
		const stored = this.queue.stored;
		let i = 0;
		while (i < this.afterStored.length && this.afterStored[i].seq <= stored) this.afterStored[i++].send();
		if (i > 0) this.afterStored.splice(0, i);
		try {
			this.opts.onStored?.(this.name);
		} catch (err) {
			this.opts.log.error({ err, doc: this.name }, 'collab: onStored listener failed');
		}
	}

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
