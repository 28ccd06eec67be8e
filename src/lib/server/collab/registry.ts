import { CLOSE } from '../../sync/close-codes';
import type { DocStore } from './doc-store';
import type { Fanout } from './fanout';
import type { StructureLimits } from './gate';
import type { CollabLimits } from './limits';
import { SharedDoc } from './shared-doc';
import type { CollabLogger } from './types';

export interface RegistryOptions {
	store: DocStore;
	fanout: Fanout | null;
	log: CollabLogger;
	/** Unload a document this long after its last holder left. */
	idleUnloadMs: number;
	/** Compact when this many updates are stored after the snapshot. */
	compactThreshold: number;
	/** See `WriteQueue.batchDelayMs`. */
	writeBatchMs?: number;
	limits: CollabLimits;
	structure: StructureLimits;
	/**
	 * With fan-out: re-read the stored tail this long after a load, for writes another node stored after our
	 * read but published before our subscription (e.g. while it was unloading). 0 turns it off.
	 */
	catchUpDelayMs: number;
	/** See `CollabServerOptions.onStored`. */
	onStored?(docName: string): void;
}

/**
 * The loaded documents of this node. Concurrent opens of one name share one load; a document is unloaded
 * (stored, compacted, freed) a while after its last holder left; a reopen during an unload waits for it,
 * so it reads what the unload stored. A document whose change failed half-way is reloaded the same way:
 * its clients are closed (1012, they reconnect) and the next open reads it fresh from storage.
 */
export class DocRegistry {
	private readonly loading = new Map<string, Promise<SharedDoc>>();
	private readonly loaded = new Map<string, SharedDoc>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly idleTimers = new Map<SharedDoc, ReturnType<typeof setTimeout>>();
	private readonly catchUpTimers = new Set<ReturnType<typeof setTimeout>>();
	private closed = false;

	constructor(private readonly opts: RegistryOptions) {
		opts.fanout?.onReconnect(() => {
			for (const doc of this.loaded.values()) doc.resync();
		});
	}

	/** Documents in memory: loading, loaded, or still unloading. */
	get size(): number {
		const names = new Set([...this.loading.keys(), ...this.loaded.keys(), ...this.unloading.keys()]);
		return names.size;
	}

	get(name: string): SharedDoc | undefined {
		return this.loaded.get(name);
	}

	/** Loads (or finds) the document and holds it; pair with `release`. */
	async open(name: string): Promise<SharedDoc> {
		for (;;) {
			if (this.closed) throw new Error('collab registry is closed');
			const unloading = this.unloading.get(name);
			if (unloading) {
				await unloading;
				continue;
			}
			const ready = this.loaded.get(name);
			if (ready && ready.state === 'ready') {
				this.hold(ready);
				return ready;
			}
			let pending = this.loading.get(name);
			if (!pending) {
				pending = this.load(name);
				this.loading.set(name, pending);
				const p = pending;
				p.then(
					(doc) => {
						if (this.loading.get(name) === p) this.loading.delete(name);
						this.loaded.set(name, doc);
						// Nobody may be waiting any more (the sockets closed during the load).
						if (doc.holders === 0) this.scheduleUnload(doc);
					},
					() => {
						if (this.loading.get(name) === p) this.loading.delete(name);
					}
				);
			}
			const doc = await pending;
			if (doc.state !== 'ready' || this.closed) continue;
			this.hold(doc);
			return doc;
		}
	}

	release(doc: SharedDoc): void {
		doc.holders = Math.max(0, doc.holders - 1);
		if (doc.holders === 0 && doc.state === 'ready') this.scheduleUnload(doc);
	}

	private hold(doc: SharedDoc): void {
		doc.holders++;
		const timer = this.idleTimers.get(doc);
		if (timer) {
			clearTimeout(timer);
			this.idleTimers.delete(doc);
		}
	}

	private async load(name: string): Promise<SharedDoc> {
		const { store, fanout, log } = this.opts;
		const doc = new SharedDoc({
			name,
			store,
			fanout,
			log,
			limits: this.opts.limits,
			structure: this.opts.structure,
			compactThreshold: this.opts.compactThreshold,
			writeBatchMs: this.opts.writeBatchMs,
			onStored: this.opts.onStored,
			onFailed: (failed) => void this.reload(failed)
		});
		try {
			// Subscribe before reading: whatever another node publishes from now on reaches us (queued until loaded).
			if (fanout) await fanout.subscribe(name, (msg) => doc.handleRemote(msg));
			doc.applyStored(await store.load(name));
			if (this.closed) throw new Error('collab registry is closed');
			doc.start();
		} catch (err) {
			if (fanout) await fanout.unsubscribe(name);
			doc.destroy(true);
			log.error({ err, doc: name }, 'collab: loading a document failed');
			throw err;
		}
		if (fanout && this.opts.catchUpDelayMs > 0) {
			const timer = setTimeout(() => {
				this.catchUpTimers.delete(timer);
				doc.catchUp().catch((err) => log.warn({ err, doc: name }, 'collab: catch-up read failed'));
			}, this.opts.catchUpDelayMs);
			timer.unref?.();
			this.catchUpTimers.add(timer);
		}
		log.debug({ doc: name }, 'collab: loaded');
		return doc;
	}

