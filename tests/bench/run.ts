/**
 * `npm run bench [-- --quick] [-- --pg]`: our collab server against the bare y-websocket relay.
 *
 *   1. update propagation (p50/p99 per receiver) with 2, 20, 50 editors on one plan and 500 clients on 100 plans
 *   2. time to open a plan with 100,000 stored updates (first open, then cold opens from snapshot + short tail)
 *   3. heap per loaded small plan
 *   (4. the update gate, 5. a hostile member, 6. several nodes: `multinode.ts`)
 *
 * Each server runs in its own child process (`server-host.ts`); all clients run here, in the parent, with
 * the same client code for both. The last line printed is `BENCH {json}`. See tests/bench/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import * as Y from 'yjs';
import { BenchClient, connectMany, liveClients, sleep, withTimeout, type BenchClientOptions } from './client';
import { profiling, startHost, type HostHandle, type HostKind } from './rpc';
import { EDIT_INTERVAL_MS, onApplied, prepareGroups, runRounds, slowRounds } from './rounds';
import { measureFuzzLoad } from './fuzz-load';
import { measureGateCost } from './gate-cost';
import { measureMultinode } from './multinode';
import type { HeapFigures, SeededDoc, StoreEvent } from './server-host';
import { fmtKiB, fmtMs, median, r3, summarize, table, type LatencySummary } from './stats';

// --- options -------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='));
/** `--scenario=editors2,clients500`: run only these propagation scenarios. */
const scenarioArg = argv
	.find((a) => a.startsWith('--scenario='))
	?.slice('--scenario='.length)
	.split(',');
