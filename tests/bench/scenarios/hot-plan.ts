/**
 * The hot plan: 200 clients on one plan, each setting its own goal's title every 500 ms (random phase), so edits
 * overlap as in a busy meeting (400 edits/s). All 200 get every edit from the server; 5 of them apply it and take
 * a sample (the others drop it unread, `writeOnly`), so the one client process can keep up. Every server gets the
 * same number of edits (each client makes its share, however late); the client process's own event-loop delay is
 * shown beside, because a starved client process delays every server's figures alike. Every server in
 * alternating blocks. Target: ours no worse than Hocuspocus as it ships in p50, p99 and server CPU per edit, and
 * nothing lost.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { addGoal, getGoal, updateGoal } from '../../../src/lib/plan';
import { goalsRoot } from '../../../src/lib/plan/roots';
import { connectMany, sleep } from '../client';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc } from '../hosts/common';
import { profiling, SERVER_KINDS, SERVER_SHORT, type HostKind } from '../rpc';
import { fmtMs, r3, roundSummary, summarize, table, type LatencySummary } from '../stats';
import { atMost, type Section, type Target } from '../targets';

const CLIENTS = 200;
const INTERVAL_MS = 500;
/** Clients that apply every edit and take samples; the others only write. */
const OBSERVERS = 5;
/** After the last edit, how long the observers may still wait for edits in flight. */
const SETTLE_MS = 10_000;
/** How long a server may take to work through its backlog after a block before it is replaced. */
const DRAIN_MS = 60_000;

interface HotBlock {
	/** The server had not caught up a minute after the block and was replaced by a fresh process. */
	restarted: boolean;
	edits: number;
	/** How long the edits took to send (the planned time when the client process keeps up). */
	sendingMs: number;
	/** The client process's event-loop delay while sending, p99, ms. */
	clientLagMs: number;
	samples: number[];
	expected: number;
	cpuMs: number;
	dbCpuMs: number;
	otherCpuPercent: number;
}

/** One block: a fresh plan, 200 clients, `seconds` of editing. */
async function hotBlock(bench: Bench, host: HostInfo, seconds: number, name: string): Promise<HotBlock> {
	const [doc] = await host.handle.call<SeededDoc[]>(
		'seed',
		{ plans: 1, perPlan: CLIENTS, content: 'empty', sharedUsers: true },
		300_000
	);
	const sentAt = new Map<string, number>();
	const samples: number[] = [];
	const specs = doc.cookies.map((cookie, j) => bench.spec(host, doc.docName, cookie, { writeOnly: j >= OBSERVERS }));
	const cs = bench.track(await connectMany(specs, { parallel: 50, timeoutMs: 60_000 }));
	const observers = cs.slice(0, OBSERVERS);
	cs.forEach((c, i) => addGoal(c.doc, { id: `h${i}`, lifeArea: 'housing', title: `h${i}:0`, expressedBy: 'staff' }));
	const deadline = Date.now() + 60_000;
	while (!observers.every((c) => goalsRoot(c.doc).size === CLIENTS)) {
		if (Date.now() > deadline) throw new Error(`hot plan on ${host.kind}: goals did not reach every client`);
		await sleep(50);
	}
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
	for (const c of observers) observe(c.doc);
	await bench.waitQuiet();
	const prof = profiling(host.kind);
	if (prof) await host.handle.call('profStart');
	const lag = monitorEventLoopDelay({ resolution: 5 });
	lag.enable();
	const m0 = await bench.cpuMark();
	const t0 = performance.now();
	const perClient = (seconds * 1000) / INTERVAL_MS;
	let edits = 0;
	let expected = 0;
	const timers = new Set<ReturnType<typeof setTimeout>>();
	const allSent = Promise.all(
		cs.map(
			(c, i) =>
				new Promise<void>((resolve) => {
					let n = 0;
					const tick = () => {
						const title = `h${i}:${++n}`;
						sentAt.set(title, performance.now());
						updateGoal(c.doc, `h${i}`, { title });
						edits++;
						expected += i < OBSERVERS ? OBSERVERS - 1 : OBSERVERS;
						if (n < perClient) schedule(INTERVAL_MS);
						else resolve();
					};
					const schedule = (ms: number) => {
						const t = setTimeout(() => {
							timers.delete(t);
							tick();
						}, ms);
						timers.add(t);
					};
					schedule(Math.random() * INTERVAL_MS);
				})
		)
	);
	await allSent;
	const sendingMs = performance.now() - t0;
	lag.disable();
	const settle = Date.now() + SETTLE_MS;
	while (samples.length < expected && Date.now() < settle) await sleep(50);
	for (const t of timers) clearTimeout(t);
	const m1 = await bench.cpuMark();
	if (prof) bench.progress(`profile written: ${await host.handle.call<string>('profStop', { name: `hot-${name}` })}`);
	bench.closeAll(cs);
	// A server that fell behind is still working through its backlog: wait for it before the next block, or
	// replace it when that would take longer than the rest of the run.
	let restarted = false;
	try {
		await bench.waitConnections(host, 0, DRAIN_MS);
		await host.handle.call('reset', { flush: true }, DRAIN_MS);
	} catch {
		bench.progress(`hot plan: ${host.kind} had not drained its backlog after ${DRAIN_MS / 1000} s: restarting it`);
		await bench.restartServer(host.kind);
		restarted = true;
	}
	return {
		restarted,
		edits,
		sendingMs,
		clientLagMs: lag.percentile(99) / 1e6,
		samples,
		expected,
		cpuMs: (m1.hostMs[host.kind] ?? NaN) - (m0.hostMs[host.kind] ?? NaN),
		dbCpuMs: (m1.dbMs[host.kind] ?? 0) - (m0.dbMs[host.kind] ?? 0),
		otherCpuPercent: bench.otherCpuPercent(m0, m1)
	};
}