	private scheduleUnload(doc: SharedDoc): void {
		if (this.closed || this.idleTimers.has(doc)) return;
		const timer = setTimeout(() => {
			this.idleTimers.delete(doc);
			void this.unload(doc);
		}, this.opts.idleUnloadMs);
		this.idleTimers.set(doc, timer);
	}

	/** Stores what is queued, compacts, unsubscribes, frees. If storing fails the document stays loaded. */
	private async unload(doc: SharedDoc): Promise<void> {
		if (doc.holders > 0 || doc.state !== 'ready' || this.loaded.get(doc.name) !== doc) return;
		const name = doc.name;
		doc.state = 'unloading';
		this.loaded.delete(name);
		let done!: () => void;
		this.unloading.set(name, new Promise<void>((r) => (done = r)));
		try {
			try {
				await doc.flush();
			} catch (err) {
				this.opts.log.warn({ err, doc: name }, 'collab: unload postponed, changes not stored yet');
				doc.state = 'ready';
				this.loaded.set(name, doc);
				if (doc.holders === 0) this.scheduleUnload(doc);
				return;
			}
			if (doc.tailCount > 0) await doc.compactNow();
			if (this.opts.fanout) await this.opts.fanout.unsubscribe(name);
			doc.destroy();
			this.opts.log.debug({ doc: name }, 'collab: unloaded');
		} finally {
			this.unloading.delete(name);
			done();
		}
	}

	/**
	 * The document in memory can no longer be trusted: store what it accepted before the failure, close its
	 * clients so they reconnect and resync, and let the next open read it from storage.
	 */
	private async reload(doc: SharedDoc): Promise<void> {
		const name = doc.name;
		if (this.loaded.get(name) !== doc) return;
		this.loaded.delete(name);
		const timer = this.idleTimers.get(doc);
		if (timer) clearTimeout(timer);
		this.idleTimers.delete(doc);
		let done!: () => void;
		this.unloading.set(name, new Promise<void>((r) => (done = r)));
		try {
			try {
				await doc.flush();
			} catch (err) {
				this.opts.log.error(
					{ err, doc: name, unstored: doc.unstored },
					'collab: changes lost while reloading a failed document'
				);
			}
			for (const c of [...doc.connections]) c.close(CLOSE.reloaded, 'document reloaded');
			if (this.opts.fanout) await this.opts.fanout.unsubscribe(name);
			doc.destroy(true);
			this.opts.log.info({ doc: name }, 'collab: document reloaded from storage');
		} finally {
			this.unloading.delete(name);
			done();
		}
	}

	/** Stores everything queued on every document. */
	async flushAll(): Promise<void> {
		await Promise.all([...this.loaded.values()].map((d) => d.flush()));
	}

	/**
	 * Unloads everything. Graceful: store and compact first. Not graceful (`flush: false`): drop what is not
	 * stored yet, as a crash would.
	 */
	async close({ flush = true }: { flush?: boolean } = {}): Promise<void> {
		this.closed = true;
		for (const t of this.idleTimers.values()) clearTimeout(t);
		this.idleTimers.clear();
		for (const t of this.catchUpTimers) clearTimeout(t);
		this.catchUpTimers.clear();
		await Promise.allSettled([...this.loading.values()]);
		await Promise.allSettled([...this.unloading.values()]);
		const docs = [...this.loaded.values()];
		this.loaded.clear();
		await Promise.all(
			docs.map(async (doc) => {
				if (flush) {
					try {
						await doc.flush();
						if (doc.tailCount > 0) await doc.compactNow();
					} catch (err) {
						this.opts.log.error({ err, doc: doc.name, unstored: doc.unstored }, 'collab: changes lost at shutdown');
					}
				}
				if (this.opts.fanout) await this.opts.fanout.unsubscribe(doc.name);
				doc.destroy(!flush);
			})
		);
	}
}