const only = new Set((onlyArg ? onlyArg.slice('--only='.length) : 'heap,prop,open,gate,fuzz,multi').split(','));
const waitQuietArg = argv.find((a) => a.startsWith('--wait-quiet'));
/** `--wait-quiet[=s]`: before each measurement wait (at most s seconds, default 60) until other processes use < 10 % CPU. */
const WAIT_QUIET_MS = waitQuietArg ? 1000 * Number(waitQuietArg.split('=')[1] ?? 60) : 0;
const QUIET_PERCENT = 10;
/** `--pglite-disk`: PGlite in a temporary data folder instead of memory:// (the production embedded mode). */
const pgliteDisk = argv.includes('--pglite-disk');
const pgAdminUrl =
	process.env.BENCH_DATABASE_URL ||
	(argv.includes('--pg') ? process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres' : undefined);

interface PropScenario {
	key: string;
	label: string;
	plans: number;
	perPlan: number;
	rounds: number;
	/** The same few accounts sit in every plan (only makes seeding faster; each client is still its own socket). */
	sharedUsers?: boolean;
}

const PROP: PropScenario[] = [
	{ key: 'editors2', label: '2 editors, 1 plan', plans: 1, perPlan: 2, rounds: quick ? 300 : 3000 },
	{ key: 'editors20', label: '20 editors, 1 plan', plans: 1, perPlan: 20, rounds: quick ? 100 : 1000 },
	{ key: 'editors50', label: '50 editors, 1 plan', plans: 1, perPlan: 50, rounds: quick ? 40 : 600 },
	{
		key: 'clients500',
		label: '500 clients, 100 plans',
		plans: 100,
		perPlan: 5,
		rounds: quick ? 300 : 2000,
		sharedUsers: true
	}
];
const WARMUP_ROUNDS = quick ? 30 : 100;
/** Measured blocks per scenario: ABBA in the full run cancels drift between the two servers. */
const BLOCKS: HostKind[] = quick ? ['ours', 'relay'] : ['ours', 'relay', 'relay', 'ours'];
const HISTORY_UPDATES = 100_000;
const TAIL_UPDATES = 50;
const COLD_REPEATS = quick ? 5 : 15;
const HEAP_PLANS = quick ? 200 : 500;

const TARGETS = { p99Editors20Ms: 10, ratio: 1.3, open100kMs: 150, heapPerPlanBytes: 200 * 1024, fuzzRatio: 2 };
const FUZZ_ROUNDS = quick ? 300 : 1000;
const FUZZ_FRAMES_PER_SECOND = 1000;

// --- lifecycle ---------------------------------------------------------------------------------------

const started = performance.now();
const hosts: HostHandle[] = [];
const openClients = new Set<BenchClient>();
let dropDatabase: (() => Promise<void>) | null = null;

function progress(msg: string): void {
	process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
}

async function createBenchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `fellesplan_bench_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(adminUrl);
	url.pathname = '/' + name;
	return {
		url: url.toString(),
		async drop() {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

async function teardown(): Promise<void> {
	for (const c of [...openClients, ...liveClients]) c.terminate();
	openClients.clear();
	await Promise.allSettled(hosts.map((h) => h.stop()));
	if (dropDatabase) {
		const drop = dropDatabase;
		dropDatabase = null;
		await drop().catch((err) => progress(`could not drop the bench database: ${(err as Error).message}`));
	}
}

process.once('SIGINT', () => {
	progress('interrupted');
	void teardown().finally(() => process.exit(130));
});

interface HostInfo {
	handle: HostHandle;
	wsBase: string;
	engine: string;
}

async function launch(kind: HostKind, dbUrl: string | undefined, pgliteDir?: string): Promise<HostInfo> {
	const handle = startHost(kind, { BENCH_HOST_DB_URL: dbUrl, BENCH_HOST_PGLITE_DIR: pgliteDir });
	hosts.push(handle);
	const info = await handle.call<{ wsBase: string; engine: string }>('init', {}, 120_000);
	return { handle, ...info };
}

async function waitConnections(host: HostHandle, n: number, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const s = await host.call<{ connections: number }>('stats');
		if (s.connections === n) return;
		if (Date.now() > deadline) throw new Error(`${host.kind}: ${s.connections} connections, expected ${n}`);
		await sleep(20);
	}
}

function track(clients: BenchClient[]): BenchClient[] {
	for (const c of clients) openClients.add(c);
	return clients;
}

function closeAll(clients: BenchClient[]): void {
	for (const c of clients) {
		c.close();
		openClients.delete(c);
	}
}

// --- machine noise ---------------------------------------------------------------------------------------

/**
 * Other sessions share this machine. To tell a slow server from a busy machine, every measurement notes how
 * much CPU OTHER processes used meanwhile: machine busy time (/proc/stat) minus this process and its hosts.
 */
interface CpuMark {
	at: number;
	machineBusyMs: number;
	oursMs: number;
	/** CPU time (user + system) of each host process, by kind. */
	hostMs: Partial<Record<HostKind, number>>;
}

function machineBusyMs(): number {
	try {
		const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
		const f = line.trim().split(/\s+/).slice(1).map(Number);
		const total = f.reduce((a, b) => a + b, 0);
		const idle = f[3] + (f[4] ?? 0);
		return ((total - idle) * 1000) / 100; // USER_HZ = 100
	} catch {
		return NaN;
	}
}

async function cpuMark(): Promise<CpuMark> {
	let oursUs = 0;
	const hostMs: Partial<Record<HostKind, number>> = {};
	const self = process.cpuUsage();
	oursUs += self.user + self.system;
	for (const h of hosts) {
		try {
			const c = await h.call<{ user: number; system: number }>('cpu', {}, 5000);
			oursUs += c.user + c.system;
			hostMs[h.kind] = (c.user + c.system) / 1000;
		} catch {
			/* a stopped host */
		}
	}
	return { at: performance.now(), machineBusyMs: machineBusyMs(), oursMs: oursUs / 1000, hostMs };
}

/** Share of the whole machine (all cores) that other processes used between two marks, in %. */
function otherCpuPercent(a: CpuMark, b: CpuMark): number {
	const wall = b.at - a.at;
	const others = b.machineBusyMs - a.machineBusyMs - (b.oursMs - a.oursMs);
	return Math.max(0, (100 * others) / (wall * os.availableParallelism()));
}

let quietWaitedMs = 0;
/** With `--wait-quiet`: wait (bounded) until the rest of the machine is quiet. Returns the last other-CPU %. */
async function waitQuiet(): Promise<number> {
	if (WAIT_QUIET_MS <= 0) return NaN;
	const t = performance.now();
	const deadline = t + WAIT_QUIET_MS;
	let other: number;
	for (;;) {
		const a = await cpuMark();
		await sleep(700);
		other = otherCpuPercent(a, await cpuMark());
		if (other < QUIET_PERCENT || performance.now() > deadline) break;
	}
	quietWaitedMs += performance.now() - t;
	return other;
}

// --- 1. propagation ------------------------------------------------------------------------------------

interface PropResult {
	key: string;
	label: string;
	clients: number;
	plans: number;
	rounds: number;
	ours: LatencySummary;
	relay: LatencySummary;
	ratioP50: number;
	ratioP99: number;
	connectMs: Record<HostKind, number>;
	/** CPU other processes used during the measured blocks, % of the machine. */
	otherCpuPercent: number;
	/** CPU time the server process spent per edit (all its work: relaying, storing, compacting), ms. */
	serverCpuPerEditMs: Record<HostKind, number>;
	/** Our server's storage calls during the scenario (warm-up included): count, median and max wall ms. */
	store: Record<string, { n: number; medianMs: number; maxMs: number }>;
}

async function propagation(ours: HostInfo, relay: HostInfo, sc: PropScenario): Promise<PropResult> {
	const byKind: Record<HostKind, HostInfo> = { ours, relay };
	const groups: Record<HostKind, BenchClient[][]> = { ours: [], relay: [] };
	const connectMs: Record<HostKind, number> = { ours: 0, relay: 0 };
	for (const kind of ['ours', 'relay'] as const) {
		const h = byKind[kind];
		const seeded = await h.handle.call<SeededDoc[]>('seed', {
			plans: sc.plans,
			perPlan: sc.perPlan,
			content: 'empty',
			sharedUsers: sc.sharedUsers
		});
		const specs: BenchClientOptions[] = seeded.flatMap((d) =>
			d.cookies.map((cookie) => ({ url: h.wsBase + d.docName, cookie, onApplied }))
		);
		const t = performance.now();
		const clients = track(await connectMany(specs, { parallel: 20, timeoutMs: 30_000 }));
		connectMs[kind] = performance.now() - t;
		for (let i = 0; i < sc.plans; i++) groups[kind].push(clients.slice(i * sc.perPlan, (i + 1) * sc.perPlan));
		await prepareGroups(groups[kind]);
	}
	const samples: Record<HostKind, number[]> = { ours: [], relay: [] };
	const lost: Record<HostKind, number> = { ours: 0, relay: 0 };
	const warmed = new Set<HostKind>();
	const blocksDone: Record<HostKind, number> = { ours: 0, relay: 0 };
	const perBlock = Math.ceil(sc.rounds / (BLOCKS.length / 2));
	let other = 0;
	const profiles: string[] = [];
	const serverCpu: Record<HostKind, number> = { ours: 0, relay: 0 };
	const editsMeasured: Record<HostKind, number> = { ours: 0, relay: 0 };
	for (const [b, kind] of BLOCKS.entries()) {
		if (!warmed.has(kind)) {
			await runRounds(groups[kind], WARMUP_ROUNDS, 1000, false);
			warmed.add(kind);
		}
		const prof = profiling(kind);
		await waitQuiet();
		if (prof) await byKind[kind].handle.call('profStart');
		const m0 = await cpuMark();
		// The same seeds on both servers: the n-th block of each picks the same plans and editors.
		const r = await runRounds(groups[kind], perBlock, 2000 + blocksDone[kind]++, true, kind);
		const m1 = await cpuMark();
		other += otherCpuPercent(m0, m1) / BLOCKS.length;
		serverCpu[kind] += (m1.hostMs[kind] ?? NaN) - (m0.hostMs[kind] ?? NaN);
		editsMeasured[kind] += perBlock;
		if (prof) profiles.push(await byKind[kind].handle.call<string>('profStop', { name: `${sc.key}-block${b}` }));
		samples[kind].push(...r.samples);
		lost[kind] += r.lost;
	}
	const store: PropResult['store'] = {};
	const events = await ours.handle.call<StoreEvent[]>('events', {});
	for (const op of ['append', 'load', 'saveSnapshot'] as const) {
		const ms = events.filter((e) => e.op === op).map((e) => e.ms);
		if (ms.length) store[op] = { n: ms.length, medianMs: r3(median(ms)), maxMs: r3(Math.max(...ms)) };
	}
	if (process.env.BENCH_DEBUG_SLOW) {
		// Which of our server's storage calls were running while a slow round was in flight?
		for (const s of slowRounds.splice(0)) {
			const overlapping = events.filter((e) => e.startedAt < s.epoch + s.ms && e.startedAt + e.ms > s.epoch - 2);
			const what = overlapping
				.map(
					(e) =>
						`${e.op}${e.rows !== undefined ? `(${e.rows})` : ''} ${e.ms.toFixed(1)}ms@${(e.startedAt - s.epoch).toFixed(1)}`
				)
				.join(', ');
			progress(
				`slow ${s.kind} round seq ${s.seq}: ${s.ms.toFixed(1)} ms${s.kind === 'ours' ? ` — storage calls in flight: ${what || 'none'}` : ''}`
			);
		}
	}
	for (const kind of ['ours', 'relay'] as const) {
		closeAll(groups[kind].flat());
		await waitConnections(byKind[kind].handle, 0);
		await byKind[kind].handle.call('reset', { flush: true });
	}
	for (const f of profiles) progress(`profile written: ${f}`);
	const o = summarize(samples.ours, lost.ours);
	const rl = summarize(samples.relay, lost.relay);
	return {
		key: sc.key,
		label: sc.label,
		clients: sc.plans * sc.perPlan,
		plans: sc.plans,
		rounds: sc.rounds,
		ours: o,
		relay: rl,
		ratioP50: o.p50 / rl.p50,
		ratioP99: o.p99 / rl.p99,
		connectMs,
		otherCpuPercent: other,
		serverCpuPerEditMs: { ours: serverCpu.ours / editsMeasured.ours, relay: serverCpu.relay / editsMeasured.relay },
		store
	};
}

// --- 2. opening a plan with 100k stored updates ----------------------------------------------------------

/**
 * One client: time from creating the socket to the arrival of sync step 2 (the whole document), and to
 * the moment the client has applied it. `startEpoch` is comparable with the host's store events.
 */
async function timedOpen(
	url: string,
	cookie: string
): Promise<{ ms: number; appliedMs: number; startEpoch: number; client: BenchClient }> {
	const client = new BenchClient({ url, cookie });
	openClients.add(client);
	const at = await withTimeout(client.synced, 120_000, 'cold open');
	return {
		ms: client.step2ReceivedAt - client.startedAt,
		appliedMs: at - client.startedAt,
		startEpoch: performance.timeOrigin + client.startedAt,
		client
	};
}

async function coldOpens(ours: HostInfo, docName: string, cookie: string, repeats: number) {
	const opens: { ms: number; appliedMs: number; loadMs: number; rows: number; snapshotBytes: number }[] = [];
	for (let i = 0; i < repeats; i++) {
		await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
		const { ms, appliedMs, client } = await timedOpen(ours.wsBase + docName, cookie);
		closeAll([client]);
		await waitConnections(ours.handle, 0);
		const ev = await ours.handle.call<StoreEvent[]>('events', { doc: docName });
		const load = ev.find((e) => e.op === 'load');
		opens.push({
			ms,
			appliedMs,
			loadMs: load?.ms ?? NaN,
			rows: load?.rows ?? -1,
			snapshotBytes: load?.snapshotBytes ?? 0
		});
	}
	return opens;
}

/**
 * Two editors typing into the large plan (the 400 KB state from the history) on both servers: the same
 * rounds as in part 1. On ours this includes the compactions that the tail threshold triggers in normal
 * operation, each of which re-reads and rewrites the whole snapshot.
 */
async function editLargePlan(ours: HostInfo, relay: HostInfo, docName: string, cookie: string) {
	const rounds = quick ? 300 : 1000;
	progress(`open: editing the large plan (${rounds} edits per server)`);
	await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
	const oc = track(
		await connectMany(
			[
				{ url: ours.wsBase + docName, cookie, onApplied },
				{ url: ours.wsBase + docName, cookie, onApplied }
			],
			{ timeoutMs: 60_000 }
		)
	);
	await prepareGroups([oc]);
	const initialUpdate = Y.encodeStateAsUpdate(oc[0].doc);
	const [relayDoc] = await relay.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 2, content: 'empty' });
	const rc = track(
		await connectMany(
			[0, 1].map(() => ({ url: relay.wsBase + relayDoc.docName, initialUpdate, onApplied })),
			{ timeoutMs: 60_000 }
		)
	);
	await runRounds([oc], WARMUP_ROUNDS, 31, false);
	await runRounds([rc], WARMUP_ROUNDS, 32, false);
	await waitQuiet();
	await ours.handle.call('eldStart');
	const o = await runRounds([oc], rounds, 33, true);
	const eld = await ours.handle.call<{ maxMs: number }>('eldStop');
	await waitQuiet();
	const r = await runRounds([rc], rounds, 34, true);
	const events = await ours.handle.call<StoreEvent[]>('events', { doc: docName });
	const compactions = events.filter((e) => e.op === 'saveSnapshot').length;
	const compactionReads = events.filter((e) => e.op === 'load').slice(1); // the first load is the open
	const saves = events.filter((e) => e.op === 'saveSnapshot');
	closeAll([...oc, ...rc]);
	await waitConnections(ours.handle, 0);
	await waitConnections(relay.handle, 0);
	const os_ = summarize(o.samples, o.lost);
	const rs = summarize(r.samples, r.lost);
	return {
		rounds,
		stateBytes: initialUpdate.byteLength,
		ours: os_,
		relay: rs,
		ratioP99: os_.p99 / rs.p99,
		compactions,
		compactionReadMedianMs: median(compactionReads.map((e) => e.ms)),
		saveSnapshotMedianMs: median(saves.map((e) => e.ms)),
		serverEventLoopMaxDelayMs: eld.maxMs
	};
}

async function openHistory(ours: HostInfo, relay: HostInfo) {
	progress(`open: writing ${HISTORY_UPDATES} updates`);
	const h = await ours.handle.call<{
		docName: string;
		cookie: string;
		userId: string;
		rows: number;
		updateBytesTotal: number;
		generateMs: number;
		insertMs: number;
		applyTxMs: number;
		applyNoTxMs: number;
		encodeStateMs: number;
		stateBytes: number;
		applySnapshotMs: number;
	}>('history', { count: HISTORY_UPDATES, seed: 7, chunk: 5000, quick }, 600_000);

	// Baseline: the same path for a plan with nothing stored (handshake, session, access, audit, load, sync).
	const [empty] = await ours.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 1, content: 'empty' });
	await coldOpens(ours, empty.docName, empty.cookies[0], 3); // warm the path
	const emptyOpens = await coldOpens(ours, empty.docName, empty.cookies[0], COLD_REPEATS);

	// The very first open: no snapshot yet, the whole history is the tail.
	progress('open: first open (no snapshot)');
	await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
	await waitQuiet();
	await ours.handle.call('eldStart');
	await ours.handle.call('trackSends', { on: true });
	if (profiling('ours')) await ours.handle.call('profStart');
	const tFirst = performance.now();
	const first = await timedOpen(ours.wsBase + h.docName, h.cookie);
	// The server compacts in the background once the tail exceeds its threshold: wait for the snapshot.
	let snap = await ours.handle.call<{ throughId: number; maxId: number; bytes: number; rows: number }>('snapshot', {
		docName: h.docName
	});
	const deadline = Date.now() + 300_000;
	while (snap.throughId < snap.maxId && Date.now() < deadline) {
		await sleep(20);
		snap = await ours.handle.call('snapshot', { docName: h.docName });
	}
	const compactedAfterMs = performance.now() - tFirst;
	const eld = await ours.handle.call<{ maxMs: number; p99Ms: number; meanMs: number }>('eldStop');
	if (profiling('ours'))
		progress(`profile written: ${await ours.handle.call<string>('profStop', { name: 'first-open' })}`);
	const firstEvents = await ours.handle.call<StoreEvent[]>('events', { doc: h.docName });
	await ours.handle.call('trackSends', { on: false });
	closeAll([first.client]);
	await waitConnections(ours.handle, 0);
	const loads = firstEvents.filter((e) => e.op === 'load');
	const save = firstEvents.find((e) => e.op === 'saveSnapshot');
	// Where the first open's time went, in ms after the client created its socket.
	const rel = (epoch: number) => epoch - first.startEpoch;
	const timeline: [string, number][] = [];
	for (const [i, e] of firstEvents.entries()) {
		if (e.op === 'bigSend') {
			timeline.push([
				`server: ws.send(${e.rows} bytes) called (step 2; ${e.snapshotBytes} bytes left queued)`,
				rel(e.startedAt)
			]);
			continue;
		}
		const what =
			e.op === 'load' ? (i === 0 ? 'server: load() for the client' : 'server: compaction read') : `server: ${e.op}`;
		const rows = e.rows !== undefined ? ` (${e.rows} rows)` : '';
		timeline.push([`${what} starts`, rel(e.startedAt)], [`${what} ends${rows}`, rel(e.startedAt + e.ms)]);
	}
	timeline.push(['client: sync step 2 arrives', first.ms], ['client: sync step 2 applied', first.appliedMs]);
	timeline.sort((a, b) => a[1] - b[1]);

	// Later cold opens: snapshot + a short tail (below the compaction threshold, so it stays a tail).
	progress('open: later cold opens (snapshot + tail)');
	const tail = await ours.handle.call<{ rows: number }>('appendTail', {
		docName: h.docName,
		userId: h.userId,
		count: TAIL_UPDATES,
		seed: 11
	});
	await waitQuiet();
	const later = await coldOpens(ours, h.docName, h.cookie, COLD_REPEATS);

	const big = await editLargePlan(ours, relay, h.docName, h.cookie);
	await ours.handle.call('reset', { flush: true });
	await relay.handle.call('reset', {});

	return {
		history: h,
		big,
		first: {
			ms: first.ms,
			appliedMs: first.appliedMs,
			timeline,
			serverLoadMs: loads[0]?.ms ?? NaN,
			serverLoadRows: loads[0]?.rows ?? -1,
			compaction: {
				doneAfterOpenStartMs: compactedAfterMs,
				readMs: loads[1]?.ms ?? NaN,
				saveSnapshotMs: save?.ms ?? NaN,
				/** From the start of the compaction's read to the end of the snapshot write. */
				totalMs: loads[1] && save ? save.startedAt + save.ms - loads[1].startedAt : NaN,
				snapshotBytes: snap.bytes,
				throughId: snap.throughId
			},
			serverEventLoopMaxDelayMs: eld.maxMs
		},
		later: {
			tailRows: tail.rows,
			opens: later,
			medianMs: median(later.map((o) => o.ms)),
			medianAppliedMs: median(later.map((o) => o.appliedMs)),
			minMs: Math.min(...later.map((o) => o.ms)),
			maxMs: Math.max(...later.map((o) => o.ms)),
			medianServerLoadMs: median(later.map((o) => o.loadMs))
		},
		emptyPlan: {
			medianMs: median(emptyOpens.map((o) => o.ms)),
			maxMs: Math.max(...emptyOpens.map((o) => o.ms))
		}
	};
}

// --- 3. heap per loaded plan -------------------------------------------------------------------------------

async function heapPerPlan(host: HostInfo, n: number) {
	const warm = 10;
	const seeded = await host.handle.call<SeededDoc[]>('seed', {
		plans: n + warm,
		perPlan: 1,
		content: 'demo',
		sharedUsers: true
	});
	await host.handle.call('reset', { flush: true, idleUnloadMs: 3_600_000 });
	// The relay has no storage: its clients bring the demo plan and upload it in the sync.
	const initialUpdate =
		host.handle.kind === 'relay'
			? new Uint8Array(Buffer.from(await host.handle.call<string>('demoUpdate'), 'base64'))
			: undefined;
	const spec = (d: SeededDoc): BenchClientOptions => ({
		url: host.wsBase + d.docName,
		cookie: d.cookies[0],
		initialUpdate
	});

	// Warm-up (code paths, JIT, pools): load and leave a few plans; they stay loaded and are in the baseline.
	const warmClients = track(await connectMany(seeded.slice(0, warm).map(spec)));
	closeAll(warmClients);
	await waitConnections(host.handle, 0);
	await waitQuiet();
	const base = await host.handle.call<HeapFigures>('heap');
	const clients = track(await connectMany(seeded.slice(warm).map(spec), { parallel: 20 }));
	// The relay applies the uploaded content when the client's step 2 arrives: give it a moment.
	await sleep(200);
	const withConns = await host.handle.call<HeapFigures>('heap');
	closeAll(clients);
	await waitConnections(host.handle, 0);
	await host.handle.call('flush');
	await sleep(100);
	const after = await host.handle.call<HeapFigures>('heap');
	const stats = await host.handle.call<{ docs: number }>('stats');
	const bare = host.handle.kind === 'ours' ? await host.handle.call<{ perDoc: number }>('bareDocsHeap', { n }) : null;
	return {
		plans: n,
		docsLoaded: stats.docs,
		perPlanBytes: (after.heapUsed - base.heapUsed) / n,
		perConnectionBytes: (withConns.heapUsed - after.heapUsed) / n,
		externalPerPlanBytes: (after.external - base.external) / n,
		bareYDocPerPlanBytes: bare?.perDoc ?? null
	};
}

// --- main ----------------------------------------------------------------------------------------------------

interface Target {
	name: string;
	target: string;
	value: number;
	unit: 'ms' | 'ratio' | 'bytes';
	pass: boolean;
}

async function main(): Promise<void> {
	let dbUrl: string | undefined;
	let pgliteDir: string | undefined;
	if (pgAdminUrl) {
		const created = await createBenchDatabase(pgAdminUrl);
		dbUrl = created.url;
		dropDatabase = created.drop;
	} else if (pgliteDisk) {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fellesplan-bench-'));
		pgliteDir = dir;
		dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
	}
	progress(
		`starting hosts (${quick ? 'quick' : 'full'} run, database ${dbUrl ? 'PostgreSQL' : pgliteDir ? `PGlite in ${pgliteDir}` : 'PGlite in memory'})`
	);
	const [ours, relay] = await Promise.all([launch('ours', dbUrl, pgliteDir), launch('relay', undefined)]);
	const runMark = await cpuMark();

	const heap: Partial<Record<HostKind, Awaited<ReturnType<typeof heapPerPlan>>>> = {};
	if (only.has('heap')) {
		progress(`heap: ${HEAP_PLANS} demo plans`);
		heap.ours = await heapPerPlan(ours, HEAP_PLANS);
		heap.relay = await heapPerPlan(relay, HEAP_PLANS);
		await ours.handle.call('reset', { flush: true });
		await relay.handle.call('reset', {});
	}

	const prop: PropResult[] = [];
	if (only.has('prop')) {
		for (const sc of PROP.filter((p) => !scenarioArg || scenarioArg.includes(p.key))) {
			progress(`propagation: ${sc.label}`);
			prop.push(await propagation(ours, relay, sc));
		}
	}

	const open = only.has('open') ? await openHistory(ours, relay) : null;
	const serverWarnings = await ours.handle.call<string[]>('errors');

	if (only.has('gate')) progress('gate: checking time per update');
	const gate = only.has('gate') ? await measureGateCost(quick) : [];
	if (only.has('fuzz'))
		progress(
			`fuzz: 2 honest editors, ${FUZZ_ROUNDS} rounds alone and ${FUZZ_ROUNDS} under ${FUZZ_FRAMES_PER_SECOND} hostile frames/s`
		);
	const fuzz = only.has('fuzz')
		? await measureFuzzLoad(ours, { rounds: FUZZ_ROUNDS, seed: 20261122, perSecond: FUZZ_FRAMES_PER_SECOND, track })
		: null;
	if (fuzz) await ours.handle.call('errors'); // the fuzz's refusals are expected warnings
	const multi = only.has('multi')
		? await measureMultinode({
				quick,
				relay,
				oursPglite: ours.engine.startsWith('pglite') ? ours : null,
				track,
				progress
			})
		: null;
	const runOtherCpu = otherCpuPercent(runMark, await cpuMark());

	// --- targets ---
	const targets: Target[] = [];
	const p20 = prop.find((p) => p.key === 'editors20');
	if (p20)
		targets.push({
			name: 'propagation p99, 20 editors',
			target: `≤ ${TARGETS.p99Editors20Ms} ms`,
			value: r3(p20.ours.p99),
			unit: 'ms',
			pass: p20.ours.p99 <= TARGETS.p99Editors20Ms
		});
	for (const p of prop) {
		targets.push({
			name: `p99 ours/relay, ${p.label}`,
			target: `≤ ${TARGETS.ratio}`,
			value: r3(p.ratioP99),
			unit: 'ratio',
			pass: p.ratioP99 <= TARGETS.ratio
		});
		targets.push({
			name: `p50 ours/relay, ${p.label}`,
			target: `≤ ${TARGETS.ratio}`,
			value: r3(p.ratioP50),
			unit: 'ratio',
			pass: p.ratioP50 <= TARGETS.ratio
		});
	}
	if (open) {
		targets.push({
			name: 'open 100k updates: FIRST open (no snapshot yet)',
			target: `≤ ${TARGETS.open100kMs} ms`,
			value: r3(open.first.ms),
			unit: 'ms',
			pass: open.first.ms <= TARGETS.open100kMs
		});
		targets.push({
			name: `open 100k updates: later cold open (snapshot + ${TAIL_UPDATES} tail), median`,
			target: `≤ ${TARGETS.open100kMs} ms`,
			value: r3(open.later.medianMs),
			unit: 'ms',
			pass: open.later.medianMs <= TARGETS.open100kMs
		});
	}
	if (fuzz) {
		targets.push({
			name: 'propagation p50 during a fuzz / without',
			target: `≤ ${TARGETS.fuzzRatio}`,
			value: r3(fuzz.ratioP50),
			unit: 'ratio',
			pass: fuzz.ratioP50 <= TARGETS.fuzzRatio
		});
		targets.push({
			name: 'propagation p99 during a fuzz / without',
			target: `≤ ${TARGETS.fuzzRatio}`,
			value: r3(fuzz.ratioP99),
			unit: 'ratio',
			pass: fuzz.ratioP99 <= TARGETS.fuzzRatio
		});
	}
	if (multi) targets.push(...multi.targets);
	if (heap.ours)
		targets.push({
			name: 'heap per loaded small plan',
			target: `≤ ${TARGETS.heapPerPlanBytes / 1024} KB`,
			value: Math.round(heap.ours.perPlanBytes),
			unit: 'bytes',
			pass: heap.ours.perPlanBytes <= TARGETS.heapPerPlanBytes
		});

	// --- report ---
	const out: string[] = [];
	out.push('', `Fellesplan sync bench — ${quick ? 'quick' : 'full'} run, ${new Date().toISOString()}`);
	out.push(
		`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, database ${ours.engine}`
	);
	out.push(
		`servers: each in its own child process on 127.0.0.1; all clients in the parent process (same client code for both)`
	);
	out.push(
		`other processes used ${runOtherCpu.toFixed(0)} % of the machine's CPU during the run${runOtherCpu > QUIET_PERCENT ? '  ← BUSY MACHINE: figures are noisy, rerun when quiet (--wait-quiet)' : ''}`
	);
	if (WAIT_QUIET_MS > 0)
		out.push(`--wait-quiet: waited ${(quietWaitedMs / 1000).toFixed(1)} s in total for a quiet machine`);
	if (prop.length) {
		out.push(
			'',
			`1. Update propagation (per receiver; sequential edits, ≥ ${EDIT_INTERVAL_MS} ms apart; blocks ${BLOCKS.join('/')})`
		);
		out.push(
			table(
				[
					'scenario',
					'samples',
					'ours p50',
					'ours p99',
					'relay p50',
					'relay p99',
					'p50 ratio',
					'p99 ratio',
					'ours max',
					'relay max',
					'lost',
					'server CPU/edit ours/relay',
					'other CPU'
				],
				prop.map((p) => [
					p.label,
					`${p.ours.n}/${p.relay.n}`,
					fmtMs(p.ours.p50),
					fmtMs(p.ours.p99),
					fmtMs(p.relay.p50),
					fmtMs(p.relay.p99),
					p.ratioP50.toFixed(2),
					p.ratioP99.toFixed(2),
					fmtMs(p.ours.max),
					fmtMs(p.relay.max),
					`${p.ours.lost}/${p.relay.lost}`,
					`${fmtMs(p.serverCpuPerEditMs.ours)} / ${fmtMs(p.serverCpuPerEditMs.relay)}`,
					`${p.otherCpuPercent.toFixed(0)} %`
				])
			)
		);
	}
	if (prop.length) {
		out.push(
			'',
			"   our server's storage calls per scenario (wall ms, warm-up included; load = document load or compaction read):"
		);
		out.push(
			table(
				[
					'   scenario',
					'append n',
					'append median',
					'append max',
					'load n',
					'load median',
					'load max',
					'saveSnapshot n',
					'save max'
				],
				prop.map((p) => [
					'   ' + p.label,
					String(p.store.append?.n ?? 0),
					fmtMs(p.store.append?.medianMs ?? NaN),
					fmtMs(p.store.append?.maxMs ?? NaN),
					String(p.store.load?.n ?? 0),
					fmtMs(p.store.load?.medianMs ?? NaN),
					fmtMs(p.store.load?.maxMs ?? NaN),
					String(p.store.saveSnapshot?.n ?? 0),
					fmtMs(p.store.saveSnapshot?.maxMs ?? NaN)
				])
			)
		);
	}
	if (open) {
		const h = open.history;
		out.push('', `2. Opening a plan with ${h.rows.toLocaleString('en')} stored updates (${ours.engine})`);
		out.push(
			table(
				['what', 'time', 'detail'],
				[
					[
						'FIRST open (no snapshot: reads + applies every row)',
						fmtMs(open.first.ms),
						`server load() ${fmtMs(open.first.serverLoadMs)} for ${open.first.serverLoadRows} rows; client applied at ${fmtMs(open.first.appliedMs)}`
					],
					[
						'  then background compaction (read + apply + save)',
						fmtMs(open.first.compaction.totalMs),
						`read ${fmtMs(open.first.compaction.readMs)}, save ${fmtMs(open.first.compaction.saveSnapshotMs)}, snapshot ${fmtKiB(open.first.compaction.snapshotBytes)}`
					],
					['  server event loop blocked (max) during open+compaction', fmtMs(open.first.serverEventLoopMaxDelayMs), ''],
					[
						`later cold open (snapshot + ${open.later.tailRows} tail), median of ${open.later.opens.length}`,
						fmtMs(open.later.medianMs),
						`min ${fmtMs(open.later.minMs)}, max ${fmtMs(open.later.maxMs)}, server load() ${fmtMs(open.later.medianServerLoadMs)}; client applied at ${fmtMs(open.later.medianAppliedMs)}`
					],
					[
						'cold open of an empty plan (fixed cost), median',
						fmtMs(open.emptyPlan.medianMs),
						`max ${fmtMs(open.emptyPlan.maxMs)}`
					],
					[
						'context: apply all updates to a Y.Doc (one transaction)',
						fmtMs(h.applyTxMs),
						`${(h.updateBytesTotal / 1024 / 1024).toFixed(1)} MB of updates → ${fmtKiB(h.stateBytes)} state`
					],
					['context: apply all updates to a Y.Doc (no transaction)', fmtMs(h.applyNoTxMs), ''],
					[
						'context: apply the snapshot to a Y.Doc',
						fmtMs(h.applySnapshotMs),
						`encodeStateAsUpdate ${fmtMs(h.encodeStateMs)}`
					],
					[
						'context: writing the history (multi-row inserts)',
						fmtMs(h.insertMs),
						`generating it ${fmtMs(h.generateMs)}`
					]
				]
			)
		);
		out.push('', '   first open, timeline (ms after the client created its socket):');
		for (const [what, t] of open.first.timeline) out.push(`   ${fmtMs(t).padStart(9)}  ${what}`);
		const b = open.big;
		out.push(
			'',
			`   editing that plan (${fmtKiB(b.stateBytes)} state): 2 editors, ${b.rounds} sequential edits per server, same method as part 1`
		);
		out.push(
			table(
				[
					'   server',
					'p50',
					'p99',
					'max',
					'compactions',
					'compaction read (median)',
					'saveSnapshot (median)',
					'event loop blocked (max)'
				],
				[
					[
						'   ours',
						fmtMs(b.ours.p50),
						fmtMs(b.ours.p99),
						fmtMs(b.ours.max),
						String(b.compactions),
						fmtMs(b.compactionReadMedianMs),
						fmtMs(b.saveSnapshotMedianMs),
						fmtMs(b.serverEventLoopMaxDelayMs)
					],
					['   relay', fmtMs(b.relay.p50), fmtMs(b.relay.p99), fmtMs(b.relay.max), '–', '–', '–', '–']
				]
			)
		);
	}
	if (heap.ours) {
		out.push('', '3. Heap per loaded small plan (demo plan, clients disconnected, docs kept loaded, after gc)');
		const rows = (['ours', 'relay'] as const)
			.filter((k) => heap[k])
			.map((k) => {
				const x = heap[k]!;
				return [
					k,
					String(x.plans),
					String(x.docsLoaded),
					fmtKiB(x.perPlanBytes),
					fmtKiB(x.perConnectionBytes),
					x.bareYDocPerPlanBytes === null ? '–' : fmtKiB(x.bareYDocPerPlanBytes)
				];
			});
		out.push(table(['server', 'plans', 'docs loaded', 'heap/plan', 'heap/open connection', 'bare Y.Doc/plan'], rows));
	}
	if (gate.length) {
		out.push(
			'',
			'4. The update gate: CPU per update (median µs), in process; applying it is what the server does anyway'
		);
		out.push(
			table(
				['plan', 'update', 'bytes', 'check', 'of which rights', 'apply', 'check/apply'],
				gate.map((g) => [
					`${g.plan} (${fmtKiB(g.stateBytes)})`,
					g.update,
					String(g.updateBytes),
					`${g.checkUs.toFixed(1)} µs`,
					`${g.rightsUs.toFixed(1)} µs`,
					`${g.applyUs.toFixed(1)} µs`,
					(g.checkUs / g.applyUs).toFixed(2)
				])
			)
		);
	}
	if (fuzz) {
		out.push(
			'',
			`5. A hostile member: 2 honest editors on a plan, ${fuzz.rounds} edits alone, then ${fuzz.rounds} while a fuzzer (own process) sends ${fuzz.fuzz.framesPerSecond.toFixed(0)} frames/s to the same plan`
		);
		out.push(
			table(
				['', 'p50', 'p90', 'p99', 'max', 'lost'],
				[
					['alone', fuzz.normal],
					['during the fuzz', fuzz.duringFuzz]
				].map(([name, l]) => {
					const x = l as LatencySummary;
					return [name as string, fmtMs(x.p50), fmtMs(x.p90), fmtMs(x.p99), fmtMs(x.max), String(x.lost)];
				})
			)
		);
		out.push(
			`   fuzz: ${fuzz.fuzz.sent} frames over ${fuzz.fuzz.connections} connections; server closed them with ${Object.entries(
				fuzz.fuzz.closes
			)
				.map(([c, n]) => `${c}×${n}`)
				.join(', ')}`
		);
	}
	if (multi) out.push(...multi.report);
	out.push('', 'Targets');
	out.push(
		table(
			['target', 'goal', 'measured', 'result'],
			targets.map((t) => [
				t.name,
				t.target,
				t.unit === 'ms' ? fmtMs(t.value) : t.unit === 'bytes' ? fmtKiB(t.value) : t.value.toFixed(2),
				t.pass ? 'PASS' : 'MISS'
			])
		)
	);
	if (serverWarnings.length) {
		out.push('', `Our server logged ${serverWarnings.length} warnings/errors (first 5):`);
		for (const w of serverWarnings.slice(0, 5)) out.push('  ' + w);
	}
	out.push(`\nwall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
	console.log(out.join('\n'));

	const json = {
		date: new Date().toISOString(),
		mode: quick ? 'quick' : 'full',
		machine: {
			cores: os.availableParallelism(),
			cpu: os.cpus()[0]?.model ?? null,
			node: process.version,
			platform: `${os.platform()} ${os.release()}`,
			otherCpuPercent: r3(runOtherCpu)
		},
		database: ours.engine,
		method: {
			serversInChildProcesses: true,
			editIntervalMs: EDIT_INTERVAL_MS,
			warmupRounds: WARMUP_ROUNDS,
			blocks: BLOCKS,
			waitQuietMs: WAIT_QUIET_MS,
			quietWaitedMs: r3(quietWaitedMs)
		},
		propagation: prop.map((p) => ({
			scenario: p.key,
			label: p.label,
			clients: p.clients,
			plans: p.plans,
			ours: roundSummary(p.ours),
			relay: roundSummary(p.relay),
			ratioP50: r3(p.ratioP50),
			ratioP99: r3(p.ratioP99),
			connectMs: { ours: r3(p.connectMs.ours), relay: r3(p.connectMs.relay) },
			otherCpuPercent: r3(p.otherCpuPercent),
			serverCpuPerEditMs: { ours: r3(p.serverCpuPerEditMs.ours), relay: r3(p.serverCpuPerEditMs.relay) },
			ourStoreCalls: p.store
		})),
		open: open && {
			updates: open.history.rows,
			firstOpenMs: r3(open.first.ms),
			firstOpenAppliedMs: r3(open.first.appliedMs),
			firstOpenTimeline: open.first.timeline.map(([what, t]) => ({ what, ms: r3(t) })),
			firstOpenServerLoadMs: r3(open.first.serverLoadMs),
			compactionMs: r3(open.first.compaction.totalMs),
			compactionReadMs: r3(open.first.compaction.readMs),
			serverEventLoopMaxDelayMs: r3(open.first.serverEventLoopMaxDelayMs),
			snapshotBytes: open.first.compaction.snapshotBytes,
			laterColdOpen: {
				tailUpdates: open.later.tailRows,
				medianMs: r3(open.later.medianMs),
				medianAppliedMs: r3(open.later.medianAppliedMs),
				minMs: r3(open.later.minMs),
				maxMs: r3(open.later.maxMs),
				serverLoadMedianMs: r3(open.later.medianServerLoadMs),
				n: open.later.opens.length
			},
			emptyPlanColdOpenMedianMs: r3(open.emptyPlan.medianMs),
			editingLargePlan: {
				rounds: open.big.rounds,
				stateBytes: open.big.stateBytes,
				ours: roundSummary(open.big.ours),
				relay: roundSummary(open.big.relay),
				ratioP99: r3(open.big.ratioP99),
				compactions: open.big.compactions,
				compactionReadMedianMs: r3(open.big.compactionReadMedianMs),
				saveSnapshotMedianMs: r3(open.big.saveSnapshotMedianMs),
				serverEventLoopMaxDelayMs: r3(open.big.serverEventLoopMaxDelayMs)
			},
			applyAllToYDocMs: r3(open.history.applyTxMs),
			applyAllToYDocNoTransactionMs: r3(open.history.applyNoTxMs),
			applySnapshotMs: r3(open.history.applySnapshotMs),
			stateBytes: open.history.stateBytes,
			updateBytesTotal: open.history.updateBytesTotal,
			insertMs: r3(open.history.insertMs)
		},
		gate: gate.map((g) => ({ ...g, checkUs: r3(g.checkUs), rightsUs: r3(g.rightsUs), applyUs: r3(g.applyUs) })),
		fuzz: fuzz && {
			rounds: fuzz.rounds,
			normal: roundSummary(fuzz.normal),
			duringFuzz: roundSummary(fuzz.duringFuzz),
			ratioP50: r3(fuzz.ratioP50),
			ratioP99: r3(fuzz.ratioP99),
			framesPerSecond: r3(fuzz.fuzz.framesPerSecond),
			frames: fuzz.fuzz.sent,
			connections: fuzz.fuzz.connections,
			closes: fuzz.fuzz.closes,
			seed: fuzz.fuzz.seed
		},
		heap: Object.fromEntries(
			Object.entries(heap).map(([k, v]) => [
				k,
				{
					...v,
					perPlanBytes: Math.round(v.perPlanBytes),
					perConnectionBytes: Math.round(v.perConnectionBytes),
					externalPerPlanBytes: Math.round(v.externalPerPlanBytes),
					bareYDocPerPlanBytes: v.bareYDocPerPlanBytes === null ? null : Math.round(v.bareYDocPerPlanBytes)
				}
			])
		),
		multinode: multi?.json ?? null,
		targets: targets.map((t) => ({ ...t, result: t.pass ? 'PASS' : 'MISS' })),
		serverWarnings: serverWarnings.length,
		wallSeconds: r3((performance.now() - started) / 1000)
	};
	await teardown();
	console.log(`BENCH ${JSON.stringify(json)}`);
}

function roundSummary(s: LatencySummary) {
	return { n: s.n, lost: s.lost, p50: r3(s.p50), p90: r3(s.p90), p99: r3(s.p99), max: r3(s.max), mean: r3(s.mean) };
}

try {
	await main();
} catch (err) {
	progress(`failed: ${(err as Error).stack ?? err}`);
	await teardown();
	process.exitCode = 1;
}
