/**
 * What the update gate costs per update: `checkUpdate` (inspect without applying, check the structure, then the
 * fields and the sender's rights) for the updates people actually send, on the demo plan and on a large plan, against `Y.applyUpdate` of the
 * same update (which the server does anyway). In process, no sockets: the gate's own CPU time.
 */
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/server/collab/gate';
import { checkFields } from '../../../src/lib/server/collab/gate/fields';
import { inspectUpdate } from '../../../src/lib/server/collab/gate/inspect';
import type { Actor } from '../../../src/lib/plan/rights';
import {
	addGoal,
	addMeasure,
	getGoal,
	listAllMeasures,
	listGoals,
	removeMeasure,
	updateMeasure
} from '../../../src/lib/plan';
import type { Bench } from '../context';
import { demoPlanUpdate, typingHistory } from '../content';
import { fmtKiB, median, r3, table } from '../stats';
import type { Section } from '../targets';

export interface GateCost {
	plan: string;
	stateBytes: number;
	update: string;
	updateBytes: number;
	/** Median µs per `checkUpdate` (rights checks on). */
	checkUs: number;
	/** Median µs of that spent on the fields and rights (`checkFields`, given the inspection). */
	rightsUs: number;
	/** Median µs per `Y.applyUpdate` of the same update on a copy of the plan. */
	applyUs: number;
}

/** The update a change makes to a copy of `doc`, as the editing client sends it (its transaction's update). */
function updateOf(doc: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	let update: Uint8Array | null = null;
	copy.on('update', (u: Uint8Array) => (update = u));
	copy.transact(() => change(copy));
	if (!update) throw new Error('the change made no update');
	return update;
}

function timeUs(reps: number, f: () => void): number {
	for (let i = 0; i < Math.min(50, reps); i++) f();
	const t: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t0 = performance.now();
		f();
		t.push((performance.now() - t0) * 1000);
	}
	return median(t);
}

/** The coordinator may make every one of the changes below, so each is checked all the way through. */
const COORDINATOR: Actor = { userId: 'bench-coordinator', roles: new Set(['coordinator']), serviceIds: new Set() };

async function measureGateCost(quick: boolean): Promise<GateCost[]> {
	const reps = quick ? 300 : 2000;
	const demo = new Y.Doc();
	Y.applyUpdate(demo, await demoPlanUpdate());
	const large = (await typingHistory(quick ? 20_000 : 100_000, 7)).doc;
	const out: GateCost[] = [];
	for (const [plan, doc] of [
		['demo plan', demo],
		['large plan (typing history)', large]
	] as const) {
		const goal = listGoals(doc)[0];
		const measure = listAllMeasures(doc)[0];
		const cases: Array<[string, Uint8Array]> = [
			[
				'keystroke (3 characters into a description)',
				updateOf(doc, (d) => {
					const fragment = getGoal(d, goal.id)!.description!;
					const p = fragment.get(0) as Y.XmlElement;
					(p.get(0) as Y.XmlText).insert(0, 'abc');
				})
			],
			[
				'change a measure (status and reason)',
				updateOf(doc, (d) => updateMeasure(d, measure.id, { status: 'on_hold', statusReason: 'Venter på vedtak' }))
			],
			[
				'add a goal with a measure',
				updateOf(doc, (d) =>
					addMeasure(d, {
						goalId: addGoal(d, {
							lifeArea: 'leisure',
							title: 'Gå tur',
							expressedBy: 'patient',
							description: ['Hver dag']
						}),
						title: 'Turgruppe'
					})
				)
			],
			['delete a measure', updateOf(doc, (d) => removeMeasure(d, measure.id))],
			[
				'paste 5,000 characters',
				updateOf(doc, (d) => {
					const p = getGoal(d, goal.id)!.description!.get(0) as Y.XmlElement;
					(p.get(0) as Y.XmlText).insert(0, 'Lorem ipsum '.repeat(417));
				})
			]
		];
		for (const [name, update] of cases) {
			const verdict = checkUpdate(doc, 'plan', update, COORDINATOR);
			if (verdict.kind !== 'accept')
				throw new Error(`the gate refused an honest update (${name}): ${JSON.stringify(verdict)}`);
			const checkUs = timeUs(reps, () => checkUpdate(doc, 'plan', update, COORDINATOR));
			const inspection = inspectUpdate(doc, update);
			if (inspection.kind !== 'ok') throw new Error(`inspection failed (${name})`);
			const rightsUs = timeUs(reps, () => checkFields(doc, 'plan', inspection, COORDINATOR));
			// Applying changes the document, so each repetition applies to a fresh copy (the copy is not timed).
			const base = Y.encodeStateAsUpdate(doc);
			const applyTimes: number[] = [];
			for (let i = 0; i < Math.min(reps, 100); i++) {
				const copy = new Y.Doc();
				Y.applyUpdate(copy, base);
				const t0 = performance.now();
				Y.applyUpdate(copy, update);
				applyTimes.push((performance.now() - t0) * 1000);
				copy.destroy();
			}
			out.push({
				plan,
				stateBytes: Y.encodeStateAsUpdate(doc).byteLength,
				update: name,
				updateBytes: update.byteLength,
				checkUs,
				rightsUs,
				applyUs: median(applyTimes)
			});
		}
	}
	return out;
}

export async function gate(bench: Bench): Promise<Section> {
	bench.progress('gate: checking time per update');
	const costs = await measureGateCost(bench.quick);
	const title = 'The update gate: CPU per update (median µs), in process; applying it is what every server does anyway';
	const lines = [
		table(
			['plan', 'update', 'bytes', 'check', 'of which rights', 'apply', 'check/apply'],
			costs.map((g) => [
				`${g.plan} (${fmtKiB(g.stateBytes)})`,
				g.update,
				String(g.updateBytes),
				`${g.checkUs.toFixed(1)} µs`,
				`${g.rightsUs.toFixed(1)} µs`,
				`${g.applyUs.toFixed(1)} µs`,
				(g.checkUs / g.applyUs).toFixed(2)
			])
		)
	];
	const json = costs.map((g) => ({ ...g, checkUs: r3(g.checkUs), rightsUs: r3(g.rightsUs), applyUs: r3(g.applyUs) }));
	return { title, lines, targets: [], json };
}
