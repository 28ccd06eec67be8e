/**
 * Update propagation: 2, 20 and 50 editors on one plan, and 500 clients on 100 plans (5 per plan). Every client
 * connects and syncs first; then sequential rounds (`rounds.ts`): one edit in flight, a sample per receiver when
 * it has applied it. Every server gets the same rounds (the same seeds), in alternating blocks.
 * Targets (against Hocuspocus as it ships, plus one commit from the floor): p50 ≤ 1.2 × (HP p50 + commit),
 * p99 ≤ 1.5 × HP p99, server CPU per edit ≤ 1.5 × (HP CPU per edit + the commit's CPU).
 */
import { connectMany, type BenchClient } from '../client';
import type { Bench } from '../context';
import type { SeededDoc } from '../hosts/common';
import type { StoreEvent } from '../hosts/ours';
import { EDIT_INTERVAL_MS, onApplied, prepareGroups, runRounds, slowRounds } from '../rounds';
import { profiling, SERVER_KINDS, SERVER_SHORT, type HostKind } from '../rpc';
import { fmtMs, median, r3, roundSummary, summarize, table, type LatencySummary } from '../stats';
import { atMost, type Section, type Target } from '../targets';

interface PropScenario {
	key: string;
	label: string;
	plans: number;
	perPlan: number;
	rounds: number;
	/** The same few accounts sit in every plan (only makes seeding faster; each client is still its own socket). */
	sharedUsers?: boolean;
}

const scenarios = (quick: boolean): PropScenario[] => [
	{ key: 'editors2', label: '2 editors', plans: 1, perPlan: 2, rounds: quick ? 300 : 3000 },
	{ key: 'editors20', label: '20 editors', plans: 1, perPlan: 20, rounds: quick ? 100 : 1000 },
	{ key: 'editors50', label: '50 editors', plans: 1, perPlan: 50, rounds: quick ? 40 : 600 },
	{
		key: 'clients500',
		label: '500 clients, 100 plans',
		plans: 100,
		perPlan: 5,
		rounds: quick ? 300 : 2000,
		sharedUsers: true
	}
];

export const TARGET = { p50: 1.2, p99: 1.5, cpu: 1.5 } as const;

interface PerServer {
	lat: LatencySummary;
	/** Server process CPU per measured edit (all its work: relaying, storing, compacting), ms. */
	cpuPerEditMs: number;
	/** PostgreSQL backend CPU per measured edit (0 on PGlite, which runs inside the server), ms. */
	dbCpuPerEditMs: number;
	connectMs: number;
}

interface PropResult {
	sc: PropScenario;
	servers: Partial<Record<HostKind, PerServer>>;
	otherCpuPercent: number;
	/** Our server's storage calls during the scenario (warm-up included): count, median and max wall ms. */
	store: Record<string, { n: number; medianMs: number; maxMs: number }>;
}

