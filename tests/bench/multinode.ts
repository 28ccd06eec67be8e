/**
 * Issue 11's load scenarios, each against the bare relay in the same run:
 *
 *   - many plans: 1,000 connections over 200 plans, on one node and on two (PostgreSQL + Redis; each plan's
 *     clients split between the nodes, so every edit crosses the fan-out): connection cost, propagation
 *     p50/p99 (sequential rounds, as in part 1), server CPU per edit;
 *   - reconnect storm: those 1,000 clients dropped and reconnecting at once: time until all are synced, and the
 *     server CPU it took;
 *   - hot plan: 200 clients on one plan, each editing every 500 ms, on PGlite and on PostgreSQL: p50/p99 per
 *     receiver, server CPU per edit.
 *
 * The two-node and PostgreSQL scenarios need PostgreSQL and Redis (TEST_PG_URL, TEST_REDIS_URL or the local
 * defaults); without them they are left out, and the report says so.
 */
import net from 'node:net';
import postgres from 'postgres';
import type * as Y from 'yjs';
import { addGoal, getGoal, updateGoal } from '../../src/lib/plan';
import { goalsRoot } from '../../src/lib/plan/roots';
import { BenchClient, connectMany, sleep, withTimeout, type BenchClientOptions } from './client';
import { onApplied, prepareGroups, runRounds } from './rounds';
import { startHost, type HostHandle, type HostKind } from './rpc';
import type { SeededDoc } from './server-host';
import { fmtMs, r3, summarize, table, type LatencySummary } from './stats';

export interface MultinodeOptions {
	quick: boolean;
	/** The run's relay and our PGlite server (already started). */
	relay: HostInfo;
	oursPglite: HostInfo | null;
	track(clients: BenchClient[]): BenchClient[];
	progress(msg: string): void;
}

export interface HostInfo {
	handle: HostHandle;
	wsBase: string;
	engine: string;
}

interface Target {
	name: string;
	target: string;
	value: number;
	unit: 'ms' | 'ratio' | 'bytes';
	pass: boolean;
}

export const MULTINODE_TARGETS = { crossNodeP99: 2, cpuPerEdit: 1.5, connectionCost: 2, hotP99: 1.5 } as const;

const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, fallbackPort: number): Promise<boolean> {
	const u = new URL(url);
	return new Promise((resolve) => {
		const s = net.connect({ host: u.hostname, port: Number(u.port) || fallbackPort });
		const done = (ok: boolean) => {
			s.destroy();
			resolve(ok);
		};
		s.setTimeout(1000, () => done(false));
		s.once('connect', () => done(true));
		s.once('error', () => done(false));
	});
}

async function cpuMs(hosts: HostInfo[]): Promise<number> {
	let us = 0;
	for (const h of hosts) {
		const c = await h.handle.call<{ user: number; system: number }>('cpu', {}, 5000);
		us += c.user + c.system;
	}
	return us / 1000;
}

async function waitConnections(hosts: HostInfo[], n: number, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let total = 0;
		for (const h of hosts) total += (await h.handle.call<{ connections: number }>('stats')).connections;
		if (total === n) return;
		if (Date.now() > deadline) throw new Error(`${total} connections, expected ${n}`);
		await sleep(50);
	}
}

function closeAll(clients: BenchClient[]): void {
	for (const c of clients) c.close();
}

/** One server setup under test: the relay, our server on one node, or ours on two nodes sharing a database. */
interface Setup {
	name: string;
	kind: HostKind;
	nodes: HostInfo[];
}

interface ManyPlansResult {
	setup: string;
	connections: number;
	connectMs: number;
	connectCpuMsPerConnection: number;
	prop: LatencySummary;
	cpuPerEditMs: number;
	stormMs: number;
	stormCpuMs: number;
}

