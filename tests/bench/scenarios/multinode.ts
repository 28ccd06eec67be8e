/**
 * Several nodes: two of our servers on one PostgreSQL database, fanning out through Redis, each its own process
 * (its own node id). 1,000 connections over 200 plans (5 per plan, a few shared accounts), on one node and on two
 * where client j of each plan connects to node j mod 2, so every edit crosses Redis: connect all, then sequential
 * rounds as in the propagation part (p50/p99 per receiver; server CPU per edit summed over the nodes).
 * Needs PostgreSQL and Redis (TEST_PG_URL, TEST_REDIS_URL or the local defaults); without them it is left out,
 * and the report says so. Target: cross-node p99 ≤ 2 × single-node p99.
 */
import { reachable } from '../../helpers/reachable';
import { connectMany } from '../client';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc } from '../hosts/common';
import { onApplied, prepareGroups, runRounds } from '../rounds';
import { fmtMs, r3, roundSummary, summarize, table, type LatencySummary } from '../stats';
import { atMost, type Section, type Target } from '../targets';

const PLANS = 200;
const PER_PLAN = 5;
const CROSS_NODE_P99 = 2;

interface NodesResult {
	setup: string;
	connectMs: number;
	cpuPerConnectionMs: number;
	lat: LatencySummary;
	cpuPerEditMs: number;
}

async function manyPlans(bench: Bench, name: string, nodes: HostInfo[], rounds: number): Promise<NodesResult> {
	bench.progress(`multinode: ${PLANS * PER_PLAN} connections over ${PLANS} plans, ${name}`);
	const seeded = await nodes[0].handle.call<SeededDoc[]>(
		'seed',
		{ plans: PLANS, perPlan: PER_PLAN, content: 'empty', sharedUsers: true },
		300_000
	);
	const specs = seeded.flatMap((d) =>
		d.cookies.map((cookie, j) => bench.spec(nodes[j % nodes.length], d.docName, cookie, { onApplied }))
	);
	const c0 = await bench.cpuMs(nodes);
	const t0 = performance.now();
	const clients = bench.track(await connectMany(specs, { parallel: 50, timeoutMs: 60_000 }));
	const connectMs = performance.now() - t0;
	const c1 = await bench.cpuMs(nodes);
	const groups = Array.from({ length: PLANS }, (_, i) => clients.slice(i * PER_PLAN, (i + 1) * PER_PLAN));
	await prepareGroups(groups);
	await runRounds(groups, 30, 900, false);
	await bench.waitQuiet();
	const e0 = await bench.cpuMs(nodes);
	const r = await runRounds(groups, rounds, 901, true);
	const e1 = await bench.cpuMs(nodes);
	bench.closeAll(clients);
	await bench.waitConnections(nodes, 0);
	return {
		setup: name,
		connectMs,
		cpuPerConnectionMs: (c1.host - c0.host) / specs.length,
		lat: summarize(r.samples, r.lost),
		cpuPerEditMs: (e1.host - e0.host) / rounds
	};
}

export async function multinode(bench: Bench): Promise<Section> {
	const rounds = bench.quick ? 150 : 1000;
	const haveRedis = await reachable(bench.opts.redisUrl, 6379);
	const havePg = await reachable(bench.opts.pgAnyUrl, 5432);
	if (!havePg || !haveRedis) {
		const note = `PostgreSQL (${havePg ? 'up' : 'not reachable'}) and Redis (${haveRedis ? 'up' : 'not reachable'}) are both needed: left out`;
		return { title: `Several nodes: ${note}`, lines: [], targets: [], json: { note } };
	}
	const db = await bench.createDatabase();
	const nodes: HostInfo[] = [];
	// One after the other: both run migrations on the same new database.
	for (const i of [1, 2])
		nodes.push(
			await bench.launch('ours', {
				env: {
					BENCH_HOST_DB_URL: db.url,
					BENCH_HOST_REDIS_URL: bench.opts.redisUrl,
					BENCH_HOST_NODE_ID: `bench-${process.pid}-${i}`
				},
				database: db.name
			})
		);
	const results: NodesResult[] = [];
	try {
		results.push(await manyPlans(bench, 'ours, 1 node (PostgreSQL)', [nodes[0]], rounds));
		results.push(await manyPlans(bench, 'ours, 2 nodes (PostgreSQL + Redis)', nodes, rounds));
	} finally {
		for (const n of nodes) await bench.stop(n);
	}
	const [one, two] = results;
	const targets: Target[] = [
		atMost(
			'cross-node p99 (1,000 connections, 200 plans)',
			two.lat.p99,
			CROSS_NODE_P99 * one.lat.p99,
			'ms',
			`≤ ${CROSS_NODE_P99} × one node's ${fmtMs(one.lat.p99)}`
		)
	];
	const title = `Several nodes: ${PLANS * PER_PLAN} connections over ${PLANS} plans, then ${rounds} sequential edits`;
	const lines = [
		table(
			['setup', 'connect all', 'server CPU/conn', 'p50', 'p99', 'max', 'lost', 'server CPU/edit'],
			results.map((m) => [
				m.setup,
				fmtMs(m.connectMs),
				fmtMs(m.cpuPerConnectionMs),
				fmtMs(m.lat.p50),
				fmtMs(m.lat.p99),
				fmtMs(m.lat.max),
				String(m.lat.lost),
				fmtMs(m.cpuPerEditMs)
			])
		),
		"   with 1,000 connections and this few edits most edits are a connection's first, which also writes its doc.change audit row"
	];
	const json = results.map((m) => ({
		setup: m.setup,
		connectMs: r3(m.connectMs),
		cpuPerConnectionMs: r3(m.cpuPerConnectionMs),
		cpuPerEditMs: r3(m.cpuPerEditMs),
		...roundSummary(m.lat)
	}));
	return { title, lines, targets, json };
}
