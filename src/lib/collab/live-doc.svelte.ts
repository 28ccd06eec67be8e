import * as Y from 'yjs';
import { tick } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { CLOSE, isRefusal, parseRefusal, type RefusalDetail, type RefusalReason } from '$lib/sync/close-codes';
import { MESSAGE_SAVING, readSavingDelayed } from '$lib/sync/saving';
import { offlineStoreName } from './offline';

/** `delayed`: connected, but the server cannot store what we send yet (it retries; nothing is lost, nothing is shared until then). */
export type ConnectionState =
	'connecting' | 'syncing' | 'online' | 'delayed' | 'offline' | 'reconnecting' | 'busy' | 'refused';

/** An update of ours the server refused (`CLOSE.refused`): why, as the server said it, and when. */
export interface Refusal {
	/** One of `REFUSAL`; null when the server gave a reason this client does not know. */
	reason: RefusalReason | null;
	/** What it was about (`not-allowed measure/status <id>`), when the server said. */
	detail: RefusalDetail | null;
	at: number;
}

/** Server closes the provider recovers from by itself, at once: a restart, a reload from storage. Not trouble. */
const RECONNECTS = new Set<number>([CLOSE.goingAway, CLOSE.internalError, CLOSE.reloaded, CLOSE.tryAgainLater]);

/**
 * After `CLOSE.rateLimited`, wait at least `minMs` plus up to `jitterMs` at random, so the clients the server
 * turned away together do not all come back together.
 */
export const BUSY_RETRY = { minMs: 10_000, jitterMs: 20_000 } as const;

/**
 * Refusals this close together mean the server refuses even a fresh copy (a fresh document sends nothing of its
 * own): resetting again would only loop. Then stop, and ask for a reload.
 */
const RESET_LOOP = { resets: 3, withinMs: 60_000 } as const;

/** How long to wait for the offline copy to be deleted (another tab holding it open blocks the delete). */
const CLEAR_TIMEOUT_MS = 3000;

/** Something that works on the document (an undo manager, presence, a render subscription). */
type Attach = (doc: Y.Doc, awareness: Awareness) => () => void;

interface Session {
	doc: Y.Doc;
	provider: WebsocketProvider;
	offline: IndexeddbPersistence;
}

/**
 * One live Yjs document in the browser: the y-websocket connection to `/collab/<name>`, the offline copy in
 * IndexedDB, and the connection state for the UI.
 *
 * When the server refuses an update (`CLOSE.refused`) this client is ahead of the server, and its later updates
 * may depend on the refused one, so it cannot simply carry on: it throws its local state away (the `Y.Doc` and
 * the offline copy), opens a fresh document and resyncs from the server. `doc`, `provider` and `awareness`
 * then return the new ones (`generation` counts the replacements); what was attached with `bind` is detached
 * from the old document and attached to the new one, and `refusal` says what happened.
 */
export class LiveDoc {
	#session: Session;
	#state = $state<ConnectionState>('connecting');
	#refusedWith = $state<number | null>(null);
	/** The server said it cannot store our changes yet (`MESSAGE_SAVING`); cleared when it says saved, or the socket drops. */
	#savingDelayed = $state(false);
	#ready = $state(false);
	#generation = $state(0);
	#refusal = $state.raw<Refusal | null>(null);
	// Wiring to the editors bound to this document, not state a page reads.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#bindings = new Set<{ attach: Attach; detach: () => void }>();
	#busyTimer: ReturnType<typeof setTimeout> | undefined;
	#resetting = false;
	#recentResets: number[] = [];
	#destroyed = false;

