import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addEvaluation,
	addGoal,
	addMeasure,
	removeEvaluation,
	getGoal,
	getGoalDescription,
	goalsByLifeArea,
	LIFE_AREAS,
	listGoals,
	listMeasures,
	moveGoal,
	removeGoal,
	ROOT,
	updateGoal,
	fragmentToRichText,
	type NewGoal
} from '../../../src/lib/plan';
import { captureOrigins, expectRefused, syncDocs } from './helpers';

const base: NewGoal = { lifeArea: 'housing', title: 'Egen leilighet', expressedBy: 'patient' };

function titles(doc: Y.Doc): string[] {
	return listGoals(doc).map((g) => g.title);
}

describe('addGoal', () => {
	test('stores every field and returns a URL-safe id', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, {
			...base,
			status: 'active',
			createdBy: 'user-1',
			description: ['Første avsnitt', 'Andre']
		});
		expect(id).toMatch(/^[A-Za-z0-9_-]{12,}$/);
		const goal = getGoal(doc, id);
		expect(goal).toMatchObject({
			id,
			lifeArea: 'housing',
			title: 'Egen leilighet',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'user-1'
		});
		expect(new Date(goal!.createdAt).toISOString()).toBe(goal!.createdAt);
		expect(goal!.description).toBeInstanceOf(Y.XmlFragment);
		expect(getGoalDescription(doc, id)).toBe(goal!.description);
		expect(fragmentToRichText(goal!.description).content?.map((p) => p.content?.[0]?.text)).toEqual([
			'Første avsnitt',
			'Andre'
		]);
	});

	test('defaults: status proposed, no creator, empty description', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		const goal = getGoal(doc, id)!;
		expect(goal.status).toBe('proposed');
		expect(goal.createdBy).toBeNull();
		expect(goal.description!.length).toBe(0);
	});

	test('normalises whitespace in the title', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, { ...base, title: '  Egen \n  leilighet ' });
		expect(getGoal(doc, id)!.title).toBe('Egen leilighet');
	});

	test('runs in one transaction with the given origin', () => {
		const doc = new Y.Doc();
		const origin = { local: true };
		const origins = captureOrigins(doc, () => addGoal(doc, { ...base, description: ['a', 'b'] }, origin));
		expect(origins).toEqual([origin]);
	});

	test('accepts a caller-chosen id, refuses a taken or malformed one', () => {
		const doc = new Y.Doc();
		expect(addGoal(doc, { ...base, id: 'goal-1' })).toBe('goal-1');
		expectRefused(doc, 'duplicate_id', () => addGoal(doc, { ...base, id: 'goal-1' }));
		expectRefused(doc, 'invalid_id', () => addGoal(doc, { ...base, id: 'has space' }));
	});

	test.each([
		['invalid_life_area', { lifeArea: 'moon' }],
		['empty_title', { title: '' }],
		['empty_title', { title: '   \n ' }],
		['invalid_type', { title: 42 }],
		['too_long', { title: 'x'.repeat(301) }],
		['invalid_expressed_by', { expressedBy: 'doctor' }],
		['invalid_goal_status', { status: 'done' }],
		['invalid_goal_level', { level: 'sobriety' }],
		['unknown_reference', { at: { before: 'nope' } }]
	] as const)('refuses %s without writing anything (%o)', (code, bad) => {
		const doc = new Y.Doc();
		addGoal(doc, base);
		expectRefused(doc, code, () => addGoal(doc, { ...base, ...(bad as object) } as NewGoal));
		expect(listGoals(doc)).toHaveLength(1);
	});
});

