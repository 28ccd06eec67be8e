/**
 * `kill -9`: one person types a numbered keystroke every 20 ms while another watches; at a random moment within
 * Hocuspocus's longest store delay (1–12 s) the server is killed with SIGKILL. Restarted on the same storage, it
 * says what it stored; every keystroke the watcher had seen and the store lacks is an edit another person saw,
 * lost. Each server on storage that survives its process: PostgreSQL, or PGlite in a data folder (PGlite in
 * memory dies with the process). Target: ours loses none, in every trial.
 */
import { connectMany, sleep } from '../client';
import { addBenchGoal, BENCH_GOAL, marksIn, typeMark } from '../content';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc } from '../hosts/common';
import { mulberry32 } from '../../helpers/random';
import { getGoal } from '../../../src/lib/plan';
import { SERVER_KINDS, SERVER_SHORT, type HostKind } from '../rpc';
import { table } from '../stats';
import { atMost, type Section } from '../targets';

const TYPE_EVERY_MS = 20;
const KILL_WINDOW_MS = [1000, 12_000] as const;

interface Trial {
	typed: number;
	seen: number;
	stored: number;
	/** Seen by the watcher, missing from the store after the crash. */
	lost: number;
	killedAfterMs: number;
}

/** Types until the kill; returns what the watcher had seen by then. */
async function trial(bench: Bench, host: HostInfo, killAfterMs: number) {
	const [doc] = await host.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 2, content: 'empty' });
	const [writer, watcher] = bench.track(
		await connectMany(doc.cookies.map((cookie) => bench.spec(host, doc.docName, cookie)))
	);
	addBenchGoal(writer.doc);
	while (!getGoal(watcher.doc, BENCH_GOAL)) await sleep(5);
	let seq = 0;
	const typing = setInterval(() => typeMark(writer.doc, ++seq), TYPE_EVERY_MS);
	await sleep(killAfterMs);
	await bench.kill(host);
	clearInterval(typing);
	const seen = marksIn(watcher.doc);
	for (const c of [writer, watcher]) c.terminate();
	return { typed: seq, seen, docName: doc.docName };
}

export async function crash(bench: Bench): Promise<Section> {
	const trials = bench.quick ? 2 : 4;
	const results = new Map<HostKind, Trial[]>();
	const random = mulberry32(20261209);
	const killTimes = Array.from(
		{ length: trials },
		() => KILL_WINDOW_MS[0] + random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0])
	);
	let engine = '';
	for (const kind of SERVER_KINDS) {
		const storage = await bench.storage({ survivesKill: true });
		let host = await bench.launch(kind, storage);
		engine = kind === 'relay' ? engine : host.engine;
		const list: Trial[] = [];
		for (const [i, after] of killTimes.entries()) {
			bench.progress(
				`crash: ${kind}, trial ${i + 1}/${trials}, kill -9 after ${(after / 1000).toFixed(1)} s of typing`
			);
			const { typed, seen, docName } = await trial(bench, host, after);
			// The same storage, a new process: what survived?
			host = await bench.launch(kind, storage);
			const stored = new Set(await host.handle.call<number[]>('storedMarks', { docName }));
			list.push({
				typed,
				seen: seen.size,
				stored: stored.size,
				lost: [...seen].filter((m) => !stored.has(m)).length,
				killedAfterMs: after
			});
		}
		await bench.stop(host);
		results.set(kind, list);
	}
	const ours = results.get('ours') ?? [];
	const worst = ours.length ? Math.max(...ours.map((t) => t.lost)) : NaN;
	const targets = [
		atMost(
			`edits another person saw, lost at kill -9, worst of ${trials} trials (${bench.engineName})`,
			worst,
			0,
			'count',
			'0'
		)
	];
	const title = `Crash: kill -9 while one person types every ${TYPE_EVERY_MS} ms and another watches (${engine}); ${trials} trials per server, killed after ${killTimes.map((t) => (t / 1000).toFixed(1)).join(' / ')} s`;
	const lines = [
		table(
			['server', 'typed', 'seen by the watcher', 'stored after restart', 'seen, then lost'],
			SERVER_KINDS.map((k) => {
				const ts = results.get(k)!;
				return [
					SERVER_SHORT[k],
					ts.map((t) => t.typed).join(' / '),
					ts.map((t) => t.seen).join(' / '),
					ts.map((t) => t.stored).join(' / '),
					ts.map((t) => t.lost).join(' / ')
				];
			})
		)
	];
	return { title, lines, targets, json: { engine, killAfterMs: killTimes, trials: Object.fromEntries(results) } };
}
