/**
 * What a hostile member costs everybody else: two honest editors' propagation latency on a plan, first on its
 * own, then while a fuzzer (in a process of its own, `fuzz-process.ts`) sends random, malformed and
 * structurally hostile frames to the same plan from two writers and a reader. The target: under twice normal.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzReport } from '../helpers/collab-fuzz';
import { connectMany, type BenchClient } from './client';
import { profiling, type HostHandle } from './rpc';
import { onApplied, prepareGroups, runRounds } from './rounds';
import type { SeededDoc } from './server-host';
import { summarize, type LatencySummary } from './stats';

export interface FuzzLoad {
	rounds: number;
	normal: LatencySummary;
	duringFuzz: LatencySummary;
	ratioP50: number;
	ratioP99: number;
	fuzz: FuzzReport & { framesPerSecond: number };
}

export async function measureFuzzLoad(
	host: { handle: HostHandle; wsBase: string },
	opts: { rounds: number; seed: number; perSecond: number; track(c: BenchClient[]): BenchClient[] }
): Promise<FuzzLoad> {
	// The server as deployed: every limit at its default (the other scenarios raise the per-account ones).
	await host.handle.call('reset', { flush: true, defaultLimits: true });
	const [plan] = await host.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 4, content: 'demo', readers: 1 });
	const url = host.wsBase + plan.docName;
	const honest = opts.track(await connectMany(plan.cookies.slice(0, 2).map((cookie) => ({ url, cookie, onApplied }))));
	await prepareGroups([honest]);
	await runRounds([honest], 30, 41, false);
	const normal = await runRounds([honest], opts.rounds, 42, true);

	const fuzzArgs = {
		wsBase: host.wsBase.replace(/\/$/, ''),
		docName: plan.docName,
		members: [
			{ cookie: plan.cookies[2], writes: true },
			{ cookie: plan.cookies[3], writes: true },
			{ cookie: plan.readerCookies![0], writes: false }
		],
		seed: opts.seed,
		frames: Number.MAX_SAFE_INTEGER,
		perSecond: opts.perSecond
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
		during = await runRounds([honest], opts.rounds, 43, true);
		if (profiling('ours'))
			process.stderr.write(`profile written: ${await host.handle.call<string>('profStop', { name: 'fuzz' })}\n`);
	} finally {
		child.send('stop');
	}
	const report = await reported;
	const seconds = (performance.now() - started) / 1000;
	for (const c of honest) c.close();
	await host.handle.call('reset', { flush: true });
	const n = summarize(normal.samples, normal.lost);
	const d = summarize(during.samples, during.lost);
	return {
		rounds: opts.rounds,
		normal: n,
		duringFuzz: d,
		ratioP50: d.p50 / n.p50,
		ratioP99: d.p99 / n.p99,
		fuzz: { ...report, framesPerSecond: report.sent / seconds }
	};
}