describe('goal level, evaluations and a shared title', () => {
	test('stores the agreed level, none by default, and changes it', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		expect(getGoal(doc, id)!.level).toBeNull();
		updateGoal(doc, id, { level: 'reduction' });
		expect(getGoal(doc, id)!.level).toBe('reduction');
		expectRefused(doc, 'invalid_goal_level', () => updateGoal(doc, id, { level: 'never' as never }));
		updateGoal(doc, id, { level: null });
		expect(getGoal(doc, id)!.level).toBeNull();
	});

	test('evaluations are dated, oldest first, with an optional rating from 1 to 10', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, { ...base, status: 'active' });
		addEvaluation(doc, id, { date: '2026-12-01', status: 'active', note: 'Bedre', rating: 6, by: 'user-1' });
		addEvaluation(doc, id, { date: '2026-10-01', status: 'active', note: 'Tungt', rating: '3' as never });
		addEvaluation(doc, id, { date: '2027-02-01', status: 'achieved' });
		const evaluations = getGoal(doc, id)!.evaluations;
		expect(evaluations.map((e) => [e.date, e.status, e.note, e.rating])).toEqual([
			['2026-10-01', 'active', 'Tungt', 3],
			['2026-12-01', 'active', 'Bedre', 6],
			['2027-02-01', 'achieved', '', null]
		]);
		expect(evaluations[1].by).toBe('user-1');
		expectRefused(doc, 'invalid_rating', () =>
			addEvaluation(doc, id, { date: '2026-10-02', status: 'active', rating: 11 })
		);
		expectRefused(doc, 'invalid_rating', () =>
			addEvaluation(doc, id, { date: '2026-10-02', status: 'active', rating: 2.5 })
		);
		expectRefused(doc, 'invalid_date', () => addEvaluation(doc, id, { date: '', status: 'active' }));
		expectRefused(doc, 'invalid_goal_status', () =>
			addEvaluation(doc, id, { date: '2026-10-02', status: 'fine' as never })
		);
		expectRefused(doc, 'not_found', () => addEvaluation(doc, 'missing', { date: '2026-10-02', status: 'active' }));
		expect(removeEvaluation(doc, id, evaluations[2].id)).toBe(true);
		expect(getGoal(doc, id)!.evaluations).toHaveLength(2);
	});

	test('two people editing the same goal title at once both keep their characters', () => {
		const a = new Y.Doc();
		const id = addGoal(a, { ...base, title: 'Egen leilighet' });
		const b = new Y.Doc();
		syncDocs(a, b);
		updateGoal(a, id, { title: 'Min egen leilighet' });
		updateGoal(b, id, { title: 'Egen leilighet nær søsteren' });
		syncDocs(a, b);
		expect(getGoal(a, id)!.title).toBe('Min egen leilighet nær søsteren');
		expect(getGoal(b, id)!.title).toBe('Min egen leilighet nær søsteren');
	});
});

describe('goal ordering', () => {
	test('appends by default; inserts at start, before and after a sibling', () => {
		const doc = new Y.Doc();
		const b = addGoal(doc, { ...base, title: 'B' });
		addGoal(doc, { ...base, title: 'D' });
		addGoal(doc, { ...base, title: 'A', at: 'start' });
		addGoal(doc, { ...base, title: 'C', at: { after: b } });
		addGoal(doc, { ...base, title: 'E', at: 'end' });
		addGoal(doc, { ...base, title: 'B2', at: { before: listGoals(doc)[2].id } });
		expect(titles(doc)).toEqual(['A', 'B', 'B2', 'C', 'D', 'E']);
	});

	test('many inserts at the same spot keep insertion order', () => {
		const doc = new Y.Doc();
		const first = addGoal(doc, { ...base, title: 'first' });
		const last = addGoal(doc, { ...base, title: 'last' });
		let previous = first;
		for (let i = 0; i < 60; i++) previous = addGoal(doc, { ...base, title: `n${i}`, at: { after: previous } });
		for (let i = 0; i < 60; i++) addGoal(doc, { ...base, title: `s${i}`, at: { before: first } });
		const t = titles(doc);
		expect(t.slice(59, 61)).toEqual(['s59', 'first']);
		expect(t.slice(60)).toEqual(['first', ...Array.from({ length: 60 }, (_, i) => `n${i}`), 'last']);
		expect(t[0]).toBe('s0');
		expect(getGoal(doc, last)).not.toBeNull();
	});

	test('moveGoal to start, end, before and after', () => {
		const doc = new Y.Doc();
		const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => addGoal(doc, { ...base, title }));
		moveGoal(doc, d, 'start');
		expect(titles(doc)).toEqual(['D', 'A', 'B', 'C']);
		moveGoal(doc, d, 'end');
		expect(titles(doc)).toEqual(['A', 'B', 'C', 'D']);
		moveGoal(doc, a, { after: c });
		expect(titles(doc)).toEqual(['B', 'C', 'A', 'D']);
		moveGoal(doc, d, { before: b });
		expect(titles(doc)).toEqual(['D', 'B', 'C', 'A']);
		// Next to itself: nothing to do, nothing written.
		expect(captureOrigins(doc, () => moveGoal(doc, b, { after: b }))).toEqual([]);
		expectRefused(doc, 'unknown_reference', () => moveGoal(doc, a, { before: 'missing' }));
		expectRefused(doc, 'not_found', () => moveGoal(doc, 'missing', 'start'));
	});

	test('goalsByLifeArea lists every area in order, keeping goal order inside each', () => {
		const doc = new Y.Doc();
		addGoal(doc, { ...base, lifeArea: 'leisure', title: 'L' });
		addGoal(doc, { ...base, title: 'H2' });
		addGoal(doc, { ...base, title: 'H1', at: 'start' });
		const grouped = goalsByLifeArea(doc);
		expect(grouped.map((g) => g.lifeArea)).toEqual([...LIFE_AREAS]);
		expect(grouped[0].goals.map((g) => g.title)).toEqual(['H1', 'H2']);
		expect(grouped[7].goals.map((g) => g.title)).toEqual(['L']);
		expect(grouped[1].goals).toEqual([]);
	});
});