async function propagate(bench: Bench, sc: PropScenario, kinds: HostKind[]): Promise<PropResult> {
	const groups = new Map<HostKind, BenchClient[][]>();
	const connectMs = new Map<HostKind, number>();
	for (const kind of kinds) {
		const host = bench.server(kind);
		const seeded = await host.handle.call<SeededDoc[]>('seed', {
			plans: sc.plans,
			perPlan: sc.perPlan,
			content: 'empty',
			sharedUsers: sc.sharedUsers
		});
		const specs = seeded.flatMap((d) => d.cookies.map((cookie) => bench.spec(host, d.docName, cookie, { onApplied })));
		const t = performance.now();
		const clients = bench.track(await connectMany(specs, { parallel: 20, timeoutMs: 30_000 }));
		connectMs.set(kind, performance.now() - t);
		const g: BenchClient[][] = [];
		for (let i = 0; i < sc.plans; i++) g.push(clients.slice(i * sc.perPlan, (i + 1) * sc.perPlan));
		await prepareGroups(g);
		groups.set(kind, g);
	}
	const blocks = bench.blocks(kinds);
	const perBlock = Math.ceil(sc.rounds / (blocks.length / kinds.length));
	const samples = new Map<HostKind, number[]>(kinds.map((k) => [k, []]));
	const lost = new Map<HostKind, number>(kinds.map((k) => [k, 0]));
	const cpu = new Map<HostKind, { host: number; db: number; edits: number }>(
		kinds.map((k) => [k, { host: 0, db: 0, edits: 0 }])
	);
	const blocksDone = new Map<HostKind, number>(kinds.map((k) => [k, 0]));
	const warmed = new Set<HostKind>();
	const profiles: string[] = [];
	let other = 0;
	for (const [b, kind] of blocks.entries()) {
		const host = bench.server(kind);
		const g = groups.get(kind)!;
		if (!warmed.has(kind)) {
			await runRounds(g, bench.quick ? 30 : 100, 1000, false, kind);
			warmed.add(kind);
		}
		await bench.waitQuiet();
		const prof = profiling(kind);
		if (prof) await host.handle.call('profStart');
		const m0 = await bench.cpuMark();
		// The same seeds on every server: the n-th block of each picks the same plans and editors.
		const done = blocksDone.get(kind)!;
		blocksDone.set(kind, done + 1);
		const r = await runRounds(g, perBlock, 2000 + done, true, kind);
		const m1 = await bench.cpuMark();
		if (prof) profiles.push(await host.handle.call<string>('profStop', { name: `${sc.key}-block${b}` }));
		other += bench.otherCpuPercent(m0, m1) / blocks.length;
		const c = cpu.get(kind)!;
		c.host += (m1.hostMs[kind] ?? NaN) - (m0.hostMs[kind] ?? NaN);
		c.db += (m1.dbMs[kind] ?? 0) - (m0.dbMs[kind] ?? 0);
		c.edits += perBlock;
		samples.get(kind)!.push(...r.samples);
		lost.set(kind, lost.get(kind)! + r.lost);
	}
	for (const f of profiles) bench.progress(`profile written: ${f}`);

	const store: PropResult['store'] = {};
	if (kinds.includes('ours')) {
		const events = await bench.server('ours').handle.call<StoreEvent[]>('events', {});
		for (const op of ['append', 'load', 'saveSnapshot'] as const) {
			const ms = events.filter((e) => e.op === op).map((e) => e.ms);
			if (ms.length) store[op] = { n: ms.length, medianMs: r3(median(ms)), maxMs: r3(Math.max(...ms)) };
		}
		if (process.env.BENCH_DEBUG_SLOW) reportSlowRounds(bench, events);
	}
	for (const kind of kinds) {
		const host = bench.server(kind);
		bench.closeAll(groups.get(kind)!.flat());
		await bench.waitConnections(host, 0);
		await host.handle.call('reset', { flush: true });
	}
	const servers: PropResult['servers'] = {};
	for (const kind of kinds) {
		const c = cpu.get(kind)!;
		servers[kind] = {
			lat: summarize(samples.get(kind)!, lost.get(kind)!),
			cpuPerEditMs: c.host / c.edits,
			dbCpuPerEditMs: c.db / c.edits,
			connectMs: connectMs.get(kind)!
		};
	}
	return { sc, servers, otherCpuPercent: other, store };
}

/** BENCH_DEBUG_SLOW=<ms>: which of our server's storage calls were running while a slow round was in flight? */
function reportSlowRounds(bench: Bench, events: StoreEvent[]): void {
	for (const s of slowRounds.splice(0)) {
		const overlapping = events.filter((e) => e.startedAt < s.epoch + s.ms && e.startedAt + e.ms > s.epoch - 2);
		const what = overlapping
			.map(
				(e) =>
					`${e.op}${e.rows !== undefined ? `(${e.rows})` : ''} ${e.ms.toFixed(1)}ms@${(e.startedAt - s.epoch).toFixed(1)}`
			)
			.join(', ');
		bench.progress(
			`slow ${s.kind} round seq ${s.seq}: ${s.ms.toFixed(1)} ms${s.kind === 'ours' ? ` — storage calls in flight: ${what || 'none'}` : ''}`
		);
	}
}

