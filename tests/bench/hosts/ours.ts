/**
 * OUR collab server in a host process: `createCollabServer` on its database behind a plain `http` server, with
 * Redis off (unless `BENCH_HOST_REDIS_URL` makes it one of several nodes). Its storage is wrapped, not changed:
 * every `DocStore` call is timed. Besides the common commands it builds the 100,000-update history and reads it
 * the way the history page does.
 */
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { createCollabServer, PgDocStore, type DocStore } from '../../../src/lib/server/collab';
import { applyStoredDoc } from '../../../src/lib/server/collab/doc-store';
import { docSnapshots, docUpdates } from '../../../src/lib/server/db/schema';
import { recordAudit } from '../../../src/lib/server/audit';
import { compareStates, listPlanVersions, loadTimeline, namesOf, stateAt } from '../../../src/lib/server/history';
import { DOC_KINDS } from '../../../src/lib/plan';
import { mulberry32 } from '../../helpers/random';
import { listenForUpgrades } from '../../helpers/upgrade-server';
import { demoPlanUpdate, marksIn, typeInto, typingHistory } from '../content';
import { serveRpc } from '../rpc';
import { commonCommands, fullGc, openHostDatabase, safeJson, seedDocs, sqlTracer, type SeedArgs } from './common';

export interface StoreEvent {
	op: 'load' | 'loadSince' | 'append' | 'saveSnapshot' | 'bigSend';
	doc: string;
	/** Epoch ms (performance.timeOrigin + now), comparable across the bench's processes. */
	startedAt: number;
	ms: number;
	rows?: number;
	snapshotBytes?: number;
}

/** The history page's two views, timed in the server: the timeline alone, and the timeline with a comparison. */
export interface HistoryTimes {
	rows: number;
	sessions: number;
	openMs: number[];
	compareMs: number[];
	points: [number, number];
	/** Goals, measures and texts that differ between the two points (a check that the comparison compared). */
	changes: number;
}

type CollabServer = ReturnType<typeof createCollabServer>;

