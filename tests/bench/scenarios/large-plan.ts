/**
 * The plan with a long history that the open and history parts share, built once per run in our server's
 * database: the demo plan (one update) followed by 100,000 keystrokes of one editor typing into the first goal's
 * description (one update per keystroke into a paragraph's Y.XmlText as y-prosemirror writes it, ~10 %
 * backspaces, a new paragraph every ~800 characters), all attributed to that editor, in multi-row inserts.
 */
import type { Bench } from '../context';

export const HISTORY_UPDATES = 100_000;

export interface LargePlan {
	docName: string;
	planId: string;
	cookie: string;
	userId: string;
	rows: number;
	updateBytesTotal: number;
	generateMs: number;
	insertMs: number;
	/** Plain Yjs, for context: every update applied to a fresh Y.Doc in one transaction, and without. */
	applyTxMs: number;
	applyNoTxMs: number;
	encodeStateMs: number;
	stateBytes: number;
	applySnapshotMs: number;
}

const built = new WeakMap<Bench, Promise<LargePlan>>();

export function largePlan(bench: Bench): Promise<LargePlan> {
	let plan = built.get(bench);
	if (!plan) {
		bench.progress(`writing a plan with ${HISTORY_UPDATES.toLocaleString('en')} stored updates`);
		plan = bench
			.server('ours')
			.handle.call<LargePlan>('history', { count: HISTORY_UPDATES, seed: 7, chunk: 5000, quick: bench.quick }, 600_000);
		built.set(bench, plan);
	}
	return plan;
}