interface HotResult {
	restarted: boolean;
	edits: number;
	sendingMs: number;
	clientLagMs: number;
	lat: LatencySummary;
	cpuPerEditMs: number;
	dbCpuPerEditMs: number;
	otherCpuPercent: number;
}

export async function hotPlan(bench: Bench): Promise<Section> {
	const kinds = [...SERVER_KINDS];
	const blocks = bench.blocks(kinds);
	const seconds = bench.quick ? 6 : 15;
	const acc = new Map<HostKind, HotBlock[]>(kinds.map((k) => [k, []]));
	for (const [b, kind] of blocks.entries()) {
		bench.progress(`hot plan: ${CLIENTS} clients each editing every ${INTERVAL_MS} ms for ${seconds} s, ${kind}`);
		acc.get(kind)!.push(await hotBlock(bench, bench.server(kind), seconds, `block${b}`));
	}
	const results = new Map<HostKind, HotResult>();
	for (const [kind, bs] of acc) {
		const edits = bs.reduce((n, b) => n + b.edits, 0);
		const expected = bs.reduce((n, b) => n + b.expected, 0);
		const samples = bs.flatMap((b) => b.samples);
		results.set(kind, {
			restarted: bs.some((b) => b.restarted),
			edits,
			sendingMs: Math.max(...bs.map((b) => b.sendingMs)),
			clientLagMs: Math.max(...bs.map((b) => b.clientLagMs)),
			lat: summarize(samples, Math.max(0, expected - samples.length)),
			cpuPerEditMs: bs.reduce((n, b) => n + b.cpuMs, 0) / edits,
			dbCpuPerEditMs: bs.reduce((n, b) => n + b.dbCpuMs, 0) / edits,
			otherCpuPercent: bs.reduce((n, b) => n + b.otherCpuPercent, 0) / bs.length
		});
	}
	const ours = results.get('ours');
	const hp = results.get('hocuspocus');
	const engine = bench.engineName;
	const targets: Target[] =
		ours && hp
			? [
					atMost(`hot plan p50 (${engine})`, ours.lat.p50, hp.lat.p50, 'ms', `≤ HP ${fmtMs(hp.lat.p50)}`),
					atMost(`hot plan p99 (${engine})`, ours.lat.p99, hp.lat.p99, 'ms', `≤ HP ${fmtMs(hp.lat.p99)}`),
					atMost(
						`hot plan server CPU per edit (${engine})`,
						ours.cpuPerEditMs,
						hp.cpuPerEditMs,
						'ms',
						`≤ HP ${fmtMs(hp.cpuPerEditMs)}`
					),
					atMost(
						`hot plan edits lost (${engine})`,
						ours.lat.lost,
						0,
						'count',
						`0 (not seen ${SETTLE_MS / 1000} s after the last edit)`
					)
				]
			: [];
	const title = `Hot plan: ${CLIENTS} clients on one plan, each editing every ${INTERVAL_MS} ms (${(CLIENTS * 1000) / INTERVAL_MS} edits/s) for ${seconds} s per block; ${OBSERVERS} clients apply every edit and take a sample`;
	const lines = [
		table(
			[
				'server',
				'edits',
				'sent in',
				'client lag p99',
				'samples',
				'p50',
				'p99',
				'max',
				`lost (not seen ${SETTLE_MS / 1000} s after)`,
				'server CPU/edit',
				'DB CPU/edit',
				'other CPU'
			],
			kinds.map((k) => {
				const r = results.get(k)!;
				return [
					SERVER_SHORT[k],
					String(r.edits),
					fmtMs(r.sendingMs),
					fmtMs(r.clientLagMs),
					String(r.lat.n),
					fmtMs(r.lat.p50),
					fmtMs(r.lat.p99),
					fmtMs(r.lat.max),
					String(r.lat.lost),
					fmtMs(r.cpuPerEditMs),
					bench.onPostgres ? fmtMs(r.dbCpuPerEditMs) : '–',
					`${r.otherCpuPercent.toFixed(0)} %`
				];
			})
		),
		...kinds
			.filter((k) => results.get(k)!.restarted)
			.map(
				(k) =>
					`   ${SERVER_SHORT[k]} had not worked through its backlog ${DRAIN_MS / 1000} s after its block and was replaced by a fresh process`
			)
	];
	const json = Object.fromEntries(
		[...results].map(([k, r]) => [
			k,
			{
				restarted: r.restarted,
				edits: r.edits,
				sendingMs: r3(r.sendingMs),
				clientLagMs: r3(r.clientLagMs),
				...roundSummary(r.lat),
				cpuPerEditMs: r3(r.cpuPerEditMs),
				dbCpuPerEditMs: r3(r.dbCpuPerEditMs)
			}
		])
	);
	return { title, lines, targets, json };
}