/** 1,000 connections over 200 plans (quick: 500 over 100): connect, rounds, then a reconnect storm. */
async function manyPlans(
	setup: Setup,
	opts: MultinodeOptions,
	plans: number,
	perPlan: number,
	rounds: number
): Promise<ManyPlansResult> {
	const seeded = await setup.nodes[0].handle.call<SeededDoc[]>(
		'seed',
		{ plans, perPlan, content: 'empty', sharedUsers: true },
		300_000
	);
	// Client j of each plan goes to node j mod n: on two nodes every plan has clients on both.
	const specs: BenchClientOptions[] = seeded.flatMap((d) =>
		d.cookies.map((cookie, j) => ({ url: setup.nodes[j % setup.nodes.length].wsBase + d.docName, cookie, onApplied }))
	);
	const c0 = await cpuMs(setup.nodes);
	const t0 = performance.now();
	const clients = opts.track(await connectMany(specs, { parallel: 50, timeoutMs: 60_000 }));
	const connectMs = performance.now() - t0;
	const connectCpu = (await cpuMs(setup.nodes)) - c0;
	const groups: BenchClient[][] = [];
	for (let i = 0; i < plans; i++) groups.push(clients.slice(i * perPlan, (i + 1) * perPlan));
	await prepareGroups(groups);
	await runRounds(groups, 30, 900, false, setup.kind);
	const e0 = await cpuMs(setup.nodes);
	const r = await runRounds(groups, rounds, 901, true, setup.kind);
	const cpuPerEdit = ((await cpuMs(setup.nodes)) - e0) / rounds;

	// The storm: every socket dropped at once (as when a node or the load balancer restarts), all back at once.
	for (const c of clients) c.terminate();
	await waitConnections(setup.nodes, 0);
	const s0 = await cpuMs(setup.nodes);
	const ts = performance.now();
	const again = opts.track(specs.map((s) => new BenchClient({ ...s, onApplied: undefined })));
	await withTimeout(Promise.all(again.map((c) => c.synced)), 180_000, 'reconnect storm');
	const stormMs = performance.now() - ts;
	const stormCpuMs = (await cpuMs(setup.nodes)) - s0;
	closeAll(again);
	await waitConnections(setup.nodes, 0);
	return {
		setup: setup.name,
		connections: specs.length,
		connectMs,
		connectCpuMsPerConnection: connectCpu / specs.length,
		prop: summarize(r.samples, r.lost),
		cpuPerEditMs: cpuPerEdit,
		stormMs,
		stormCpuMs
	};
}

/** Hot-plan clients that apply every edit and measure; the others only write. */
const HOT_OBSERVERS = 5;

interface HotResult {
	setup: string;
	clients: number;
	edits: number;
	lat: LatencySummary;
	cpuPerEditMs: number;
}

/**
 * The hot plan: every client owns one goal and sets its title to `h<i>:<n>` every `intervalMs` (random phase);
 * every other client takes a sample when it sees that title. Edits overlap, as in a busy meeting.
 */
async function hotPlan(
	setup: Setup,
	opts: MultinodeOptions,
	clients: number,
	intervalMs: number,
	seconds: number
): Promise<HotResult> {
	const [doc] = await setup.nodes[0].handle.call<SeededDoc[]>(
		'seed',
		{ plans: 1, perPlan: clients, content: 'empty', sharedUsers: true },
		300_000
	);
	const sentAt = new Map<string, number>();
	const samples: number[] = [];
	let expected = 0;
	// Everyone edits; the first OBSERVERS also apply everything and take the samples (see `writeOnly`).
	const specs = doc.cookies.map((cookie, j) => ({
		url: setup.nodes[j % setup.nodes.length].wsBase + doc.docName,
		cookie,
		writeOnly: j >= HOT_OBSERVERS
	}));
	const cs = opts.track(await connectMany(specs, { parallel: 50, timeoutMs: 60_000 }));
	const observers = cs.slice(0, HOT_OBSERVERS);
	// A title is a Y.Text inside its goal: the event is the text's, under the goal's id (`path[0]`).
	const observe = (d: Y.Doc) =>
		goalsRoot(d).observeDeep((events, transaction) => {
			if (transaction.local) return;
			const now = performance.now();
			const goals = new Set<string>();
			for (const e of events) if (typeof e.path[0] === 'string') goals.add(e.path[0]);
			for (const id of goals) {
				const t = sentAt.get(getGoal(d, id)?.title ?? '');
				if (t !== undefined) samples.push(now - t);
			}
		});
	cs.forEach((c, i) => addGoal(c.doc, { id: `h${i}`, lifeArea: 'housing', title: `h${i}:0`, expressedBy: 'staff' }));
	const deadline = Date.now() + 60_000;
	while (!observers.every((c) => goalsRoot(c.doc).size === clients)) {
		if (Date.now() > deadline) throw new Error('hot plan: goals did not reach every client');
		await sleep(50);
	}
	for (const c of observers) observe(c.doc);
	const c0 = await cpuMs(setup.nodes);
	let edits = 0;
	const timers: ReturnType<typeof setTimeout>[] = [];
	const stopAt = performance.now() + seconds * 1000;
	cs.forEach((c, i) => {
		let n = 0;
		const tick = () => {
			if (performance.now() >= stopAt) return;
			const title = `h${i}:${++n}`;
			sentAt.set(title, performance.now());
			updateGoal(c.doc, `h${i}`, { title });
			edits++;
			expected += i < HOT_OBSERVERS ? HOT_OBSERVERS - 1 : HOT_OBSERVERS;
			timers.push(setTimeout(tick, intervalMs));
		};
		timers.push(setTimeout(tick, Math.random() * intervalMs));
	});
	await sleep(seconds * 1000);
	// Let the last edits arrive.
	const settle = Date.now() + 10_000;
	while (samples.length < expected && Date.now() < settle) await sleep(50);
	for (const t of timers) clearTimeout(t);
	const cpu = (await cpuMs(setup.nodes)) - c0;
	closeAll(cs);
	await waitConnections(setup.nodes, 0);
	return {
		setup: setup.name,
		clients,
		edits,
		lat: summarize(samples, Math.max(0, expected - samples.length)),
		cpuPerEditMs: cpu / edits
	};
}

