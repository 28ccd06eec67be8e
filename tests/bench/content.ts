/**
 * Plan content the bench works on: the demo plan, a long typing history on top of it, and the one goal every
 * edit round and crash trial types into. Every edit goes through the plan model, as the app's pages make them
 * (our server refuses structure the model does not have).
 */
import * as Y from 'yjs';
import { addGoal, getGoal, listGoals, updateGoal } from '../../src/lib/plan';
import { fillDemoPlan } from '../../src/lib/server/seed/demo-plan';
import { mulberry32 } from '../helpers/random';

export async function demoPlanUpdate(): Promise<Uint8Array> {
	const planDoc = new Y.Doc();
	const voiceDoc = new Y.Doc();
	const id = (s: string) => `bench${s}`.padEnd(20, '0');
	fillDemoPlan(
		{ plan: planDoc, crisis: new Y.Doc(), voice: voiceDoc },
		{
			services: {
				nav: id('sa'),
				housing: id('sb'),
				gp: id('sc'),
				dps: id('sd'),
				mental_health: id('se'),
				act: id('sf')
			},
			people: {
				coordinator: id('pa'),
				nav: id('pb'),
				gp: id('pc'),
				dps: id('pd'),
				housing: id('pe'),
				patient: id('pf'),
				sister: id('pg'),
				act: id('ph')
			}
		}
	);
	const update = Y.encodeStateAsUpdate(planDoc);
	planDoc.destroy();
	voiceDoc.destroy();
	return update;
}

/**
 * Types `count` keystrokes into the last paragraph of the first goal's description, as one editor in the
 * browser does it: one update per keystroke into a paragraph's Y.XmlText (as y-prosemirror writes it),
 * ~10 % backspaces, a click elsewhere in the paragraph now and then (no update), a new paragraph every ~800
 * characters. Returns the updates in order.
 */
export async function typeInto(doc: Y.Doc, count: number, random: () => number): Promise<Uint8Array[]> {
	const fragment = listGoals(doc)[0].description!;
	const updates: Uint8Array[] = [];
	const onUpdate = (u: Uint8Array) => updates.push(u);
	doc.on('update', onUpdate);
	const alphabet = 'abcdefghijklmnopqrstuvwxyzæøå      ,.';
	const newParagraph = () => {
		const p = new Y.XmlElement('paragraph');
		const t = new Y.XmlText();
		doc.transact(() => {
			fragment.push([p]);
			p.insert(0, [t]);
		});
		return t;
	};
	const last = fragment.length > 0 ? fragment.get(fragment.length - 1) : null;
	const lastText = last instanceof Y.XmlElement && last.get(0) instanceof Y.XmlText ? (last.get(0) as Y.XmlText) : null;
	let text = lastText ?? newParagraph();
	let cursor = text.length;
	while (updates.length < count) {
		const r = random();
		if (text.length >= 800 && r < 0.002) {
			text = newParagraph();
			cursor = 0;
		} else if (r < 0.1 && cursor > 0) {
			text.delete(cursor - 1, 1);
			cursor--;
		} else if (r < 0.11 && text.length > 0) {
			cursor = Math.floor(random() * (text.length + 1));
		} else {
			text.insert(cursor, alphabet[Math.floor(random() * alphabet.length)]);
			cursor++;
		}
	}
	doc.off('update', onUpdate);
	updates.length = count;
	return updates;
}

/** The demo plan followed by `count` keystrokes of one editor (see `typeInto`). */
export async function typingHistory(
	count: number,
	seed: number
): Promise<{ demo: Uint8Array; updates: Uint8Array[]; doc: Y.Doc }> {
	const demo = await demoPlanUpdate();
	const doc = new Y.Doc();
	doc.clientID = 123456789;
	Y.applyUpdate(doc, demo);
	const updates = await typeInto(doc, count, mulberry32(seed));
	return { demo, updates, doc };
}

/** The goal every round edits. */
export const BENCH_GOAL = 'benchgoal';

/** Creates the bench goal (its description starts with one paragraph) unless the document has it. */
export function addBenchGoal(doc: Y.Doc): void {
	if (getGoal(doc, BENCH_GOAL)) return;
	addGoal(doc, { id: BENCH_GOAL, lifeArea: 'housing', title: '#0', expressedBy: 'staff', description: ['Benk: '] });
}

/** The text of the bench goal's first paragraph (the XmlText y-prosemirror writes into); null without one. */
function benchText(doc: Y.Doc, create: boolean): Y.XmlText | null {
	const paragraph = getGoal(doc, BENCH_GOAL)?.description?.get(0);
	if (!(paragraph instanceof Y.XmlElement)) return null;
	const text = paragraph.get(0);
	if (text instanceof Y.XmlText) return text;
	if (!create) return null;
	const fresh = new Y.XmlText();
	paragraph.insert(0, [fresh]);
	return fresh;
}

/**
 * One round's edit, as a person typing makes it: three characters into the goal's description and the goal's
 * title set to the round number; one transaction, one update of ~30 bytes.
 */
export function benchEdit(doc: Y.Doc, seq: number): void {
	if (!getGoal(doc, BENCH_GOAL)) throw new Error('the bench goal is missing');
	doc.transact(() => {
		const text = benchText(doc, true)!;
		text.insert(text.length, 'abc');
		updateGoal(doc, BENCH_GOAL, { title: `#${seq}` });
	});
}

/** Types `<seq>;` at the end of the bench goal's description: a numbered keystroke whose loss can be counted. */
export function typeMark(doc: Y.Doc, seq: number): void {
	const text = benchText(doc, true);
	if (!text) throw new Error('the bench goal is missing');
	text.insert(text.length, `${seq};`);
}

/** The numbered keystrokes (`typeMark`) a document holds. */
export function marksIn(doc: Y.Doc): Set<number> {
	const text = benchText(doc, false)?.toString() ?? '';
	return new Set([...text.matchAll(/(\d+);/g)].map((m) => Number(m[1])));
}
