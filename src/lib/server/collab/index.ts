import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Db, Engine } from '../db';
import { recordAudit } from '../audit';
import { readConfig, type Config } from '../config';
import { log as defaultLog } from '../log';
import { CLOSE } from '../../sync/close-codes';
import { colorForUser } from '../../sync/colors';
import { Connection } from './connection';
import { PgDocStore, applyStoredDoc, type DocStore } from './doc-store';
import { RedisFanout, type Fanout } from './fanout';
import { DEFAULT_STRUCTURE_LIMITS, type StructureLimits } from './gate';
import { Admission, DEFAULT_LIMITS, type CollabLimits } from './limits';
import { AccessWatch, type RevalidateFilter } from './access-watch';
import { collabMetrics, type MetricsSource } from './metrics';
import { DocRegistry } from './registry';
import { sweepSessions } from './session-sweep';
import type { SharedDoc } from './shared-doc';
import type { CollabLogger } from './types';
import { createUpgradeHandler, type AcceptedUpgrade } from './upgrade';

export type CollabConfig = Pick<
	Config,
	| 'collabMaxMessageBytes'
	| 'collabIdleUnloadSeconds'
	| 'collabMaxDocumentBytes'
	| 'origin'
	| 'redisUrl'
	| 'sessionIdleMinutes'
	| 'addressHeader'
	| 'xffDepth'
>;

export interface CollabServerOptions {
	db: Db;
	/** Defaults to `readConfig()`; fields given here win. */
	config?: Partial<CollabConfig>;
	log?: CollabLogger;
	/** Redis for multi-node fan-out; defaults to `config.redisUrl`. Without it the node works alone. */
	redisUrl?: string;
	/** This node's id on the fan-out; random by default. */
	nodeId?: string;
	/** Storage; defaults to `PgDocStore` on `db`. */
	store?: DocStore;
	/**
	 * Told the name of a document each time a batch of its changes is stored (here, by this node). Runs on the
	 * write path: it must only note the name and return (the projections schedule their work from it).
	 */
	onStored?(docName: string): void;
	/** The database engine: on the embedded PGlite this is the only process writing, so appends skip the lock. */
	engine?: Engine;
	/** Overrides `config.collabIdleUnloadSeconds` (tests use a few milliseconds). */
	idleUnloadMs?: number;
	/** Compact when more updates than this are stored after the snapshot (default 200). */
	compactThreshold?: number;
	/** How long accepted updates gather before one insert stores them (default 10 ms; `flush()` never waits). */
	writeBatchMs?: number;
	/** Keep-alive ping interval; a client that misses one pong is dropped (default 30 s). */
	pingIntervalMs?: number;
	/** How often open connections are checked against their sessions' inactivity timeout (default 60 s). */
	sessionSweepMs?: number;
	/** With fan-out: re-read the stored tail this long after a load (default 2 s; 0 = off). */
	catchUpDelayMs?: number;
	/** Rate and size limits (defaults: `DEFAULT_LIMITS`, the document size from config). */
	limits?: Partial<CollabLimits>;
	/** What structure documents may hold (defaults: `DEFAULT_STRUCTURE_LIMITS`). */
	structure?: Partial<StructureLimits>;
}

export interface CollabHealth {
	redis: 'up' | 'down' | 'off';
}

export interface CollabStats {
	docs: number;
	connections: number;
}

export interface CollabServer {
	readonly nodeId: string;
	/** For `server.on('upgrade', …)`: true when the request was for `/collab/…` and is handled here. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/**
	 * Re-checks the access of open connections (all, one plan's, or one user's), on this node and every other:
	 * those with none left are closed with 4403 at once, writers who may now only read are downgraded.
	 */
	revalidate(filter?: RevalidateFilter): Promise<void>;
	/** Closes every socket opened with this session (logout, password changed) with 4401, on this node and every other; returns how many were here. */
	endSession(sessionId: string): number;
	/** Whether this node reaches the other nodes: `off` without Redis, `down` while Redis is lost (it serves its own clients alone). */
	health(): CollabHealth;
	/**
	 * A trusted change written by the server (seeding, accepted measures, closed meetings): loads the
	 * document if needed, applies `change` in one transaction with the server as origin, stores it attributed
	 * to `actorId` and sends it to everyone. Resolves once stored.
	 */
	applyServerChange(docName: string, change: (doc: Y.Doc) => void, actorId: string | null): Promise<void>;
	/** The document's current state as one update, for server rendering: from memory when loaded, else read from storage without loading it. */
	readDocState(docName: string): Promise<Uint8Array>;
	stats(): CollabStats;
	/** Resolves once every accepted change is stored, with the audit rows that say who changed what. */
	flush(): Promise<void>;
	/** Closes every socket (1001) and unloads every document; `flush: false` drops unstored changes like a crash. */
	close(opts?: { flush?: boolean }): Promise<void>;
}

