import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { checkUpdate } from '../../../src/lib/server/collab/gate';
import { inspectUpdate, PATH_KEYS, type Touch } from '../../../src/lib/server/collab/gate/inspect';
import { fillDemoPlan } from '../../../src/lib/server/seed/demo-plan';
import {
	addEvaluation,
	addGoal,
	addMeasure,
	getWhatHelps,
	LIFE_AREAS,
	proposeGoalTitle,
	listAllMeasures,
	listGoals,
	removeGoal,
	removeMeasure,
	ROOT,
	updateGoal,
	updateMeasure
} from '../../../src/lib/plan';
import { mulberry32 } from '../../helpers/random';
import { deepMap, deepRichText } from '../../helpers/deep-structures';
import type { Actor } from '../../../src/lib/plan/rights';

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

const coordinator: Actor = { userId: 'u1', roles: new Set(['coordinator']), serviceIds: new Set() };

const flat = (t: Touch) => ({ root: t.parent.root, path: [...t.parent.path], depth: t.parent.depth, key: t.key });

describe('update gate: inspection', () => {
	it('locates every insert and delete of random model edits exactly where Yjs puts them', () => {
		const rng = mulberry32(20261122);
		const server = new Y.Doc();
		const client = new Y.Doc();
		fillDemoPlan(
			{ plan: client, crisis: new Y.Doc(), voice: new Y.Doc() },
			{
				services: { nav: 's1', housing: 's2', gp: 's3', dps: 's4', mental_health: 's5', act: 's6' },
				people: { coordinator: 'u1', nav: 'u2', gp: 'u3', dps: 'u4', housing: 'u5', patient: 'u6', sister: 'u7' }
			}
		);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		let checked = 0;
		for (let round = 0; round < 300; round++) {
			const before = Y.encodeStateVector(client);
			const goals = listGoals(client);
			const goal = goals[Math.floor(rng() * goals.length)];
			const measures = listAllMeasures(client);
			const measure = measures[Math.floor(rng() * measures.length)];
			const r = rng();
			if (r < 0.15 || !goal)
				addGoal(client, { lifeArea: LIFE_AREAS[Math.floor(rng() * 8)], title: `mål ${round}`, expressedBy: 'staff' });
			// Nobody but the patient rewords the patient's goal; the coordinator proposes a wording instead.
			else if (r < 0.3 && goal.expressedBy === 'patient')
				proposeGoalTitle(client, goal.id, `forslag ${round}`, coordinator.userId);
			else if (r < 0.3) updateGoal(client, goal.id, { title: `endret ${round}` });
			else if (r < 0.45) addMeasure(client, { goalId: goal.id, title: `tiltak ${round}` });
			else if (r < 0.55 && measure) updateMeasure(client, measure.id, { title: `t ${round}`, dueDate: '2027-03-31' });
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
					// A second draw of the generator, not the same condition.
					// eslint-disable-next-line no-dupe-else-if
					else if (text.length > 3 && rng() < 0.3) text.format(0, 2, { bold: {} });
					else text.insert(Math.floor(rng() * (text.length + 1)), 'abc');
				});
			}
			const update = Y.encodeStateAsUpdate(client, before);
			const inspection = inspectUpdate(server, update);
			expect(inspection.kind, `round ${round}`).toBe('ok');
			if (inspection.kind !== 'ok') continue;
			const deletes = inspection.deletes.map((d) => ({ at: flat(d), real: realTouch(d.item) }));
			// The coordinator may make every one of these edits.
			expect(checkUpdate(server, 'plan', update, coordinator)).toEqual({ kind: 'accept' });
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
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepMap(5000)), null)).toEqual({
			kind: 'refuse',
			reason: 'too-deep'
		});
		// Rich text 29 levels below a goal's description is still within the limit (a root is 1, the limit is 32).
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepRichText(29, 'bulletList')), null)).toEqual({
			kind: 'accept'
		});
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deepRichText(30, 'bulletList')), null)).toEqual({
			kind: 'refuse',
			reason: 'too-deep'
		});
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
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(other), null)).toEqual({
			kind: 'refuse',
			reason: 'unknown-root'
		});
		const voiceRootInPlan = new Y.Doc();
		const resource = new Y.Map<unknown>();
		voiceRootInPlan.getMap('ownResources').set('x', resource);
		resource.set('text', 'Liker turer');
		resource.set('order', 'a0');
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(voiceRootInPlan), null)).toEqual({
			kind: 'refuse',
			reason: 'unknown-root'
		});
		expect(checkUpdate(server, 'voice', Y.encodeStateAsUpdate(voiceRootInPlan), null)).toEqual({ kind: 'accept' });
		// The patient's goals left the voice for the plan: the old list is refused as any unknown root is.
		const oldOwnGoal = new Y.Doc();
		const entry = new Y.Map<unknown>();
		oldOwnGoal.getMap('ownGoals').set('x', entry);
		entry.set('text', 'Egen leilighet');
		entry.set('order', 'a0');
		expect(checkUpdate(server, 'voice', Y.encodeStateAsUpdate(oldOwnGoal), null)).toEqual({
			kind: 'refuse',
			reason: 'unknown-root'
		});
		const goalsAsText = new Y.Doc();
		goalsAsText.getText(ROOT.goals).insert(0, 'not a map');
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(goalsAsText), null)).toEqual({
			kind: 'refuse',
			reason: 'unknown-root'
		});
	});

	it('refuses oversized values, deeply nested JSON values and embedded documents', () => {
		const server = new Y.Doc();
		const big = new Y.Doc();
		big.getMap(ROOT.crisis).set('openReturn', 'x'.repeat(70_000));
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(big), null)).toEqual({
			kind: 'refuse',
			reason: 'value-too-large'
		});
		const nested = new Y.Doc();
		let v: unknown = 'leaf';
		for (let i = 0; i < 100; i++) v = [v];
		nested.getMap(ROOT.crisis).set('openReturn', v);
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(nested), null)).toEqual({
			kind: 'refuse',
			reason: 'too-deep'
		});
		const sub = new Y.Doc();
		sub.getMap(ROOT.crisis).set('sub', new Y.Doc());
		expect(checkUpdate(server, 'crisis', Y.encodeStateAsUpdate(sub), null)).toEqual({
			kind: 'refuse',
			reason: 'unsupported-content'
		});
	});

	it('answers "missing" for an update that builds on structs the document lacks, and applies nothing', () => {
		const client = new Y.Doc();
		addGoal(client, { lifeArea: 'housing', title: 'første', expressedBy: 'staff' });
		const sv = Y.encodeStateVector(client);
		addGoal(client, { lifeArea: 'housing', title: 'andre', expressedBy: 'staff' });
		const server = new Y.Doc();
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(client, sv), null)).toEqual({ kind: 'missing' });
		// A deletion of something the server never saw is missing too.
		const deleter = new Y.Doc();
		Y.applyUpdate(deleter, Y.encodeStateAsUpdate(client));
		const before = Y.encodeStateVector(deleter);
		removeGoal(deleter, listGoals(deleter)[0].id);
		expect(checkUpdate(server, 'plan', Y.encodeStateAsUpdate(deleter, before), null)).toEqual({ kind: 'missing' });
		expect(server.store.clients.size).toBe(0);
	});

	it('calls undecodable bytes malformed without quoting them', () => {
		const verdict = checkUpdate(new Y.Doc(), 'plan', new Uint8Array([1, 2, 3, 250, 251]), null);
		expect(verdict).toEqual({ kind: 'malformed', why: 'undecodable update' });
	});

	it('lets a writer give a goal from before evaluations existed its first evaluation, but never replace the evaluations of a goal', () => {
		const nav: Actor = { userId: 'nav1', roles: new Set(['service_provider']), serviceIds: new Set(['nav']) };
		const server = new Y.Doc();
		const goalId = addGoal(server, { lifeArea: 'housing', title: 'Egen leilighet', expressedBy: 'patient' });
		// An old document: the goal has no evaluations map.
		server.transact(() => (server.getMap(ROOT.goals).get(goalId) as Y.Map<unknown>).delete('evaluations'));
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const before = Y.encodeStateVector(client);
		addEvaluation(client, goalId, { date: '2026-11-20', status: 'active', note: 'Går bra', rating: 6, by: 'nav1' });
		const first = Y.encodeStateAsUpdate(client, before);
		expect(checkUpdate(server, 'plan', first, nav)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, first);
		// Now that the map exists, writing a fresh one over it would wipe the first evaluation: refused.
		const wiper = new Y.Doc();
		Y.applyUpdate(wiper, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(wiper);
		wiper.transact(() => (wiper.getMap(ROOT.goals).get(goalId) as Y.Map<unknown>).set('evaluations', new Y.Map()));
		const verdict = checkUpdate(server, 'plan', Y.encodeStateAsUpdate(wiper, sv), nav);
		expect(verdict.kind).toBe('refuse');
	});

	it('refuses a keyed item the update deletes itself: integrating it still removes the value or entity it lands on', () => {
		const nav: Actor = { userId: 'nav1', roles: new Set(['service_provider']), serviceIds: new Set(['nav']) };
		const server = new Y.Doc();
		const goalId = addGoal(server, { lifeArea: 'housing', title: 'Egen leilighet', expressedBy: 'patient' });
		const measureId = addMeasure(server, {
			goalId,
			title: 'Medisingjennomgang',
			serviceId: 'dps',
			status: 'in_progress'
		});
		const measures = server.getMap(ROOT.measures);
		const live = (measures.get(measureId) as Y.Map<unknown>)._map.get('status')!;

		/** The attacker's update: one new item in `map[key]` (landing after the live one), and a delete set naming only that new item. */
		function selfDeleted(edit: (doc: Y.Doc) => Y.Item, landsOn: Y.Item): Uint8Array {
			const attacker = new Y.Doc();
			Y.applyUpdate(attacker, Y.encodeStateAsUpdate(server));
			const sv = Y.encodeStateVector(attacker);
			const item = edit(attacker);
			const honest = Y.encodeStateAsUpdate(attacker, sv);
			// The honest update ends with its delete set, naming the replaced live item; swap that for the new item.
			const ds = (id: Y.ID, len: number) => {
				const e = encoding.createEncoder();
				for (const n of [1, id.client, 1, id.clock, len]) encoding.writeVarUint(e, n);
				return encoding.toUint8Array(e);
			};
			const [range] = Y.decodeUpdate(honest).ds.clients.get(landsOn.id.client)!;
			expect(range.clock).toBe(landsOn.id.clock);
			const tail = ds(landsOn.id, range.len);
			expect([...honest.slice(honest.length - tail.length)]).toEqual([...tail]);
			const own = ds(item.id, 1);
			const crafted = new Uint8Array(honest.length - tail.length + own.length);
			crafted.set(honest.slice(0, honest.length - tail.length));
			crafted.set(own, honest.length - tail.length);
			return crafted;
		}

		const clearStatus = selfDeleted((doc) => {
			const m = doc.getMap(ROOT.measures).get(measureId) as Y.Map<unknown>;
			m.set('status', 'completed');
			return m._map.get('status')!;
		}, live);
		// Applied as it is, it would leave the DPS measure with no status at all.
		const probe = new Y.Doc();
		Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(probe, clearStatus);
		expect((probe.getMap(ROOT.measures).get(measureId) as Y.Map<unknown>).has('status')).toBe(false);
		expect(checkUpdate(server, 'plan', clearStatus, nav).kind).toBe('refuse');

		const removeMeasure = selfDeleted((doc) => {
			doc.getMap(ROOT.measures).set(measureId, new Y.Map());
			return doc.getMap(ROOT.measures)._map.get(measureId)!;
		}, measures._map.get(measureId)!);
		const probe2 = new Y.Doc();
		Y.applyUpdate(probe2, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(probe2, removeMeasure);
		expect(probe2.getMap(ROOT.measures).has(measureId)).toBe(false);
		expect(checkUpdate(server, 'plan', removeMeasure, nav).kind).toBe('refuse');
	});
});
