import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/server/collab/gate';
import { inspectUpdate, PATH_KEYS, type Touch } from '../../../src/lib/server/collab/gate/inspect';
import { fillDemoPlan } from '../../../src/lib/server/seed/demo-plan';
import { addGoal, addMeasure, getWhatHelps, LIFE_AREAS, listAllMeasures, listGoals, removeGoal, removeMeasure, ROOT, updateGoal, updateMeasure } from '../../../src/lib/plan';
import { mulberry32 } from '../../helpers/random';

/** Where an applied item really is, walked up through its parents (the ground truth for the inspector). */
function realTouch(item: Y.Item): { root: string; path: string[]; depth: number; key: string | null } {
	const path: string[] = [];
	let type = item.parent as Y.AbstractType<unknown>;
	let depth = 1;
	while (type._item) {
		path.unshift(type._item.parentSub ?? '*');
		type = type._item.parent as Y.AbstractType<unknown>;
		depth++;
	}
	let root = '';
	for (const [name, t] of type.doc!.share) if (t === type) root = name;
	return { root, path: path.slice(0, PATH_KEYS), depth, key: item.parentSub };
}

const flat = (t: Touch) => ({ root: t.parent.root, path: [...t.parent.path], depth: t.parent.depth, key: t.key });

function deepMap(levels: number): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		let m = new Y.Map<unknown>();
		doc.getMap(ROOT.goals).set('deep', m);
		for (let i = 0; i < levels; i++) {
			const next = new Y.Map<unknown>();
			m.set('x', next);
			m = next;
		}
	});
	return doc;
}