/** The targets of one scenario: ours against Hocuspocus as it ships, plus one commit. */
export function peerTargets(
	bench: Bench,
	label: string,
	ours: PerServer | undefined,
	hp: PerServer | undefined
): Target[] {
	if (!ours || !hp) return [];
	const commit = bench.commit ?? { wallMs: NaN, cpuMs: NaN };
	const engine = bench.engineName;
	return [
		atMost(
			`p50 propagation, ${label} (${engine})`,
			ours.lat.p50,
			TARGET.p50 * (hp.lat.p50 + commit.wallMs),
			'ms',
			`≤ ${TARGET.p50} × (HP ${fmtMs(hp.lat.p50)} + commit ${fmtMs(commit.wallMs)})`
		),
		atMost(
			`p99 propagation, ${label} (${engine})`,
			ours.lat.p99,
			TARGET.p99 * hp.lat.p99,
			'ms',
			`≤ ${TARGET.p99} × HP ${fmtMs(hp.lat.p99)}`
		),
		atMost(
			`server CPU per edit, ${label} (${engine})`,
			ours.cpuPerEditMs,
			TARGET.cpu * (hp.cpuPerEditMs + commit.cpuMs),
			'ms',
			`≤ ${TARGET.cpu} × (HP ${fmtMs(hp.cpuPerEditMs)} + commit ${fmtMs(commit.cpuMs)})`
		)
	];
}

export async function propagation(bench: Bench): Promise<Section> {
	const kinds = [...SERVER_KINDS];
	const results: PropResult[] = [];
	for (const sc of scenarios(bench.quick).filter(
		(s) => !bench.opts.propScenarios || bench.opts.propScenarios.includes(s.key)
	)) {
		bench.progress(`propagation: ${sc.label}`);
		results.push(await propagate(bench, sc, kinds));
	}
	const targets = results.flatMap((r) => peerTargets(bench, r.sc.label, r.servers.ours, r.servers.hocuspocus));
	const rows = results.flatMap((r) =>
		kinds.map((k, i) => {
			const s = r.servers[k]!;
			const relay = r.servers.relay;
			return [
				i === 0 ? r.sc.label : '',
				SERVER_SHORT[k],
				String(s.lat.n),
				fmtMs(s.lat.p50),
				fmtMs(s.lat.p99),
				fmtMs(s.lat.max),
				String(s.lat.lost),
				fmtMs(s.cpuPerEditMs),
				bench.onPostgres ? fmtMs(s.dbCpuPerEditMs) : '–',
				relay ? `${(s.lat.p50 / relay.lat.p50).toFixed(2)} / ${(s.lat.p99 / relay.lat.p99).toFixed(2)}` : '–',
				i === 0 ? `${r.otherCpuPercent.toFixed(0)} %` : ''
			];
		})
	);
	const title = `Update propagation (per receiver; sequential edits ≥ ${EDIT_INTERVAL_MS} ms apart; blocks ${bench
		.blocks(kinds)
		.map((k) => SERVER_SHORT[k])
		.join('/')})`;
	const lines = [
		table(
			[
				'scenario',
				'server',
				'samples',
				'p50',
				'p99',
				'max',
				'lost',
				'server CPU/edit',
				'DB CPU/edit',
				'p50 / p99 ×relay',
				'other CPU'
			],
			rows
		)
	];
	if (results.some((r) => Object.keys(r.store).length)) {
		lines.push('', "   our server's storage calls per scenario (wall ms, warm-up included; load = document load):");
		lines.push(
			table(
				['   scenario', 'append n', 'append median', 'append max', 'load n', 'load max', 'saveSnapshot n', 'save max'],
				results.map((r) => [
					'   ' + r.sc.label,
					String(r.store.append?.n ?? 0),
					fmtMs(r.store.append?.medianMs ?? NaN),
					fmtMs(r.store.append?.maxMs ?? NaN),
					String(r.store.load?.n ?? 0),
					fmtMs(r.store.load?.maxMs ?? NaN),
					String(r.store.saveSnapshot?.n ?? 0),
					fmtMs(r.store.saveSnapshot?.maxMs ?? NaN)
				])
			)
		);
	}
	const json = results.map((r) => ({
		scenario: r.sc.key,
		label: r.sc.label,
		clients: r.sc.plans * r.sc.perPlan,
		plans: r.sc.plans,
		otherCpuPercent: r3(r.otherCpuPercent),
		servers: Object.fromEntries(
			Object.entries(r.servers).map(([k, s]) => [
				k,
				{
					...roundSummary(s.lat),
					cpuPerEditMs: r3(s.cpuPerEditMs),
					dbCpuPerEditMs: r3(s.dbCpuPerEditMs),
					connectMs: r3(s.connectMs)
				}
			])
		),
		ourStoreCalls: r.store
	}));
	return { title, lines, targets, json };
}