export async function runOurs(): Promise<void> {
	const database = await openHostDatabase();
	const db = database.db;
	const errors: string[] = [];
	const log = {
		debug() {},
		info() {},
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
	const store: DocStore = {
		load: (d) =>
			timed(
				'load',
				d,
				() => inner.load(d),
				(r) => ({ rows: r.updates.length, snapshotBytes: r.snapshot?.byteLength ?? 0 })
			),
		loadSince: (d, after) =>
			timed(
				'loadSince',
				d,
				() => inner.loadSince(d, after),
				(r) => ({ rows: r.length })
			),
		append: (d, e) =>
			timed(
				'append',
				d,
				() => inner.append(d, e),
				() => ({ rows: e.length })
			),
		saveSnapshot: (d, s, t) =>
			timed(
				'saveSnapshot',
				d,
				() => inner.saveSnapshot(d, s, t),
				() => ({ snapshotBytes: s.byteLength })
			),
		// A compaction reads and saves in one call (under the cross-node lock on PostgreSQL): timed as a save.
		compact: (d, fold) =>
			timed(
				'saveSnapshot',
				d,
				() => inner.compact(d, fold),
				(r) => ({ rows: r?.folded })
			)
	};

	// For the open experiment only: when does the server hand a large frame (sync step 2 of a big document) to
	// the socket? Patched on the bench side while that experiment runs; the server code is untouched.
	const { WebSocket: WsSocket } = await import('ws');
	const originalSend = WsSocket.prototype.send;
	const trackingSend = function (this: InstanceType<typeof WsSocket>, data: unknown, ...rest: unknown[]) {
		const send = () => (originalSend as (...a: unknown[]) => void).call(this, data, ...rest);
		if (!((data as Uint8Array)?.byteLength > 65_536)) return send();
		const t0 = performance.now();
		const bufferedBefore = this.bufferedAmount;
		send();
		events.push({
			op: 'bigSend',
			doc: '',
			startedAt: performance.timeOrigin + t0,
			ms: performance.now() - t0,
			rows: (data as Uint8Array).byteLength,
			snapshotBytes: this.bufferedAmount - bufferedBefore
		});
	} as typeof originalSend;

	let idleUnloadMs = 3_600_000;
	/** Off for the fuzz: a hostile member meets every limit an ordinary member's login has. */
	let benchLimits = true;
	const make = (): CollabServer =>
		createCollabServer({
			db,
			log,
			store,
			idleUnloadMs,
			catchUpDelayMs: 0,
			// BENCH_HOST_REDIS_URL: one of several nodes on one PostgreSQL (the multinode scenario).
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
	let collab = make();
	const http = await listenForUpgrades((req, socket, head) => {
		if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
	});

	let demo: Uint8Array | null = null;
	const seed = async (args: SeedArgs) => {
		if (args.content === 'demo') demo ??= await demoPlanUpdate();
		return seedDocs(db, args, {
			seats: true,
			store: async (docName, userId) => void (await db.insert(docUpdates).values({ docName, update: demo!, userId }))
		});
	};
	const sql_ = sqlTracer(db);

	/** What the history page's load does on the server (without SvelteKit): timeline, versions, names, audit. */
	async function historyPage(planId: string, userId: string, at?: number, compare?: number) {
		const kinds = [...DOC_KINDS];
		await collab.flush();
		const [timeline] = await Promise.all([loadTimeline(db, planId, kinds, 1), listPlanVersions(db, planId)]);
		await namesOf(
			db,
			timeline.sessions.map((s) => s.userId).filter((id): id is string => !!id)
		);
		let changes = 0;
		if (at !== undefined && compare !== undefined) {
			const deps = { db, collab };
			const [before, after] = await Promise.all([
				stateAt(deps, planId, kinds, { kind: 'update', id: at }),
				stateAt(deps, planId, kinds, { kind: 'update', id: compare })
			]);
			const c = await compareStates(db, before!, after!);
			changes = c.goals.length + c.measures.length + c.texts.length;
		}
		await recordAudit(db, { actorId: userId, action: 'history.read', planId, detail: { parts: kinds, page: 1 } });
		return { sessions: timeline.total, changes };
	}

	serveRpc({
		...commonCommands(),
		init: () => ({
			port: http.port,
			wsBase: `ws://127.0.0.1:${http.port}/collab/`,
			framing: 'y-websocket',
			engine: database.label
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
		flush: () => collab.flush(),
		errors: () => errors.splice(0),
		events: (args: { doc?: string }) => events.filter((e) => !args.doc || e.doc === args.doc || e.op === 'bigSend'),
		trackSends: (args: { on: boolean }) => {
			WsSocket.prototype.send = args.on ? trackingSend : originalSend;
			return args.on;
		},
		sqlStart: () => sql_.start(),
		sqlStop: () => sql_.stop(),

		/** The numbered keystrokes stored for a document (what a restart would serve), read straight from the store. */
		async storedMarks(args: { docName: string }) {
			const doc = new Y.Doc();
			try {
				applyStoredDoc(doc, await inner.load(args.docName));
				return [...marksIn(doc)];
			} finally {
				doc.destroy();
			}
		},

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
			return {
				docName: seeded.docName,
				planId: seeded.docName.slice('plan:'.length),
				cookie: seeded.cookies[0],
				userId,
				rows: all.length,
				updateBytesTotal: all.reduce((n, u) => n + u.byteLength, 0),
				generateMs,
				insertMs,
				applyTxMs: applyTx.ms,
				applyNoTxMs: applyNoTx.ms,
				encodeStateMs: applyTx.encodeMs,
				stateBytes: applyTx.stateBytes,
				applySnapshotMs
			};
		},

		/** The history page of a plan, opened `repeats` times, then comparing two points a third and two thirds in. */
		async historyTimes(args: { planId: string; userId: string; repeats: number }): Promise<HistoryTimes> {
			const docName = `plan:${args.planId}`;
			const ids = (
				await db
					.select({ id: docUpdates.id })
					.from(docUpdates)
					.where(eq(docUpdates.docName, docName))
					.orderBy(asc(docUpdates.id))
			).map((r) => r.id);
			const points: [number, number] = [ids[Math.floor(ids.length / 3)], ids[Math.floor((2 * ids.length) / 3)]];
			const openMs: number[] = [];
			const compareMs: number[] = [];
			let sessions = 0;
			let changes = 0;
			for (let i = 0; i < args.repeats; i++) {
				let t = performance.now();
				sessions = (await historyPage(args.planId, args.userId)).sessions;
				openMs.push(performance.now() - t);
				t = performance.now();
				changes = (await historyPage(args.planId, args.userId, ...points)).changes;
				compareMs.push(performance.now() - t);
			}
			return { rows: ids.length, sessions, openMs, compareMs, points, changes };
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

		/** Plain Y.Docs holding the demo plan, for context on the heap figure. */
		async bareDocsHeap(args: { n: number }) {
			demo ??= await demoPlanUpdate();
			const before = await fullGc();
			const docs: Y.Doc[] = [];
			for (let i = 0; i < args.n; i++) {
				const d = new Y.Doc({ gc: true });
				Y.applyUpdate(d, demo);
				docs.push(d);
			}
			const after = await fullGc();
			for (const d of docs) d.destroy();
			return { perDoc: (after.heapUsed - before.heapUsed) / args.n };
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