export async function measureMultinode(opts: MultinodeOptions) {
	const { quick, progress } = opts;
	const started: HostHandle[] = [];
	let dropDb: (() => Promise<void>) | null = null;
	const notes: string[] = [];
	const targets: Target[] = [];
	const many: ManyPlansResult[] = [];
	const hot: HotResult[] = [];
	const relay: Setup = { name: 'relay', kind: 'relay', nodes: [opts.relay] };
	const PLANS = 200;
	const PER_PLAN = 5;
	const ROUNDS = quick ? 150 : 1000;
	const HOT_CLIENTS = 200;
	const HOT_SECONDS = quick ? 6 : 30;
	try {
		const havePg = await reachable(PG_ADMIN_URL, 5432);
		const haveRedis = await reachable(REDIS_URL, 6379);
		let pgNodes: HostInfo[] = [];
		if (havePg && haveRedis) {
			const name = `fellesplan_bench_mn_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
			const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
			await admin.unsafe(`create database ${name}`);
			dropDb = async () => {
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			};
			const url = new URL(PG_ADMIN_URL);
			url.pathname = '/' + name;
			const launch = async (i: number): Promise<HostInfo> => {
				const handle = startHost('ours', {
					BENCH_HOST_DB_URL: url.toString(),
					BENCH_HOST_REDIS_URL: REDIS_URL,
					BENCH_HOST_NODE_ID: `bench-${process.pid}-${i}`
				});
				started.push(handle);
				return { handle, ...(await handle.call<{ wsBase: string; engine: string }>('init', {}, 120_000)) };
			};
			// One after the other: both run migrations on the same new database.
			pgNodes = [await launch(1)];
			pgNodes.push(await launch(2));
		} else {
			notes.push(
				`PostgreSQL (${havePg ? 'up' : 'not reachable'}) and Redis (${haveRedis ? 'up' : 'not reachable'}) are both needed for the one-node/two-node and PostgreSQL hot-plan scenarios: left out`
			);
		}

		const setups: Setup[] = [relay];
		if (pgNodes.length)
			setups.push(
				{ name: 'ours, 1 node (PostgreSQL)', kind: 'ours', nodes: [pgNodes[0]] },
				{ name: 'ours, 2 nodes (PostgreSQL + Redis)', kind: 'ours', nodes: pgNodes }
			);
		else if (opts.oursPglite) setups.push({ name: 'ours, 1 node (PGlite)', kind: 'ours', nodes: [opts.oursPglite] });
		for (const s of setups) {
			progress(`multinode: ${PLANS * PER_PLAN} connections over ${PLANS} plans, ${s.name}`);
			many.push(await manyPlans(s, opts, PLANS, PER_PLAN, ROUNDS));
		}

		const hotSetups: Setup[] = [relay];
		if (opts.oursPglite) hotSetups.push({ name: 'ours, PGlite', kind: 'ours', nodes: [opts.oursPglite] });
		if (pgNodes.length) hotSetups.push({ name: 'ours, PostgreSQL', kind: 'ours', nodes: [pgNodes[0]] });
		for (const s of hotSetups) {
			progress(`multinode: hot plan, ${HOT_CLIENTS} clients each editing every 500 ms for ${HOT_SECONDS} s, ${s.name}`);
			hot.push(await hotPlan(s, opts, HOT_CLIENTS, 500, HOT_SECONDS));
		}
	} finally {
		await Promise.allSettled(started.map((h) => h.stop()));
		await dropDb?.().catch(() => {});
	}

	// --- targets ---
	const r = many.find((m) => m.setup === 'relay');
	const one = many.find((m) => m.setup.startsWith('ours, 1 node'));
	const two = many.find((m) => m.setup.startsWith('ours, 2 nodes'));
	if (one && two)
		targets.push({
			name: 'cross-node p99 / single-node p99 (1,000 conns, 200 plans)',
			target: `≤ ${MULTINODE_TARGETS.crossNodeP99}`,
			value: r3(two.prop.p99 / one.prop.p99),
			unit: 'ratio',
			pass: two.prop.p99 <= MULTINODE_TARGETS.crossNodeP99 * one.prop.p99
		});
	if (r) {
		for (const m of many.filter((x) => x !== r)) {
			targets.push({
				name: `server CPU/edit ours/relay, ${m.setup}`,
				target: `≤ ${MULTINODE_TARGETS.cpuPerEdit}`,
				value: r3(m.cpuPerEditMs / r.cpuPerEditMs),
				unit: 'ratio',
				pass: m.cpuPerEditMs <= MULTINODE_TARGETS.cpuPerEdit * r.cpuPerEditMs
			});
			targets.push({
				name: `connection cost ours/relay (connect ${m.connections}), ${m.setup}`,
				target: `≤ ${MULTINODE_TARGETS.connectionCost}`,
				value: r3(m.connectMs / r.connectMs),
				unit: 'ratio',
				pass: m.connectMs <= MULTINODE_TARGETS.connectionCost * r.connectMs
			});
			targets.push({
				name: `reconnect storm ours/relay (${m.connections} at once), ${m.setup}`,
				target: `≤ ${MULTINODE_TARGETS.connectionCost}`,
				value: r3(m.stormMs / r.stormMs),
				unit: 'ratio',
				pass: m.stormMs <= MULTINODE_TARGETS.connectionCost * r.stormMs
			});
		}
	}
	const hr = hot.find((h) => h.setup === 'relay');
	if (hr) {
		for (const h of hot.filter((x) => x !== hr)) {
			targets.push({
				name: `hot plan p99 ours/relay, ${h.setup}`,
				target: `≤ ${MULTINODE_TARGETS.hotP99}`,
				value: r3(h.lat.p99 / hr.lat.p99),
				unit: 'ratio',
				pass: h.lat.p99 <= MULTINODE_TARGETS.hotP99 * hr.lat.p99
			});
			targets.push({
				name: `hot plan server CPU/edit ours/relay, ${h.setup}`,
				target: `≤ ${MULTINODE_TARGETS.cpuPerEdit}`,
				value: r3(h.cpuPerEditMs / hr.cpuPerEditMs),
				unit: 'ratio',
				pass: h.cpuPerEditMs <= MULTINODE_TARGETS.cpuPerEdit * hr.cpuPerEditMs
			});
		}
	}

	// --- report ---
	const out: string[] = [];
	out.push(
		'',
		`6. Several nodes (issue 11): ${PLANS * PER_PLAN} connections over ${PLANS} plans; sequential edits (${ROUNDS} rounds), then a reconnect storm`
	);
	out.push(
		table(
			[
				'setup',
				'connect all',
				'server CPU/conn',
				'p50',
				'p99',
				'max',
				'lost',
				'server CPU/edit',
				'storm: all synced',
				'storm server CPU'
			],
			many.map((m) => [
				m.setup,
				fmtMs(m.connectMs),
				fmtMs(m.connectCpuMsPerConnection),
				fmtMs(m.prop.p50),
				fmtMs(m.prop.p99),
				fmtMs(m.prop.max),
				String(m.prop.lost),
				fmtMs(m.cpuPerEditMs),
				fmtMs(m.stormMs),
				fmtMs(m.stormCpuMs)
			])
		)
	);
	out.push(
		'',
		`   hot plan: ${HOT_CLIENTS} clients on one plan, each editing every 500 ms for ${HOT_SECONDS} s (edits overlap; every client gets every edit, ${HOT_OBSERVERS} of them apply it and take a sample)`
	);
	out.push(
		table(
			['   setup', 'edits', 'samples', 'p50', 'p99', 'max', 'lost', 'server CPU/edit'],
			hot.map((h) => [
				'   ' + h.setup,
				String(h.edits),
				String(h.lat.n),
				fmtMs(h.lat.p50),
				fmtMs(h.lat.p99),
				fmtMs(h.lat.max),
				String(h.lat.lost),
				fmtMs(h.cpuPerEditMs)
			])
		)
	);
	for (const n of notes) out.push(`   note: ${n}`);
	const json = {
		manyPlans: many.map((m) => ({
			...m,
			connectMs: r3(m.connectMs),
			connectCpuMsPerConnection: r3(m.connectCpuMsPerConnection),
			cpuPerEditMs: r3(m.cpuPerEditMs),
			stormMs: r3(m.stormMs),
			stormCpuMs: r3(m.stormCpuMs),
			prop: { p50: r3(m.prop.p50), p99: r3(m.prop.p99), max: r3(m.prop.max), n: m.prop.n, lost: m.prop.lost }
		})),
		hotPlan: hot.map((h) => ({
			setup: h.setup,
			clients: h.clients,
			edits: h.edits,
			cpuPerEditMs: r3(h.cpuPerEditMs),
			lat: { p50: r3(h.lat.p50), p99: r3(h.lat.p99), max: r3(h.lat.max), n: h.lat.n, lost: h.lat.lost }
		})),
		notes
	};
	return { report: out, targets, json };
}
