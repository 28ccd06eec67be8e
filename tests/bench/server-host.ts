/**
 * One sync server in its own process, driven over IPC by `run.ts`: either OUR collab server (with its
 * database, PGlite in memory or a PostgreSQL URL) or the bare relay `@y/websocket-server@0.1.1` (no auth,
 * no storage). Both listen on 127.0.0.1, port 0, behind a plain `http` server and a `ws` WebSocketServer
 * from the same `ws` package, so the only difference under test is the connection handler.
 *
 *   argv[2]             'ours' | 'relay'
 *   BENCH_HOST_DB_URL   postgres:// URL for ours (default: PGlite memory://)
 *   BENCH_HOST_PGLITE_DIR  PGlite data folder instead of memory:// (as `npm start` runs without DATABASE_URL)
 *   BENCH_HOST_REDIS_URL   Redis for the fan-out (several nodes on one PostgreSQL), BENCH_HOST_NODE_ID its node id
 */
import { listenForUpgrades } from '../helpers/upgrade-server';
import { mulberry32 } from '../helpers/random';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { serveRpc } from './rpc';
import type { HostKind } from './rpc';
import { demoPlanUpdate, typeInto, typingHistory } from './content';

const kind = process.argv[2] as HostKind;
if (kind !== 'ours' && kind !== 'relay') throw new Error(`server-host: unknown kind ${kind}`);

const gc = (globalThis as { gc?: () => void }).gc;

export interface SeedArgs {
	plans: number;
	perPlan: number;
	/** 'demo': each plan doc starts as the demo plan (one stored update), 'empty': nothing stored. */
	content: 'empty' | 'demo';
	/** One writer account shared by every plan (fewer rows), or a distinct account per seat. */
	sharedUsers?: boolean;
	/** Extra seats with read access only, per plan. */
	readers?: number;
}

export interface SeededDoc {
	docName: string;
	/** One cookie per seat (empty strings for the relay). */
	cookies: string[];
	userIds: string[];
	/** Cookies of the read-only seats. */
	readerCookies?: string[];
}

export interface HeapFigures {
	heapUsed: number;
	heapTotal: number;
	external: number;
	arrayBuffers: number;
	rss: number;
}

export interface StoreEvent {
	op: 'load' | 'loadSince' | 'append' | 'saveSnapshot' | 'bigSend';
	doc: string;
	/** Epoch ms (performance.timeOrigin + now), comparable across the bench's processes. */
	startedAt: number;
	ms: number;
	rows?: number;
	snapshotBytes?: number;
}

async function fullGc(): Promise<HeapFigures> {
	if (!gc) throw new Error('server host needs --expose-gc');
	for (let i = 0; i < 4; i++) {
		gc();
		await new Promise((r) => setImmediate(r));
	}
	const m = process.memoryUsage();
	return {
		heapUsed: m.heapUsed,
		heapTotal: m.heapTotal,
		external: m.external,
		arrayBuffers: m.arrayBuffers,
		rss: m.rss
	};
}

/**
 * CPU profile of this process over a window (`profStart` … `profStop`), written to
 * tests/bench/profiles/<kind>-<name>.cpuprofile; summarise with profile-summary.ts.
 */
const inspector = new Session();
let profilerOn = false;
function post<T = unknown>(method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		inspector.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)))
	);
}
const profilerCommands = {
	async profStart() {
		if (!profilerOn) {
			inspector.connect();
			await post('Profiler.enable');
			await post('Profiler.setSamplingInterval', { interval: 200 });
			profilerOn = true;
		}
		await post('Profiler.start');
		return true;
	},
	async profStop(args: { name: string }) {
		const { profile } = await post<{ profile: unknown }>('Profiler.stop');
		const dir = fileURLToPath(new URL('./profiles/', import.meta.url));
		mkdirSync(dir, { recursive: true });
		const file = `${dir}${kind}-${args.name}.cpuprofile`;
		writeFileSync(file, JSON.stringify(profile));
		return file;
	}
};

