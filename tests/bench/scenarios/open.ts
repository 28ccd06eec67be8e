/**
 * Opening the plan with 100,000 stored updates (`large-plan.ts`), ours only (the peers store one state per
 * document, so for them every open is a snapshot open):
 *   - FIRST open: a new collab server instance, one client; no snapshot yet, so the server reads every row (it
 *     then saves a snapshot from what it loaded). Time = socket created → sync step 2 arrives.
 *   - later cold opens: 50 more keystrokes appended straight to `doc_updates` (a short tail), then several times a
 *     new server instance and one client: the design's "one read plus a short tail". Target ≤ 150 ms.
 *   - the same path for an empty plan (the fixed cost: handshake, session, access, audit, load);
 *   - two editors typing into that plan, on ours and on the relay (whose clients bring the state).
 * "A new server instance": nothing of the document is in memory, but the process, its JIT and the database's
 * own cache are warm (PGlite `memory://` cannot survive a process restart).
 */
import * as Y from 'yjs';
import { BenchClient, connectMany, sleep, withTimeout } from '../client';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc } from '../hosts/common';
import type { StoreEvent } from '../hosts/ours';
import { profiling } from '../rpc';
import { onApplied, prepareGroups, runRounds } from '../rounds';
import { fmtKiB, fmtMs, median, r3, roundSummary, summarize, table } from '../stats';
import { atMost, type Section } from '../targets';
import { largePlan } from './large-plan';

const TAIL_UPDATES = 50;
const COLD_OPEN_MS = 150;

/** One client: from creating the socket to the arrival of sync step 2 (the whole document), and to having applied it. */
async function timedOpen(bench: Bench, host: HostInfo, docName: string, cookie: string) {
	const client = bench.track([new BenchClient(bench.spec(host, docName, cookie))])[0];
	const at = await withTimeout(client.synced, 120_000, 'cold open');
	return {
		ms: client.step2ReceivedAt - client.startedAt,
		appliedMs: at - client.startedAt,
		startEpoch: performance.timeOrigin + client.startedAt,
		client
	};
}

async function coldOpens(bench: Bench, ours: HostInfo, docName: string, cookie: string, repeats: number) {
	const opens: { ms: number; appliedMs: number; loadMs: number; rows: number }[] = [];
	for (let i = 0; i < repeats; i++) {
		await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
		const { ms, appliedMs, client } = await timedOpen(bench, ours, docName, cookie);
		bench.closeAll([client]);
		await bench.waitConnections(ours, 0);
		const load = (await ours.handle.call<StoreEvent[]>('events', { doc: docName })).find((e) => e.op === 'load');
		opens.push({ ms, appliedMs, loadMs: load?.ms ?? NaN, rows: load?.rows ?? -1 });
	}
	return opens;
}

/** Two editors typing into the large plan on ours and on the relay: the same rounds as the propagation part. */
async function editLargePlan(bench: Bench, docName: string, cookie: string) {
	const ours = bench.server('ours');
	const relay = bench.server('relay');
	const rounds = bench.quick ? 300 : 1000;
	bench.progress(`open: editing the large plan (${rounds} edits per server)`);
	await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
	const oc = bench.track(
		await connectMany(
			[0, 1].map(() => bench.spec(ours, docName, cookie, { onApplied })),
			{ timeoutMs: 60_000 }
		)
	);
	await prepareGroups([oc]);
	const initialUpdate = Y.encodeStateAsUpdate(oc[0].doc);
	const [relayDoc] = await relay.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 2, content: 'empty' });
	const rc = bench.track(
		await connectMany(
			[0, 1].map(() => bench.spec(relay, relayDoc.docName, undefined, { initialUpdate, onApplied })),
			{ timeoutMs: 60_000 }
		)
	);
	await runRounds([oc], 30, 31, false);
	await runRounds([rc], 30, 32, false);
	await bench.waitQuiet();
	await ours.handle.call('eldStart');
	const o = await runRounds([oc], rounds, 33, true);
	const eld = await ours.handle.call<{ maxMs: number }>('eldStop');
	await bench.waitQuiet();
	const r = await runRounds([rc], rounds, 34, true, 'relay');
	const events = await ours.handle.call<StoreEvent[]>('events', { doc: docName });
	bench.closeAll([...oc, ...rc]);
	await bench.waitConnections(ours, 0);
	await bench.waitConnections(relay, 0);
	return {
		rounds,
		stateBytes: initialUpdate.byteLength,
		ours: summarize(o.samples, o.lost),
		relay: summarize(r.samples, r.lost),
		compactions: events.filter((e) => e.op === 'saveSnapshot').length,
		saveSnapshotMedianMs: median(events.filter((e) => e.op === 'saveSnapshot').map((e) => e.ms)),
		serverEventLoopMaxDelayMs: eld.maxMs
	};
}