describe('update gate: inspection', () => {
	it('locates every insert and delete of random model edits exactly where Yjs puts them', () => {
		const rng = mulberry32(20261122);
		const server = new Y.Doc();
		const client = new Y.Doc();
		fillDemoPlan({ plan: client, crisis: new Y.Doc(), voice: new Y.Doc() }, {
			services: { nav: 's1', housing: 's2', gp: 's3', dps: 's4', mental_health: 's5', act: 's6' },
			people: { coordinator: 'u1', nav: 'u2', gp: 'u3', dps: 'u4', housing: 'u5', patient: 'u6', sister: 'u7' }
		});
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		let checked = 0;
		for (let round = 0; round < 300; round++) {
			const before = Y.encodeStateVector(client);
			const goals = listGoals(client);
			const goal = goals[Math.floor(rng() * goals.length)];
			const measures = listAllMeasures(client);
			const measure = measures[Math.floor(rng() * measures.length)];
			const r = rng();
			if (r < 0.15 || !goal) addGoal(client, { lifeArea: LIFE_AREAS[Math.floor(rng() * 8)], title: `mål ${round}`, expressedBy: 'staff' });
			else if (r < 0.3) updateGoal(client, goal.id, { title: `endret ${round}` });
			else if (r < 0.45) addMeasure(client, { goalId: goal.id, title: `tiltak ${round}` });
			else if (r < 0.55 && measure) updateMeasure(client, measure.id, { title: `t ${round}`, dueDate: '2027-01-01' });
			else if (r < 0.6 && measure) removeMeasure(client, measure.id);
			else if (r < 0.63) removeGoal(client, goal.id);
			else {
				// Typing into rich text, as the editor binding does: paragraphs, text, deletions, formatting.
				const fragment = goal.description ?? getWhatHelps(client);
				client.transact(() => {
					let p = fragment.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement);
					if (!p || rng() < 0.2) {
						p = new Y.XmlElement('paragraph');
						p.insert(0, [new Y.XmlText('')]);
						fragment.insert(0, [p]);
					}
					const text = p.get(0) as Y.XmlText;
					if (text.length > 3 && rng() < 0.3) text.delete(1, 2);
					else if (text.length > 3 && rng() < 0.3) text.format(0, 2, { bold: {} });
					else text.insert(Math.floor(rng() * (text.length + 1)), 'abc');
				});
			}
			const update = Y.encodeStateAsUpdate(client, before);
			const inspection = inspectUpdate(server, update);
			expect(inspection.kind, `round ${round}`).toBe('ok');
			if (inspection.kind !== 'ok') continue;
			const deletes = inspection.deletes.map((d) => ({ at: flat(d), real: realTouch(d.item) }));
			expect(checkUpdate(server, 'plan', update)).toEqual({ kind: 'accept' });
			Y.applyUpdate(server, update);
			for (const d of deletes) expect(d.at).toEqual(d.real);
			for (const ins of inspection.inserts) {
				const applied = Y.getItem(server.store, ins.item.id);
				if (!(applied instanceof Y.Item) || applied.parent === null) continue;
				expect(flat(ins), `round ${round}`).toEqual(realTouch(applied));
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(500);
		expect(Y.encodeStateAsUpdate(server)).toEqual(Y.encodeStateAsUpdate(client));
	});

	it('resolves a hundred thousand typed characters in one update without recursion', () => {
		const doc = new Y.Doc();
		const text = new Y.XmlText();
		const p = new Y.XmlElement('paragraph');
		doc.transact(() => {
			getWhatHelps(doc).insert(0, [p]);
			p.insert(0, [text]);
		});
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		const sv = Y.encodeStateVector(doc);
		// One item per keystroke, each typed before the previous one: a chain of origins 100,000 long.
		doc.transact(() => {
			for (let i = 0; i < 100_000; i++) text.insert(i % 2 === 0 ? 0 : text.length, 'x');
		});
		const inspection = inspectUpdate(server, Y.encodeStateAsUpdate(doc, sv));
		expect(inspection.kind).toBe('ok');
		if (inspection.kind === 'ok') {
			expect(inspection.inserts.every((i) => i.parent.root === ROOT.whatHelps && i.parent.depth === 3)).toBe(true);
		}
	});
});

describe('update gate: structure', () => {
	it('refuses a 5,000-level nested map (and a delete of it does not get the chance to overflow)', () => {
		const server = new Y.Doc();
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepMap(5000)))).toEqual({ kind: 'refuse', reason: 'too-deep' });
		// Thirty levels below the goals root is still within the limit (a root is 1, the limit is 32).
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepMap(30)))).toEqual({ kind: 'accept' });
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepMap(31)))).toEqual({ kind: 'refuse', reason: 'too-deep' });
	});

	it('lists the deletions of a deep structure that is already stored', () => {
		const source = deepMap(200);
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(source));
		const sv = Y.encodeStateVector(source);
		source.getMap(ROOT.goals).delete('deep');
		const inspection = inspectUpdate(server, Y.encodeStateAsUpdate(source, sv));
		expect(inspection.kind).toBe('ok');
		if (inspection.kind !== 'ok') return;
		// Yjs deletes a type's content with it: the entry under the root and every level below it.
		const touched = inspection.deletes.map(flat);
		expect(touched).toHaveLength(201);
		expect(touched).toContainEqual({ root: ROOT.goals, path: [], depth: 1, key: 'deep' });
		expect(Math.max(...touched.map((t) => t.depth))).toBe(201);
	});

	it('refuses roots the document kind does not have, and roots used in the wrong shape', () => {
		const server = new Y.Doc();
		const other = new Y.Doc();
		other.getMap('somethingElse').set('x', 1);
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(other))).toEqual({ kind: 'refuse', reason: 'unknown-root' });
		const voiceRootInPlan = new Y.Doc();
		voiceRootInPlan.getMap('ownGoals').set('x', new Y.Map());
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(voiceRootInPlan))).toEqual({ kind: 'refuse', reason: 'unknown-root' });
		expect(checkUpdate(server, 'voice', Y.encodeStateAsUpdate(voiceRootInPlan))).toEqual({ kind: 'accept' });
		const goalsAsText = new Y.Doc();
		goalsAsText.getText(ROOT.goals).insert(0, 'not a map');
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(goalsAsText))).toEqual({ kind: 'refuse', reason: 'unknown-root' });
	});

	it('refuses oversized values, deeply nested JSON values and embedded documents', () => {
		const server = new Y.Doc();
		const big = new Y.Doc();
		big.getMap(ROOT.crisis).set('openReturn', 'x'.repeat(70_000));
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(big))).toEqual({ kind: 'refuse', reason: 'value-too-large' });
		const nested = new Y.Doc();
		let v: unknown = 'leaf';
		for (let i = 0; i < 100; i++) v = [v];
		nested.getMap(ROOT.crisis).set('openReturn', v);
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(nested))).toEqual({ kind: 'refuse', reason: 'too-deep' });
		const sub = new Y.Doc();
		sub.getMap(ROOT.crisis).set('sub', new Y.Doc());
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(sub))).toEqual({ kind: 'refuse', reason: 'unsupported-content' });
	});

	it('answers "missing" for an update that builds on structs the document lacks, and applies nothing', () => {
		const client = new Y.Doc();
		addGoal(client, { lifeArea: 'housing', title: 'første', expressedBy: 'staff' });
		const sv = Y.encodeStateVector(client);
		addGoal(client, { lifeArea: 'housing', title: 'andre', expressedBy: 'staff' });
		const server = new Y.Doc();
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(client, sv))).toEqual({ kind: 'missing' });
		// A deletion of something the server never saw is missing too.
		const deleter = new Y.Doc();
		Y.applyUpdate(deleter, Y.encodeStateAsUpdate(client));
		const before = Y.encodeStateVector(deleter);
		removeGoal(deleter, listGoals(deleter)[0].id);
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deleter, before))).toEqual({ kind: 'missing' });
		expect(server.store.clients.size).toBe(0);
	});

	it('calls undecodable bytes malformed without quoting them', () => {
		const verdict = checkUpdate(new Y.Doc(), 'plan', new Uint8Array([1, 2, 3, 250, 251]));
		expect(verdict).toEqual({ kind: 'malformed', why: 'undecodable update' });
	});
});
