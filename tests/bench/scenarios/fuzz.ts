/**
 * What a hostile member costs everybody else: two honest editors' propagation latency on a plan, first on its
 * own, then while a fuzzer (in a process of its own, `fuzz-process.ts`) sends random, malformed and
 * structurally hostile frames to the same plan from two writers and a reader. Ours only: the peers have no gate
 * to attack. Target: the honest editors' p50 and p99 under twice normal.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzReport } from '../../helpers/collab-fuzz';
import { connectMany } from '../client';
import type { Bench } from '../context';
import type { SeededDoc } from '../hosts/common';
import { profiling } from '../rpc';
import { onApplied, prepareGroups, runRounds } from '../rounds';
import { fmtMs, r3, roundSummary, summarize, table } from '../stats';
import { atMost, type Section } from '../targets';

const FRAMES_PER_SECOND = 1000;
const SEED = 20261122;
const TARGET = 2;

export async function fuzz(bench: Bench): Promise<Section> {
	const rounds = bench.quick ? 300 : 1000;
	bench.progress(
		`fuzz: 2 honest editors, ${rounds} rounds alone and ${rounds} under ${FRAMES_PER_SECOND} hostile frames/s`
	);
	const host = bench.server('ours');
	// The server as deployed: every limit at its default (the other parts raise the per-account ones).
	await host.handle.call('reset', { flush: true, defaultLimits: true });
	const [plan] = await host.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 4, content: 'demo', readers: 1 });
	const honest = bench.track(
		await connectMany(plan.cookies.slice(0, 2).map((cookie) => bench.spec(host, plan.docName, cookie, { onApplied })))
	);
	await prepareGroups([honest]);
	await runRounds([honest], 30, 41, false);
	await bench.waitQuiet();
	const normal = await runRounds([honest], rounds, 42, true);

	const fuzzArgs = {
		wsBase: host.wsBase.replace(/\/$/, ''),
		docName: plan.docName,
		members: [
			{ cookie: plan.cookies[2], writes: true },
			{ cookie: plan.cookies[3], writes: true },
			{ cookie: plan.readerCookies![0], writes: false }
		],
		seed: SEED,
		frames: Number.MAX_SAFE_INTEGER,
		perSecond: FRAMES_PER_SECOND
	};
	const child = fork(fileURLToPath(new URL('./fuzz-process.ts', import.meta.url)), [JSON.stringify(fuzzArgs)], {
		execArgv: process.execArgv,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const reported = new Promise<FuzzReport>((resolve, reject) => {
		child.once('message', (m) => resolve(m as FuzzReport));
		child.once('exit', (code) => reject(new Error(`fuzzer exited (${code}) before reporting`)));
	});
	reported.catch(() => {});
	const started = performance.now();
	let during;
	try {
		// Let the fuzzer get going before the honest rounds are measured.
		await new Promise((r) => setTimeout(r, 500));
		if (profiling('ours')) await host.handle.call('profStart');
		during = await runRounds([honest], rounds, 43, true);
		if (profiling('ours'))
			bench.progress(`profile written: ${await host.handle.call<string>('profStop', { name: 'fuzz' })}`);
	} finally {
		child.send('stop');
	}
	const report = await reported;
	const seconds = (performance.now() - started) / 1000;
	bench.closeAll(honest);
	await host.handle.call('reset', { flush: true });
	await host.handle.call('errors'); // the fuzz's refusals are expected warnings
	const n = summarize(normal.samples, normal.lost);
	const d = summarize(during.samples, during.lost);
	const framesPerSecond = report.sent / seconds;
	const engine = bench.engineName;
	const targets = [
		atMost(`honest p50 during a fuzz / without (${engine})`, d.p50 / n.p50, TARGET, 'ratio', `≤ ${TARGET}`),
		atMost(`honest p99 during a fuzz / without (${engine})`, d.p99 / n.p99, TARGET, 'ratio', `≤ ${TARGET}`)
	];
	const title = `A hostile member: 2 honest editors on a plan, ${rounds} edits alone, then ${rounds} while a fuzzer (own process) sends ${framesPerSecond.toFixed(0)} frames/s to the same plan (ours only)`;
	const lines = [
		table(
			['', 'p50', 'p90', 'p99', 'max', 'lost'],
			(
				[
					['alone', n],
					['during the fuzz', d]
				] as const
			).map(([name, l]) => [name, fmtMs(l.p50), fmtMs(l.p90), fmtMs(l.p99), fmtMs(l.max), String(l.lost)])
		),
		`   fuzz: ${report.sent} frames over ${report.connections} connections; server closed them with ${Object.entries(
			report.closes
		)
			.map(([c, k]) => `${c}×${k}`)
			.join(', ')}`
	];
	return {
		title,
		lines,
		targets,
		json: {
			rounds,
			normal: roundSummary(n),
			duringFuzz: roundSummary(d),
			ratioP50: r3(d.p50 / n.p50),
			ratioP99: r3(d.p99 / n.p99),
			framesPerSecond: r3(framesPerSecond),
			frames: report.sent,
			connections: report.connections,
			closes: report.closes,
			seed: SEED
		}
	};
}
