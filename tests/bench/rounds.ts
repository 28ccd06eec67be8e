/**
 * The edit rounds every latency measurement of the bench is made of: one edit in flight at a time, and one
 * latency sample per receiving client, taken when it has applied the edit. The same code drives every server.
 */
import { getGoal } from '../../src/lib/plan';
import { addBenchGoal, BENCH_GOAL, benchEdit } from './content';
import { mulberry32 } from '../helpers/random';
import { sleep, type BenchClient } from './client';
import type { HostKind } from './rpc';

/** Edits are sequential (one in flight) and start at most this often. */
export const EDIT_INTERVAL_MS = 5;
const ROUND_TIMEOUT_MS = 5000;

interface Round {
	seq: number;
	t0: number;
	pending: Set<BenchClient>;
	samples: number[] | null;
	done(): void;
}
let current: Round | null = null;

/** The first client of each plan creates the bench goal; every client has it before the rounds start. */
export async function prepareGroups(groups: BenchClient[][]): Promise<void> {
	for (const group of groups) addBenchGoal(group[0].doc);
	const deadline = Date.now() + 30_000;
	while (!groups.every((g) => g.every((c) => getGoal(c.doc, BENCH_GOAL)))) {
		if (Date.now() > deadline) throw new Error('the bench goal did not reach every client');
		await sleep(10);
	}
}

/** Every client calls this after applying a remote update: one latency sample per receiver and edit. */
export function onApplied(client: BenchClient): void {
	const r = current;
	if (!r || !r.pending.has(client)) return;
	if (getGoal(client.doc, BENCH_GOAL)?.title !== `#${r.seq}`) return;
	const dt = performance.now() - r.t0;
	r.pending.delete(client);
	r.samples?.push(dt);
	if (r.pending.size === 0) r.done();
}

let nextSeq = 1;
/** BENCH_DEBUG_SLOW=<ms>: rounds slower than this, to match against the server's storage calls. */
export const slowRounds: { kind: HostKind; epoch: number; ms: number; seq: number }[] = [];

/**
 * `rounds` sequential edits: a random plan, a random editor in it makes `benchEdit` (one update); the round
 * ends when every other client of that plan has applied it. A new round starts at most every EDIT_INTERVAL_MS.
 */
export async function runRounds(
	groups: BenchClient[][],
	rounds: number,
	seed: number,
	record: boolean,
	kind: HostKind = 'ours'
): Promise<{ samples: number[]; lost: number; ms: number }> {
	const random = mulberry32(seed);
	const samples: number[] = [];
	let lost = 0;
	const t = performance.now();
	for (let i = 0; i < rounds; i++) {
		const group = groups[Math.floor(random() * groups.length)];
		const editor = group[Math.floor(random() * group.length)];
		const seq = nextSeq++;
		let done!: () => void;
		const finished = new Promise<void>((resolve) => (done = resolve));
		const round: Round = {
			seq,
			t0: 0,
			pending: new Set(group.filter((c) => c !== editor)),
			samples: record ? samples : null,
			done
		};
		current = round;
		round.t0 = performance.now();
		benchEdit(editor.doc, seq);
		let timer!: NodeJS.Timeout;
		await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, ROUND_TIMEOUT_MS)))]);
		clearTimeout(timer);
		if (round.pending.size > 0 && record) lost += round.pending.size;
		if (process.env.BENCH_DEBUG_SLOW && record) {
			const worst = performance.now() - round.t0;
			if (worst > Number(process.env.BENCH_DEBUG_SLOW))
				slowRounds.push({ kind, epoch: performance.timeOrigin + round.t0, ms: worst, seq });
		}
		current = null;
		const wait = round.t0 + EDIT_INTERVAL_MS - performance.now();
		if (wait > 0.5) await sleep(wait);
	}
	return { samples, lost, ms: performance.now() - t };
}