export async function open(bench: Bench): Promise<Section> {
	const ours = bench.server('ours');
	const h = await largePlan(bench);
	const repeats = bench.quick ? 5 : 15;

	// Baseline: the same path for a plan with nothing stored.
	const [empty] = await ours.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 1, content: 'empty' });
	await coldOpens(bench, ours, empty.docName, empty.cookies[0], 3); // warm the path
	const emptyOpens = await coldOpens(bench, ours, empty.docName, empty.cookies[0], repeats);

	bench.progress('open: first open (no snapshot)');
	await ours.handle.call('reset', { flush: false, idleUnloadMs: 3_600_000 });
	await bench.waitQuiet();
	await ours.handle.call('eldStart');
	await ours.handle.call('trackSends', { on: true });
	if (profiling('ours')) await ours.handle.call('profStart');
	const first = await timedOpen(bench, ours, h.docName, h.cookie);
	// The server saves a snapshot of what it loaded once the first replies are out: wait for it.
	let snap = await ours.handle.call<{ throughId: number; maxId: number; bytes: number }>('snapshot', {
		docName: h.docName
	});
	const deadline = Date.now() + 300_000;
	while (snap.throughId < snap.maxId && Date.now() < deadline) {
		await sleep(20);
		snap = await ours.handle.call('snapshot', { docName: h.docName });
	}
	const eld = await ours.handle.call<{ maxMs: number }>('eldStop');
	if (profiling('ours'))
		bench.progress(`profile written: ${await ours.handle.call<string>('profStop', { name: 'first-open' })}`);
	const firstEvents = await ours.handle.call<StoreEvent[]>('events', { doc: h.docName });
	await ours.handle.call('trackSends', { on: false });
	bench.closeAll([first.client]);
	await bench.waitConnections(ours, 0);
	const firstLoad = firstEvents.find((e) => e.op === 'load');
	const timeline: [string, number][] = [];
	for (const e of firstEvents) {
		const at = e.startedAt - first.startEpoch;
		if (e.op === 'bigSend') timeline.push([`server: ws.send(${e.rows} bytes) (step 2)`, at]);
		else
			timeline.push(
				[`server: ${e.op} starts`, at],
				[`server: ${e.op} ends${e.rows !== undefined ? ` (${e.rows} rows)` : ''}`, at + e.ms]
			);
	}
	timeline.push(['client: sync step 2 arrives', first.ms], ['client: sync step 2 applied', first.appliedMs]);
	timeline.sort((a, b) => a[1] - b[1]);

	bench.progress('open: later cold opens (snapshot + tail)');
	const tail = await ours.handle.call<{ rows: number }>('appendTail', {
		docName: h.docName,
		userId: h.userId,
		count: TAIL_UPDATES,
		seed: 11
	});
	await bench.waitQuiet();
	const later = await coldOpens(bench, ours, h.docName, h.cookie, repeats);
	const laterMs = median(later.map((o) => o.ms));

	const big = await editLargePlan(bench, h.docName, h.cookie);
	await ours.handle.call('reset', { flush: true });
	await bench.server('relay').handle.call('reset', {});

	const targets = [
		atMost(
			`cold open with a snapshot (100k stored updates + ${tail.rows} tail), median (${bench.engineName})`,
			laterMs,
			COLD_OPEN_MS,
			'ms',
			`≤ ${COLD_OPEN_MS} ms`
		)
	];
	const title = `Opening a plan with ${h.rows.toLocaleString('en')} stored updates (${ours.engine}; ${(h.updateBytesTotal / 1024 / 1024).toFixed(1)} MB of updates → ${fmtKiB(h.stateBytes)} state)`;
	const lines = [
		table(
			['what', 'time', 'detail'],
			[
				[
					`cold open with a snapshot + ${tail.rows} tail, median of ${later.length}`,
					fmtMs(laterMs),
					`min ${fmtMs(Math.min(...later.map((o) => o.ms)))}, max ${fmtMs(Math.max(...later.map((o) => o.ms)))}, server load() ${fmtMs(median(later.map((o) => o.loadMs)))}; client applied at ${fmtMs(median(later.map((o) => o.appliedMs)))}`
				],
				[
					'FIRST open (no snapshot: reads + applies every row)',
					fmtMs(first.ms),
					`server load() ${fmtMs(firstLoad?.ms ?? NaN)} for ${firstLoad?.rows ?? '?'} rows; snapshot ${fmtKiB(snap.bytes)} saved after; event loop blocked up to ${fmtMs(eld.maxMs)}`
				],
				['cold open of an empty plan (fixed cost), median', fmtMs(median(emptyOpens.map((o) => o.ms))), ''],
				['context: apply all updates to a Y.Doc (one transaction / none)', fmtMs(h.applyTxMs), fmtMs(h.applyNoTxMs)],
				['context: apply the final state / encode it', fmtMs(h.applySnapshotMs), fmtMs(h.encodeStateMs)]
			]
		),
		'',
		'   first open, timeline (ms after the client created its socket):',
		...timeline.map(([what, t]) => `   ${fmtMs(t).padStart(9)}  ${what}`),
		'',
		`   editing that plan: 2 editors, ${big.rounds} sequential edits per server; ours compacted ${big.compactions}× (save median ${fmtMs(big.saveSnapshotMedianMs)}), its event loop blocked up to ${fmtMs(big.serverEventLoopMaxDelayMs)}`,
		table(
			['   server', 'p50', 'p99', 'max'],
			[
				['   ours', fmtMs(big.ours.p50), fmtMs(big.ours.p99), fmtMs(big.ours.max)],
				['   relay', fmtMs(big.relay.p50), fmtMs(big.relay.p99), fmtMs(big.relay.max)]
			]
		)
	];
	const json = {
		updates: h.rows,
		stateBytes: h.stateBytes,
		laterColdOpen: { tailUpdates: tail.rows, medianMs: r3(laterMs), opens: later.map((o) => r3(o.ms)) },
		firstOpenMs: r3(first.ms),
		firstOpenAppliedMs: r3(first.appliedMs),
		firstOpenTimeline: timeline.map(([what, ms]) => ({ what, ms: r3(ms) })),
		emptyPlanColdOpenMedianMs: r3(median(emptyOpens.map((o) => o.ms))),
		editingLargePlan: { ...big, ours: roundSummary(big.ours), relay: roundSummary(big.relay) },
		applyAllToYDocMs: r3(h.applyTxMs),
		insertMs: r3(h.insertMs)
	};
	return { title, lines, targets, json };
}