describe('updateGoal', () => {
	test('changes only the given fields', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		updateGoal(doc, id, { status: 'achieved' });
		updateGoal(doc, id, { title: 'Ny tittel', lifeArea: 'economy', expressedBy: 'relative' });
		expect(getGoal(doc, id)).toMatchObject({
			title: 'Ny tittel',
			lifeArea: 'economy',
			expressedBy: 'relative',
			status: 'achieved'
		});
	});

	test('an update that changes nothing writes nothing', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		expect(captureOrigins(doc, () => updateGoal(doc, id, { title: 'Egen leilighet', status: 'proposed' }))).toEqual([]);
	});

	test('one bad field refuses the whole patch', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		expectRefused(doc, 'invalid_goal_status', () => updateGoal(doc, id, { title: 'Fint', status: 'nope' as never }));
		expectRefused(doc, 'empty_title', () => updateGoal(doc, id, { title: ' ' }));
		expectRefused(doc, 'invalid_life_area', () => updateGoal(doc, id, { lifeArea: 'x' as never }));
		expectRefused(doc, 'invalid_expressed_by', () => updateGoal(doc, id, { expressedBy: 'x' as never }));
		expectRefused(doc, 'not_found', () => updateGoal(doc, 'missing', { title: 'x' }));
		expect(getGoal(doc, id)!.title).toBe('Egen leilighet');
	});

	test('passes the origin through', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, base);
		expect(captureOrigins(doc, () => updateGoal(doc, id, { title: 'X' }, 'server'))).toEqual(['server']);
	});
});

describe('removeGoal', () => {
	test('deletes the goal and its measures in one transaction, and only those', () => {
		const doc = new Y.Doc();
		const g1 = addGoal(doc, base);
		const g2 = addGoal(doc, { ...base, title: 'Annen' });
		addMeasure(doc, { goalId: g1, title: 'M1' });
		addMeasure(doc, { goalId: g1, title: 'M2' });
		const keep = addMeasure(doc, { goalId: g2, title: 'M3' });
		const origins = captureOrigins(doc, () => expect(removeGoal(doc, g1, 'o')).toBe(true));
		expect(origins).toEqual(['o']);
		expect(listGoals(doc).map((g) => g.id)).toEqual([g2]);
		expect(doc.getMap(ROOT.measures).size).toBe(1);
		expect(listMeasures(doc, g2).map((m) => m.id)).toEqual([keep]);
		expect(removeGoal(doc, g1)).toBe(false);
	});
});