/** The sync server: y-websocket protocol, our authentication, authorization, persistence and fan-out. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
	const config: CollabConfig = { ...readConfig(), ...options.config };
	const log = options.log ?? defaultLog.child({ module: 'collab' });
	const db = options.db;
	const nodeId = options.nodeId ?? randomUUID();
	const store = options.store ?? new PgDocStore(db, { singleProcess: options.engine === 'pglite' });
	const redisUrl = options.redisUrl ?? config.redisUrl;
	const fanout: Fanout | null = redisUrl ? new RedisFanout({ url: redisUrl, nodeId, log }) : null;
	const limits: CollabLimits = {
		...DEFAULT_LIMITS,
		maxDocumentBytes: config.collabMaxDocumentBytes ?? DEFAULT_LIMITS.maxDocumentBytes,
		...options.limits
	};
	const structure: StructureLimits = { ...DEFAULT_STRUCTURE_LIMITS, ...options.structure };
	const admission = new Admission(limits);
	const registry = new DocRegistry({
		store,
		fanout,
		log,
		limits,
		structure,
		idleUnloadMs: options.idleUnloadMs ?? config.collabIdleUnloadSeconds * 1000,
		compactThreshold: options.compactThreshold ?? 200,
		writeBatchMs: options.writeBatchMs ?? 0,
		catchUpDelayMs: options.catchUpDelayMs ?? 2000,
		onStored: options.onStored
	});
	const sessionIdleMs = config.sessionIdleMinutes * 60_000;
	const connections = new Set<Connection>();
	const watch = new AccessWatch(db, log, () => connections);
	/** Closes this node's sockets opened with the session (4401). */
	const closeSession = (sessionId: string): number => {
		let n = 0;
		for (const c of connections) {
			if (c.sessionId === sessionId && !c.closed) {
				c.close(CLOSE.unauthenticated, 'session ended');
				n++;
			}
		}
		return n;
	};
	fanout?.onAccessChange((filter) => {
		if (filter.sessionId) closeSession(filter.sessionId);
		else void watch.revalidate(filter).catch((err) => log.error({ err }, 'collab: revalidation failed'));
	});
	// Access changes published while Redis was down never arrived: recheck every socket once it is back.
	fanout?.onReconnect(() => {
		watch.revalidate({}).catch((err) => log.error({ err }, 'collab: revalidation failed'));
		sweepSessions(db, connections, sessionIdleMs).catch((err) => log.error({ err }, 'collab: session sweep failed'));
	});
	const metricsSource: MetricsSource = { stats: () => stats(), redisUp: () => (fanout ? fanout.isUp() : null) };
	collabMetrics.sources.add(metricsSource);
	const wss = new WebSocketServer({ noServer: true, maxPayload: config.collabMaxMessageBytes, clientTracking: false });
	let open = true;

	const pingIntervalMs = options.pingIntervalMs ?? 30_000;
	const pinger = setInterval(() => {
		for (const c of connections) {
			if (!c.alive) {
				c.terminate();
				continue;
			}
			c.alive = false;
			try {
				c.ws.ping();
			} catch {
				c.terminate();
			}
		}
	}, pingIntervalMs);
	pinger.unref?.();

	const sweeper = setInterval(() => {
		sweepSessions(db, connections, sessionIdleMs).catch((err) => log.error({ err }, 'collab: session sweep failed'));
	}, options.sessionSweepMs ?? 60_000);
	sweeper.unref?.();

	/** The document each attached connection holds in the registry. */
	const held = new Map<Connection, SharedDoc>();
	/** `doc.change` rows being written: a flush (and a graceful shutdown) waits for them as for the changes. */
	const auditing = new Set<Promise<void>>();

	function accept(ws: WebSocket, up: AcceptedUpgrade): void {
		if (!open) {
			ws.close(CLOSE.goingAway, 'server shutting down');
			return;
		}
		const conn = new Connection(
			ws,
			{
				identity: { id: up.user.id, name: up.user.name, color: colorForUser(up.user.id) },
				sessionId: up.sessionId,
				docName: up.docName,
				planId: up.planId,
				access: up.access,
				actor: up.actor,
				address: up.address
			},
			{
				log,
				limits,
				onFirstChange: (c) => {
					const written = recordAudit(db, {
						actorId: c.userId,
						action: 'doc.change',
						planId: c.planId,
						target: c.docName
					})
						.catch((err) => log.error({ err }, 'collab: audit write failed'))
						.finally(() => auditing.delete(written));
					auditing.add(written);
				},
				onDetach: (c) => {
					const doc = held.get(c);
					if (!doc) return;
					held.delete(c);
					registry.release(doc);
				},
				onClosed: (c) => {
					watch.unwatch(c);
					if (connections.delete(c)) admission.closed(c.userId, c.address);
				}
			}
		);
		connections.add(conn);
		admission.opened(conn.userId, conn.address);
		watch.watch(conn, up.accessChangesAt);
		log.debug({ conn: conn.id, user: up.user.id, doc: up.docName, access: up.access }, 'collab: connected');
		const opening = registry.open(up.docName);
		Promise.all([opening, up.audited]).then(
			([doc]) => {
				if (conn.closed) {
					registry.release(doc);
					return;
				}
				held.set(conn, doc);
				conn.attach(doc);
			},
			(err) => {
				log.error({ err, doc: up.docName }, 'collab: could not serve document');
				// The document may have loaded while the audit write failed: let go of it.
				opening.then((doc) => registry.release(doc)).catch(() => {});
				conn.close(CLOSE.internalError, 'document unavailable');
			}
		);
	}

	function stats(): CollabStats {
		let n = 0;
		for (const c of connections) if (!c.closed) n++;
		return { docs: registry.size, connections: n };
	}

	const handleUpgrade = createUpgradeHandler({
		db,
		wss,
		log,
		origin: config.origin,
		addressHeader: config.addressHeader,
		xffDepth: config.xffDepth ?? 1,
		admission,
		sessionIdleMs,
		isOpen: () => open,
		accept
	});

	return {
		nodeId,
		handleUpgrade,

		async revalidate(filter: RevalidateFilter = {}): Promise<void> {
			// Every node closes its own sockets: the others hear of it through the fan-out.
			fanout?.publishAccessChange(filter);
			await watch.revalidate(filter);
		},

		endSession(sessionId: string): number {
			// The session's sockets on other nodes close too.
			fanout?.publishAccessChange({ sessionId });
			return closeSession(sessionId);
		},

		health(): CollabHealth {
			return { redis: fanout ? (fanout.isUp() ? 'up' : 'down') : 'off' };
		},

		async applyServerChange(docName, change, actorId): Promise<void> {
			const doc = await registry.open(docName);
			try {
				await doc.applyServerChange(change, actorId);
			} finally {
				registry.release(doc);
			}
		},

		async readDocState(docName: string): Promise<Uint8Array> {
			const loaded = registry.get(docName);
			if (loaded?.state === 'ready') return Y.encodeStateAsUpdate(loaded.doc);
			const doc = new Y.Doc();
			try {
				applyStoredDoc(doc, await store.load(docName));
				return Y.encodeStateAsUpdate(doc);
			} finally {
				doc.destroy();
			}
		},

		stats,

		async flush(): Promise<void> {
			await registry.flushAll();
			await Promise.all(auditing);
		},

		async close({ flush = true }: { flush?: boolean } = {}): Promise<void> {
			if (!open) return;
			open = false;
			collabMetrics.sources.delete(metricsSource);
			clearInterval(pinger);
			clearInterval(sweeper);
			watch.close();
			for (const c of connections) {
				if (flush) c.close(CLOSE.goingAway, 'server shutting down');
				else c.terminate();
			}
			await registry.close({ flush });
			await Promise.all(auditing);
			await fanout?.close();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}

export { PgDocStore, type DocStore } from './doc-store';
export { compactDocument } from './compaction';
export { collabMetrics } from './metrics';
export { DEFAULT_LIMITS, type CollabLimits } from './limits';
export * from './protocol';
export type { Identity, AccessLevel, CollabLogger } from './types';