// --- OUR server ----------------------------------------------------------------------------------------

async function runOurs(): Promise<void> {
	const { openDatabase } = await import('../../src/lib/server/db');
	const { createCollabServer, PgDocStore } = await import('../../src/lib/server/collab');
	const { docUpdates, docSnapshots, plans } = await import('../../src/lib/server/db/schema');
	const { createUser, addMember, testId } = await import('../integration/collab/fixtures');
	const { and, asc, count, eq, gt, sql } = await import('drizzle-orm');
	type CollabServer = Awaited<ReturnType<typeof createCollabServer>>;
	type DocStore = InstanceType<typeof PgDocStore>;

	const url = process.env.BENCH_HOST_DB_URL || undefined;
	const pgliteDir = process.env.BENCH_HOST_PGLITE_DIR || 'memory://';
	const database = await openDatabase(url ? { url, dataDir: '' } : { dataDir: pgliteDir });
	const db = database.db;
	const silent = { debug() {}, info() {}, warn() {}, error() {} };
	const errors: string[] = [];
	const log = {
		...silent,
		warn: (obj: object, msg?: string) => errors.push(`warn: ${msg} ${safeJson(obj)}`),
		error: (obj: object, msg?: string) => errors.push(`error: ${msg} ${safeJson(obj)}`)
	};

	/** PgDocStore with every call timed (the server is unchanged; only its storage is wrapped). */
	const events: StoreEvent[] = [];
	// As the app builds it: the embedded PGlite is the only writer, so appends skip the cross-node lock.
	const inner = new PgDocStore(db, { singleProcess: database.engine === 'pglite' });
	const timed = <T>(op: StoreEvent['op'], doc: string, f: () => Promise<T>, info: (r: T) => Partial<StoreEvent>) => {
		const t0 = performance.now();
		return f().then((r) => {
			events.push({ op, doc, startedAt: performance.timeOrigin + t0, ms: performance.now() - t0, ...info(r) });
			return r;
		});
	};
	const store: DocStore = Object.assign(Object.create(PgDocStore.prototype) as DocStore, {
		load: (d: string) =>
			timed(
				'load',
				d,
				() => inner.load(d),
				(r) => ({ rows: r.updates.length, snapshotBytes: r.snapshot?.byteLength ?? 0 })
			),
		loadSince: (d: string, after: number) =>
			timed(
				'loadSince',
				d,
				() => inner.loadSince(d, after),
				(r) => ({ rows: r.length })
			),
		append: (d: string, e: Parameters<DocStore['append']>[1]) =>
			timed(
				'append',
				d,
				() => inner.append(d, e),
				() => ({ rows: e.length })
			),
		saveSnapshot: (d: string, s: Uint8Array, t: number) =>
			timed(
				'saveSnapshot',
				d,
				() => inner.saveSnapshot(d, s, t),
				() => ({ snapshotBytes: s.byteLength })
			),
		// A compaction reads and saves in one call (under the cross-node lock on PostgreSQL): timed as a save.
		compact: (d: string, fold: Parameters<DocStore['compact']>[1]) =>
			timed(
				'saveSnapshot',
				d,
				() => inner.compact(d, fold),
				(r) => ({ rows: r?.folded })
			),
		importUpdates: (d: string, e: Parameters<DocStore['importUpdates']>[1]) => inner.importUpdates(d, e)
	});

	// Instrumentation for the open experiment only: when does the server hand a large frame (sync step 2
	// of a big document) to the socket? Patched on the bench side, the server code is untouched.
	const { WebSocket: WsSocket } = await import('ws');
	const originalSend = WsSocket.prototype.send;
	const trackingSend = function (this: InstanceType<typeof WsSocket>, data: unknown, ...rest: unknown[]) {
		if ((data as Uint8Array)?.byteLength > 65_536) {
			const t0 = performance.now();
			const bufferedBefore = this.bufferedAmount;
			const result = (originalSend as (...a: unknown[]) => void).call(this, data, ...rest);
			events.push({
				op: 'bigSend',
				doc: '',
				startedAt: performance.timeOrigin + t0,
				ms: performance.now() - t0,
				rows: (data as Uint8Array).byteLength,
				snapshotBytes: this.bufferedAmount - bufferedBefore
			});
			return result;
		}
		return (originalSend as (...a: unknown[]) => void).call(this, data, ...rest);
	} as typeof originalSend;
	/** Installed only for the open experiment, so the propagation runs use `ws` untouched. */
	const trackSends = (on: boolean) => {
		WsSocket.prototype.send = on ? trackingSend : originalSend;
		return on;
	};

	let idleUnloadMs = 3_600_000;
	/** Off for the fuzz: a hostile member meets every limit an ordinary member's login has. */
	let benchLimits = true;
	let collab: CollabServer = make();
	function make(): CollabServer {
		return createCollabServer({
			db,
			log,
			store,
			idleUnloadMs,
			catchUpDelayMs: 0,
			// BENCH_HOST_REDIS_URL: one of several nodes on one PostgreSQL (the multinode scenarios).
			redisUrl: process.env.BENCH_HOST_REDIS_URL || undefined,
			nodeId: process.env.BENCH_HOST_NODE_ID || undefined,
			engine: database.engine,
			// Hundreds of bench clients share a few accounts and one address (127.0.0.1); every limit per
			// connection and per document stays at its default.
			limits: benchLimits
				? {
						connectionsPerUser: 100_000,
						connectionsPerAddress: 100_000,
						upgradesPerUser: { burst: 100_000, perSecond: 100_000 }
					}
				: {},
			config: {
				origin: undefined,
				redisUrl: undefined,
				collabMaxMessageBytes: 1024 * 1024,
				collabIdleUnloadSeconds: 3600,
				sessionIdleMinutes: 600
			}
		});
	}
	const http = await listenForUpgrades((req, socket, head) => {
		if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
	});

	let demo: Uint8Array | null = null;
	const eld = monitorEventLoopDelay({ resolution: 1 });

	async function seed(args: SeedArgs): Promise<SeededDoc[]> {
		if (args.content === 'demo' && !demo) demo = await demoPlanUpdate();
		const out: SeededDoc[] = [];
		const shared = args.sharedUsers
			? await Promise.all(Array.from({ length: args.perPlan }, () => createUser(db)))
			: null;
		for (let p = 0; p < args.plans; p++) {
			const planId = testId();
			const seats = shared ?? [];
			if (!shared) for (let i = 0; i < args.perPlan; i++) seats.push(await createUser(db));
			await db
				.insert(plans)
				.values({ id: planId, patientId: seats[0].id, title: `Bench ${p}`, createdBy: seats[0].id });
			for (const s of seats) await addMember(db, planId, s.id, 'service_provider', 'write');
			const readers = [];
			for (let i = 0; i < (args.readers ?? 0); i++) readers.push(await createUser(db));
			for (const r of readers) await addMember(db, planId, r.id, 'relative', 'read');
			const docName = `plan:${planId}`;
			if (args.content === 'demo') await db.insert(docUpdates).values({ docName, update: demo!, userId: seats[0].id });
			out.push({
				docName,
				cookies: seats.map((s) => s.cookie),
				userIds: seats.map((s) => s.id),
				readerCookies: readers.map((r) => r.cookie)
			});
		}
		return out;
	}

	serveRpc({
		...profilerCommands,
		init: () => ({
			port: http.port,
			wsBase: `ws://127.0.0.1:${http.port}/collab/`,
			engine: url
				? database.engine
				: `${database.engine} (${pgliteDir === 'memory://' ? 'memory://' : 'data folder on disk'})`
		}),

		seed,

		/** A new collab server instance on the same database (the old one closed): a cold process state. */
		async reset(args: { idleUnloadMs?: number; flush?: boolean; defaultLimits?: boolean }) {
			await collab.close({ flush: args.flush ?? true });
			if (args.idleUnloadMs !== undefined) idleUnloadMs = args.idleUnloadMs;
			benchLimits = !args.defaultLimits;
			collab = make();
			events.length = 0;
			return collab.stats();
		},

		stats: () => collab.stats(),
		cpu: () => process.cpuUsage(),
		flush: () => collab.flush(),
		heap: () => fullGc(),
		errors: () => errors.splice(0),
		events: (args: { doc?: string }) => events.filter((e) => !args.doc || e.doc === args.doc || e.op === 'bigSend'),
		trackSends: (args: { on: boolean }) => trackSends(args.on),

		/** Builds the 100k-update history of one plan doc in the store and measures plain Yjs on it. */
		async history(args: { count: number; seed: number; chunk: number; quick?: boolean }) {
			const [seeded] = await seed({ plans: 1, perPlan: 1, content: 'empty' });
			const userId = seeded.userIds[0];
			let t = performance.now();
			const h = await typingHistory(args.count, args.seed);
			const generateMs = performance.now() - t;
			const finalState = Y.encodeStateAsUpdate(h.doc);
			h.doc.destroy();

			t = performance.now();
			await db.insert(docUpdates).values({ docName: seeded.docName, update: h.demo, userId });
			for (let i = 0; i < h.updates.length; i += args.chunk) {
				const rows = h.updates.slice(i, i + args.chunk).map((update) => ({ docName: seeded.docName, update, userId }));
				await db.insert(docUpdates).values(rows);
			}
			const insertMs = performance.now() - t;

			// Plain Yjs, for context: the same updates applied to a fresh Y.Doc.
			const all = [h.demo, ...h.updates];
			const applyIn = (transact: boolean) => {
				const d = new Y.Doc();
				const t0 = performance.now();
				if (transact) d.transact(() => all.forEach((u) => Y.applyUpdate(d, u)));
				else all.forEach((u) => Y.applyUpdate(d, u));
				const ms = performance.now() - t0;
				const te = performance.now();
				const state = Y.encodeStateAsUpdate(d);
				const encodeMs = performance.now() - te;
				d.destroy();
				return { ms, encodeMs, stateBytes: state.byteLength };
			};
			if (!args.quick) applyIn(true); // warm the code paths once
			const applyTx = applyIn(true);
			const applyNoTx = args.quick ? { ms: NaN } : applyIn(false);
			const snapDoc = new Y.Doc();
			t = performance.now();
			Y.applyUpdate(snapDoc, finalState);
			const applySnapshotMs = performance.now() - t;
			snapDoc.destroy();
			const totalBytes = all.reduce((n, u) => n + u.byteLength, 0);
			return {
				docName: seeded.docName,
				cookie: seeded.cookies[0],
				userId,
				rows: all.length,
				updateBytesTotal: totalBytes,
				generateMs,
				insertMs,
				applyTxMs: applyTx.ms,
				applyNoTxMs: applyNoTx.ms,
				encodeStateMs: applyTx.encodeMs,
				stateBytes: applyTx.stateBytes,
				applySnapshotMs,
				finalStateBytes: finalState.byteLength
			};
		},

		/** Appends `count` more keystrokes (continuing the same history) straight into the store: a short tail. */
		async appendTail(args: { docName: string; userId: string; count: number; seed: number }) {
			const [snap] = await db.select().from(docSnapshots).where(eq(docSnapshots.docName, args.docName));
			const after = snap?.throughId ?? 0;
			const d = new Y.Doc();
			d.clientID = 987654321;
			if (snap) Y.applyUpdate(d, snap.state);
			const tail = await db
				.select({ update: docUpdates.update })
				.from(docUpdates)
				.where(and(eq(docUpdates.docName, args.docName), gt(docUpdates.id, after)))
				.orderBy(asc(docUpdates.id));
			for (const r of tail) Y.applyUpdate(d, r.update);
			const updates = await typeInto(d, args.count, mulberry32(args.seed));
			d.destroy();
			await db
				.insert(docUpdates)
				.values(updates.map((update) => ({ docName: args.docName, update, userId: args.userId })));
			return { rows: updates.length, tailBefore: tail.length, snapshotThroughId: after };
		},

		async snapshot(args: { docName: string }) {
			const [snap] = await db.select().from(docSnapshots).where(eq(docSnapshots.docName, args.docName));
			const [agg] = await db
				.select({ maxId: sql<number>`max(${docUpdates.id})`, rows: count() })
				.from(docUpdates)
				.where(eq(docUpdates.docName, args.docName));
			return {
				throughId: snap?.throughId ?? 0,
				bytes: snap?.state.byteLength ?? 0,
				maxId: Number(agg.maxId),
				rows: Number(agg.rows)
			};
		},

		/** Event-loop delay histogram of this process (to see how long the loop was blocked). */
		eldStart: () => {
			eld.reset();
			eld.enable();
			return true;
		},
		eldStop: () => {
			eld.disable();
			return { maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6, meanMs: eld.mean / 1e6 };
		},

		/** Plain Y.Docs holding the demo plan, for context on the heap figure. */
		async bareDocsHeap(args: { n: number }) {
			if (!demo) demo = await demoPlanUpdate();
			const before = await fullGc();
			const docs: Y.Doc[] = [];
			for (let i = 0; i < args.n; i++) {
				const d = new Y.Doc({ gc: true });
				Y.applyUpdate(d, demo);
				docs.push(d);
			}
			const after = await fullGc();
			const perDoc = (after.heapUsed - before.heapUsed) / args.n;
			for (const d of docs) d.destroy();
			docs.length = 0;
			return { perDoc };
		},

		async shutdown() {
			setImmediate(async () => {
				try {
					await collab.close({ flush: false });
					await http.close();
					await database.close();
				} finally {
					process.exit(0);
				}
			});
			return true;
		}
	});
}