	constructor(
		readonly name: string,
		private readonly userId: string
	) {
		this.#session = $state.raw(this.#open());
		// The browser knows before the socket does: go offline at once (edits keep landing in IndexedDB),
		// and reconnect the moment the network is back, without waiting for the backoff timer.
		window.addEventListener('offline', this.#onOffline);
		window.addEventListener('online', this.#onOnline);
	}

	get doc(): Y.Doc {
		return this.#session.doc;
	}
	get provider(): WebsocketProvider {
		return this.#session.provider;
	}
	get awareness(): Awareness {
		return this.#session.provider.awareness;
	}
	get state(): ConnectionState {
		return this.#state === 'online' && this.#savingDelayed ? 'delayed' : this.#state;
	}
	/** The close code when the server refused us for good (4401, 4403, 4400, 4413): the UI says why instead of spinning. */
	get refusedWith(): number | null {
		return this.#refusedWith;
	}
	/** True once local content (offline copy or server state) is in the doc; false again while a refused doc is replaced. */
	get ready(): boolean {
		return this.#ready;
	}
	/** How many times the document was replaced after a refusal. */
	get generation(): number {
		return this.#generation;
	}
	/** The last refused update, until the person dismisses the message. */
	get refusal(): Refusal | null {
		return this.#refusal;
	}

	dismissRefusal(): void {
		this.#refusal = null;
	}

	/**
	 * Attach something to the document now, and again to every document that replaces it; the function it
	 * returns detaches from the old one first. Returns a function that detaches for good.
	 */
	bind(attach: Attach): () => void {
		const binding = { attach, detach: once(attach(this.doc, this.awareness)) };
		this.#bindings.add(binding);
		return () => {
			if (!this.#bindings.delete(binding)) return;
			binding.detach();
		};
	}

	#open(): Session {
		const doc = new Y.Doc();
		const offline = new IndexeddbPersistence(offlineStoreName(this.userId, this.name), doc);
		const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		const provider = new WebsocketProvider(base, this.name, doc, { disableBc: true, maxBackoffTime: 5000 });
		const current = () => this.#session?.doc === doc && !this.#destroyed;

		// An offline copy with content is good enough to start from; an empty one is not (wait for the server).
		offline.whenSynced.then(() => {
			if (current() && doc.store.clients.size > 0) this.#ready = true;
		});
		provider.messageHandlers[MESSAGE_SAVING] = (_encoder, decoder) => {
			const delayed = readSavingDelayed(decoder);
			if (current()) this.#savingDelayed = delayed;
		};
		provider.on('status', ({ status }) => {
			if (!current()) return;
			if (status !== 'connected') this.#savingDelayed = false;
			if (this.#state === 'refused') return;
			if (status === 'connected') this.#state = provider.synced ? 'online' : 'syncing';
			else if (status === 'connecting') this.#state = this.#state === 'reconnecting' ? 'reconnecting' : 'connecting';
			// Disconnected: the close handler below already chose a better word for the closes the server meant.
			else if (this.#state !== 'reconnecting' && this.#state !== 'busy') this.#state = 'offline';
		});
		provider.on('sync', (synced: boolean) => {
			if (!current()) return;
			if (synced) this.#ready = true;
			if (this.#state !== 'refused' && provider.wsconnected) this.#state = synced ? 'online' : 'syncing';
		});
		provider.on('connection-close', (event) => {
			// `null` when we closed the socket ourselves (offline, destroy).
			if (!event || !current()) return;
			if (event.code === CLOSE.refused) void this.#reset(event.reason);
			else if (event.code === CLOSE.rateLimited) this.#retryLater();
			else if (isRefusal(event.code)) {
				this.#state = 'refused';
				this.#refusedWith = event.code;
			} else if (RECONNECTS.has(event.code)) this.#state = 'reconnecting';
		});
		return { doc, provider, offline };
	}

	/** `CLOSE.rateLimited`: the provider does not retry a 44xx by itself; come back after a while, jittered. */
	#retryLater(): void {
		this.#state = 'busy';
		clearTimeout(this.#busyTimer);
		this.#busyTimer = setTimeout(
			() => {
				this.#busyTimer = undefined;
				if (this.#destroyed || this.#state !== 'busy') return;
				this.#state = 'connecting';
				this.provider.connect();
			},
			BUSY_RETRY.minMs + Math.random() * BUSY_RETRY.jitterMs
		);
	}

	/**
	 * `CLOSE.refused`: nothing of the refused update was stored, so everything local that is not on the server
	 * is suspect. Drop the document and its offline copy, start again from what the server has.
	 */
	async #reset(reason: string): Promise<void> {
		if (this.#resetting) return;
		const old = this.#session;
		const now = Date.now();
		const parsed = parseRefusal(reason);
		this.#refusal = { reason: parsed?.reason ?? null, detail: parsed?.detail ?? null, at: now };
		this.#recentResets = [...this.#recentResets.filter((at) => now - at < RESET_LOOP.withinMs), now];
		if (this.#recentResets.length > RESET_LOOP.resets) {
			this.#state = 'refused';
			this.#refusedWith = CLOSE.refused;
			return;
		}
		this.#resetting = true;
		this.#ready = false;
		this.#state = 'connecting';
		old.provider.disconnect();
		for (const binding of this.#bindings) binding.detach();
		// With `ready` false the page unmounts its editors: let that happen while the old document still works.
		await tick();
		old.provider.destroy();
		await forgetOfflineCopy(old.offline);
		old.doc.destroy();
		this.#resetting = false;
		if (this.#destroyed) return;

		this.#session = this.#open();
		this.#generation++;
		for (const binding of this.#bindings) binding.detach = once(binding.attach(this.doc, this.awareness));
	}

	#onOffline = () => {
		if (this.#state === 'refused' || this.#resetting) return;
		clearTimeout(this.#busyTimer);
		this.provider.disconnect();
		this.#state = 'offline';
	};

	#onOnline = () => {
		if (this.#state === 'refused' || this.#state === 'busy' || this.#resetting) return;
		this.provider.connect();
	};

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#busyTimer);
		window.removeEventListener('offline', this.#onOffline);
		window.removeEventListener('online', this.#onOnline);
		for (const binding of this.#bindings) binding.detach();
		this.#bindings.clear();
		if (this.#resetting) return; // the reset under way tears the old session down, and opens no new one
		this.#session.provider.destroy();
		this.#session.offline.destroy();
		this.#session.doc.destroy();
	}
}

/** Close the offline copy and delete it. Never throws: a copy that cannot be deleted must not stop the resync. */
async function forgetOfflineCopy(offline: IndexeddbPersistence): Promise<void> {
	try {
		await offline.destroy();
		// Another tab with the same copy open blocks the delete until it closes; the new copy's open queues behind it.
		await Promise.race([clearDocument(offline.name), new Promise((resolve) => setTimeout(resolve, CLEAR_TIMEOUT_MS))]);
	} catch (error) {
		console.error(`The offline copy of ${offline.name} could not be deleted`, error);
	}
}

function once(fn: () => void): () => void {
	let done = false;
	return () => {
		if (done) return;
		done = true;
		fn();
	};
}
