/**
 * `npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [--top=25] [--filter=substring]`
 *
 * Summarises a V8 CPU profile (from `node --cpu-prof`, e.g. `BENCH_HOST_PROF=ours npm run bench`):
 * self time per function and per file, and the total (self + callees) time of the functions whose
 * file or name contains `--filter`.
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

const shortUrl = (u: string) => u.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/work\/main\//, '');
const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
for (const [id, us] of selfUs) {
	const f = byId.get(id)!.callFrame;
	selfByFn.set(key(f), (selfByFn.get(key(f)) ?? 0) + us);
	const fileKey = f.url ? shortUrl(f.url) : `(${f.functionName || 'native'})`;
	selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + us);
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