// --- the bare relay ------------------------------------------------------------------------------------

async function runRelay(): Promise<void> {
	delete process.env.YPERSISTENCE;
	delete process.env.CALLBACK_URL;
	const utils = await import('@y/websocket-server/utils');
	if (utils.getPersistence() !== null) throw new Error('relay persistence must be off');
	const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
	wss.on('connection', (ws, req) => utils.setupWSConnection(ws, req));
	const http = await listenForUpgrades((req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
	});
	let demo: Uint8Array | null = null;
	let n = 0;

	serveRpc({
		...profilerCommands,
		init: () => ({ port: http.port, wsBase: `ws://127.0.0.1:${http.port}/`, engine: 'none' }),
		async seed(args: SeedArgs): Promise<SeededDoc[]> {
			return Array.from({ length: args.plans }, () => {
				const docName = `plan:relay${process.pid}x${n++}`;
				return { docName, cookies: Array.from({ length: args.perPlan }, () => ''), userIds: [] };
			});
		},
		/** The relay never unloads a document without persistence: drop them by hand between scenarios. */
		reset() {
			for (const d of utils.docs.values()) d.destroy();
			utils.docs.clear();
			return { docs: 0, connections: 0 };
		},
		stats() {
			let connections = 0;
			for (const d of utils.docs.values()) connections += d.conns.size;
			return { docs: utils.docs.size, connections };
		},
		flush: () => true,
		cpu: () => process.cpuUsage(),
		heap: () => fullGc(),
		errors: () => [],
		demoUpdate: async () => {
			if (!demo) demo = await demoPlanUpdate();
			return Buffer.from(demo).toString('base64');
		},
		async shutdown() {
			setImmediate(async () => {
				try {
					for (const c of wss.clients) c.terminate();
					await http.close();
				} finally {
					process.exit(0);
				}
			});
			return true;
		}
	});
}

// --- helpers -------------------------------------------------------------------------------------------

function safeJson(v: unknown): string {
	try {
		return JSON.stringify(v, (_k, x) => (x instanceof Error ? { message: x.message } : x)).slice(0, 400);
	} catch {
		return '[unserialisable]';
	}
}

if (kind === 'ours') await runOurs();
else await runRelay();
