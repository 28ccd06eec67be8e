/**
 * `npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [--top=25] [--filter=substring] [--stalls=3]`
 *
 * Summarises a V8 CPU profile (from `node --cpu-prof`, e.g. `BENCH_HOST_PROF=ours npm run bench`):
 * self time per function and per file, and the total (self + callees) time of the functions whose
 * file or name contains `--filter`; with `--stalls=n`, the n longest stretches without an idle sample
 * (the event loop was blocked) and what ran in each, by self time and by the outermost project frames.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
	console.error('usage: profile-summary.ts <file.cpuprofile> [--top=25] [--filter=substring]');
	process.exit(2);
}
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const filter = args.find((a) => a.startsWith('--filter='))?.slice(9);
const stalls = Number(args.find((a) => a.startsWith('--stalls='))?.slice(9) ?? 0);

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
	const id = profile.samples[i];
	selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = profile.endTime - profile.startTime;

/** Paths relative to the checkout the profile was taken in (the working directory). */
const root = process.cwd() + '/';
const shortUrl = (u: string) =>
	u
		.replace(/^file:\/\//, '')
		.replace(/^.*\/node_modules\//, 'node_modules/')
		.replace(root, '');
const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;

/** A file's module: its npm package, its folder in the project, Node's own code, or V8 (GC, idle, native). */
const moduleOf = (fileKey: string) => {
	const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(fileKey);
	if (pkg) return pkg[1];
	if (fileKey.startsWith('node:') || fileKey.startsWith('(')) return fileKey.split('/')[0];
	if (fileKey.startsWith('wasm://')) return 'wasm (PGlite)';
	return fileKey.split('/').slice(0, -1).join('/') || fileKey;
};

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const selfByModule = new Map<string, number>();
for (const [id, us] of selfUs) {
	const f = byId.get(id)!.callFrame;
	selfByFn.set(key(f), (selfByFn.get(key(f)) ?? 0) + us);
	const fileKey = f.url ? shortUrl(f.url) : `(${f.functionName || 'native'})`;
	selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + us);
	selfByModule.set(moduleOf(fileKey), (selfByModule.get(moduleOf(fileKey)) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(1).padStart(9)} ms`;
const print = (title: string, m: Map<string, number>) => {
	console.log(`\n${title}`);
	for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ${pct(us)}  ${k}`);
};

console.log(`profile ${file}: ${(totalUs / 1000).toFixed(0)} ms wall, ${profile.samples.length} samples`);
print('self time by function', selfByFn);
print('self time by file', selfByFile);
print('self time by module (npm package, project folder, node internals, V8)', selfByModule);

if (filter) {
	// Inclusive time: a sample counts once for every distinct matching function on its stack.
	const incl = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const f = byId.get(cur)!.callFrame;
			const k = key(f);
			if (!seen.has(k) && (f.url.includes(filter) || f.functionName.includes(filter))) {
				seen.add(k);
				incl.set(k, (incl.get(k) ?? 0) + us);
			}
		}
	}
	print(`total (self + callees) of functions matching "${filter}"`, incl);
}

if (stalls > 0) {
	// Busy stretches: consecutive samples none of which is idle.
	const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
	const runs: { start: number; end: number; us: number }[] = [];
	let start = -1;
	let us = 0;
	for (let i = 0; i <= profile.samples.length; i++) {
		const idle = i === profile.samples.length || isIdle(profile.samples[i]);
		if (!idle) {
			if (start < 0) {
				start = i;
				us = 0;
			}
			us += profile.timeDeltas[i] ?? 0;
		} else if (start >= 0) {
			runs.push({ start, end: i, us });
			start = -1;
		}
	}
	runs.sort((a, b) => b.us - a.us);
	for (const run of runs.slice(0, stalls)) {
		const self = new Map<string, number>();
		const outer = new Map<string, number>();
		for (let i = run.start; i < run.end; i++) {
			const id = profile.samples[i];
			const d = profile.timeDeltas[i] ?? 0;
			const k = key(byId.get(id)!.callFrame);
			self.set(k, (self.get(k) ?? 0) + d);
			// The outermost frame from the project's own code (src/), or else from node_modules.
			let own: string | null = null;
			let lib: string | null = null;
			for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
				const f = byId.get(cur)!.callFrame;
				if (f.url.includes('/src/lib/')) own = key(f);
				else if (f.url.includes('node_modules') && !lib) lib = key(f);
			}
			const o = own ?? lib ?? k;
			outer.set(o, (outer.get(o) ?? 0) + d);
		}
		console.log(`\nbusy stretch of ${(run.us / 1000).toFixed(1)} ms (samples ${run.start}–${run.end})`);
		for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  self ${ms(t)}  ${k}`);
		for (const [k, t] of [...outer].sort((a, b) => b[1] - a[1]).slice(0, 4)) console.log(`  under ${ms(t)}  ${k}`);
	}
}
