import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addGoal,
	addMeasure,
	addOwnResource,
	getGoal,
	listGoals,
	listMeasures,
	listOwnResources,
	planScope,
	removeGoal,
	renderPlan,
	setRichTextFromParagraphs,
	getGoalDescription,
	updateGoal,
	updateMeasure,
	voiceScope
} from '../../../src/lib/plan';
import { syncDocs } from './helpers';

describe('two replicas', () => {
	test('sync by encodeStateAsUpdate / applyUpdate and render identically', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const g = addGoal(a, { lifeArea: 'housing', title: 'Bolig', expressedBy: 'patient', description: ['tekst'] });
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addMeasure(b, { goalId: g, title: 'Søknad', serviceId: 'svc' });
		updateGoal(a, g, { status: 'active' });
		syncDocs(a, b);
		expect(renderPlan({ plan: b })).toEqual(renderPlan({ plan: a }));
		expect(getGoal(b, g)!.status).toBe('active');
		expect(listMeasures(a, g).map((m) => m.title)).toEqual(['Søknad']);
	});

	test('concurrent inserts at the same spot get the same key and the same order everywhere (by id)', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const first = addGoal(a, { id: 'first', lifeArea: 'housing', title: 'F', expressedBy: 'staff' });
		addGoal(a, { id: 'last', lifeArea: 'housing', title: 'L', expressedBy: 'staff' });
		syncDocs(a, b);
		addGoal(a, { id: 'zeta', lifeArea: 'housing', title: 'from A', expressedBy: 'staff', at: { after: first } });
		addGoal(b, { id: 'alpha', lifeArea: 'housing', title: 'from B', expressedBy: 'staff', at: { after: first } });
		syncDocs(a, b);
		expect(getGoal(a, 'zeta')!.order).toBe(getGoal(a, 'alpha')!.order);
		const expected = ['first', 'alpha', 'zeta', 'last'];
		expect(listGoals(a).map((g) => g.id)).toEqual(expected);
		expect(listGoals(b).map((g) => g.id)).toEqual(expected);
		// Inserting between the tied pair still lands exactly there (the tie is re-keyed).
		addGoal(a, { id: 'mid', lifeArea: 'housing', title: 'M', expressedBy: 'staff', at: { after: 'alpha' } });
		syncDocs(a, b);
		expect(listGoals(b).map((g) => g.id)).toEqual(['first', 'alpha', 'mid', 'zeta', 'last']);
	});

	test('concurrent edits of different fields of one measure both survive', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const g = addGoal(a, { lifeArea: 'economy', title: 'Budsjett', expressedBy: 'patient' });
		const m = addMeasure(a, { goalId: g, title: 'NAV' });
		syncDocs(a, b);
		updateMeasure(a, m, { status: 'accepted' });
		updateMeasure(b, m, { dueDate: '2026-12-01' });
		syncDocs(a, b);
		for (const d of [a, b]) expect(listMeasures(d, g)[0]).toMatchObject({ status: 'accepted', dueDate: '2026-12-01' });
	});
});

describe('UndoManager scoped to a local origin', () => {
	test('undoes local changes only, never updates applied from a remote replica', () => {
		const local = new Y.Doc();
		const remote = new Y.Doc();
		const LOCAL = { user: 'me' };
		const undo = new Y.UndoManager(planScope(local), { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
		const relay = (from: Y.Doc, to: Y.Doc) =>
			Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');

		const mine = addGoal(local, { lifeArea: 'housing', title: 'Min', expressedBy: 'staff' }, LOCAL);
		relay(local, remote);
		const theirs = addGoal(remote, { lifeArea: 'economy', title: 'Deres', expressedBy: 'staff' });
		relay(remote, local);
		updateGoal(local, theirs, { title: 'Deres, endret av meg' }, LOCAL);
		updateGoal(local, mine, { status: 'active' }); // untracked origin (e.g. server): not undoable
		setRichTextFromParagraphs(getGoalDescription(local, mine)!, ['lokal tekst'], LOCAL);

		expect(undo.undoStack.length).toBe(3);
		undo.undo(); // description
		expect(getGoalDescription(local, mine)!.length).toBe(0);
		undo.undo(); // title edit of the remote goal
		expect(getGoal(local, theirs)!.title).toBe('Deres');
		undo.undo(); // adding my goal
		expect(getGoal(local, mine)).toBeNull();
		expect(listGoals(local).map((g) => g.id)).toEqual([theirs]);
		expect(undo.canUndo()).toBe(false);

		undo.redo();
		expect(getGoal(local, mine)!.title).toBe('Min');
		expect(getGoal(local, theirs)).not.toBeNull();
		undo.destroy();
	});

	test('a remote delete is not resurrected by a local undo of an unrelated change', () => {
		const local = new Y.Doc();
		const remote = new Y.Doc();
		const LOCAL = Symbol('local');
		const g = addGoal(local, { lifeArea: 'housing', title: 'A', expressedBy: 'staff' });
		const h = addGoal(local, { lifeArea: 'economy', title: 'B', expressedBy: 'staff' });
		syncDocs(local, remote);
		const undo = new Y.UndoManager(planScope(local), { trackedOrigins: new Set([LOCAL]) });
		updateGoal(local, h, { title: 'B2' }, LOCAL);
		removeGoal(remote, g);
		Y.applyUpdate(local, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(local)), 'remote');
		undo.undo();
		expect(getGoal(local, h)!.title).toBe('B');
		expect(getGoal(local, g)).toBeNull();
	});

	test('voiceScope covers the voice roots', () => {
		const doc = new Y.Doc();
		const LOCAL = 'patient-tab';
		const undo = new Y.UndoManager(voiceScope(doc), { trackedOrigins: new Set([LOCAL]) });
		addOwnResource(doc, { text: 'Flink med data' }, LOCAL);
		addOwnResource(doc, { text: 'Fra serveren' }, 'server');
		undo.undo();
		expect(listOwnResources(doc).map((g) => g.text)).toEqual(['Fra serveren']);
	});
});
