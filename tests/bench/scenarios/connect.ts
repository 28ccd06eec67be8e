/**
 * Connecting: 250 and 1,000 clients (5 per plan, a few shared accounts) connect and sync, 50 handshakes in flight:
 * wall time until all are synced, and the server's CPU per connection (session check, access, audit, load,
 * sync). Then the reconnect storm: the 1,000 sockets are dropped at once (as when a load balancer restarts) and
 * 1,000 new ones open at once: time until all are synced. Every server in alternating blocks.
 * Targets: each time, and the CPU per connection, ≤ 1.5 × Hocuspocus's.
 */
import { BenchClient, connectMany, withTimeout } from '../client';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc } from '../hosts/common';
import { profiling, SERVER_KINDS, SERVER_SHORT, type HostKind } from '../rpc';
import { fmtMs, median, r3, table } from '../stats';
import { atMost, type Section, type Target } from '../targets';

const PER_PLAN = 5;
const SIZES = [250, 1000] as const;
const TARGET = 1.5;

interface ConnectBlock {
	connectMs: number;
	cpuPerConnectionMs: number;
	dbCpuPerConnectionMs: number;
	storm: { ms: number; cpuMs: number; dbCpuMs: number } | null;
	otherCpuPercent: number;
}

async function connectBlock(bench: Bench, host: HostInfo, clients: number, storm: boolean, name: string) {
	const seeded = await host.handle.call<SeededDoc[]>(
		'seed',
		{ plans: clients / PER_PLAN, perPlan: PER_PLAN, content: 'empty', sharedUsers: true },
		300_000
	);
	const specs = seeded.flatMap((d) => d.cookies.map((cookie) => bench.spec(host, d.docName, cookie)));
	await bench.waitQuiet();
	const prof = profiling(host.kind);
	if (prof) await host.handle.call('profStart');
	const m0 = await bench.cpuMark();
	const t0 = performance.now();
	const first = bench.track(await connectMany(specs, { parallel: 50, timeoutMs: 120_000 }));
	const connectMs = performance.now() - t0;
	const m1 = await bench.cpuMark();
	if (prof)
		bench.progress(`profile written: ${await host.handle.call<string>('profStop', { name: `connect-${name}` })}`);
	const cpu = (a: typeof m0, b: typeof m0) => ({
		host: (b.hostMs[host.kind] ?? NaN) - (a.hostMs[host.kind] ?? NaN),
		db: (b.dbMs[host.kind] ?? 0) - (a.dbMs[host.kind] ?? 0)
	});
	const c = cpu(m0, m1);
	let other = bench.otherCpuPercent(m0, m1);
	let stormResult: ConnectBlock['storm'] = null;
	let last = first;
	if (storm) {
		for (const client of first) client.terminate();
		await bench.waitConnections(host, 0, 120_000);
		const m2 = await bench.cpuMark();
		const ts = performance.now();
		const again = bench.track(specs.map((s) => new BenchClient(s)));
		await withTimeout(Promise.all(again.map((x) => x.synced)), 180_000, `reconnect storm on ${host.kind}`);
		const ms = performance.now() - ts;
		const m3 = await bench.cpuMark();
		const s = cpu(m2, m3);
		stormResult = { ms, cpuMs: s.host, dbCpuMs: s.db };
		other = (other + bench.otherCpuPercent(m2, m3)) / 2;
		last = again;
	}
	bench.closeAll(last);
	await bench.waitConnections(host, 0, 120_000);
	await host.handle.call('reset', { flush: true }, 120_000);
	return {
		connectMs,
		cpuPerConnectionMs: c.host / clients,
		dbCpuPerConnectionMs: c.db / clients,
		storm: stormResult,
		otherCpuPercent: other
	} satisfies ConnectBlock;
}

export async function connect(bench: Bench): Promise<Section> {
	const kinds = [...SERVER_KINDS];
	const results = new Map<string, ConnectBlock[]>();
	const key = (size: number, kind: HostKind) => `${size}:${kind}`;
	for (const size of SIZES) {
		for (const [b, kind] of bench.blocks(kinds).entries()) {
			const storm = size === 1000;
			bench.progress(`connect: ${size} clients${storm ? ', then a reconnect storm' : ''}, ${kind}`);
			const r = await connectBlock(bench, bench.server(kind), size, storm, `${size}-block${b}`);
			results.set(key(size, kind), [...(results.get(key(size, kind)) ?? []), r]);
		}
	}
	/** Nearest-rank median over the blocks (one in a quick run; of two in a full one, the lower). */
	const fig = (size: number, kind: HostKind, pick: (b: ConnectBlock) => number) =>
		median((results.get(key(size, kind)) ?? []).map(pick));
	const engine = bench.engineName;
	const targets: Target[] = [];
	const vsHp = (name: string, size: number, pick: (b: ConnectBlock) => number) => {
		const ours = fig(size, 'ours', pick);
		const hp = fig(size, 'hocuspocus', pick);
		targets.push(atMost(`${name} (${engine})`, ours, TARGET * hp, 'ms', `≤ ${TARGET} × HP ${fmtMs(hp)}`));
	};
	vsHp('connect and sync 250 clients', 250, (b) => b.connectMs);
	vsHp('connect and sync 1,000 clients', 1000, (b) => b.connectMs);
	vsHp('reconnect storm of 1,000', 1000, (b) => b.storm?.ms ?? NaN);
	vsHp('server CPU per connection (1,000 clients)', 1000, (b) => b.cpuPerConnectionMs);

	const rows = kinds.map((k) => [
		SERVER_SHORT[k],
		fmtMs(fig(250, k, (b) => b.connectMs)),
		fmtMs(fig(250, k, (b) => b.cpuPerConnectionMs)),
		fmtMs(fig(1000, k, (b) => b.connectMs)),
		fmtMs(fig(1000, k, (b) => b.cpuPerConnectionMs)),
		bench.onPostgres ? fmtMs(fig(1000, k, (b) => b.dbCpuPerConnectionMs)) : '–',
		fmtMs(fig(1000, k, (b) => b.storm?.ms ?? NaN)),
		fmtMs(fig(1000, k, (b) => b.storm?.cpuMs ?? NaN)),
		`${fig(1000, k, (b) => b.otherCpuPercent).toFixed(0)} %`
	]);
	const title = `Connecting: ${SIZES.join(' and ')} clients (${PER_PLAN} per plan), 50 handshakes in flight; then 1,000 dropped and reconnecting at once`;
	const lines = [
		table(
			[
				'server',
				'250: all synced',
				'CPU/conn',
				'1,000: all synced',
				'CPU/conn',
				'DB CPU/conn',
				'storm: all synced',
				'storm server CPU',
				'other CPU'
			],
			rows
		)
	];
	const json = Object.fromEntries(
		[...results].map(([k, bs]) => [
			k,
			bs.map((b) => ({
				connectMs: r3(b.connectMs),
				cpuPerConnectionMs: r3(b.cpuPerConnectionMs),
				dbCpuPerConnectionMs: r3(b.dbCpuPerConnectionMs),
				storm: b.storm && { ms: r3(b.storm.ms), cpuMs: r3(b.storm.cpuMs), dbCpuMs: r3(b.storm.dbCpuMs) },
				otherCpuPercent: r3(b.otherCpuPercent)
			}))
		])
	);
	return { title, lines, targets, json };
}
