import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addGoal,
	addMeasure,
	getMeasure,
	getMeasureDescription,
	listAllMeasures,
	listMeasures,
	measuresByGoal,
	moveMeasure,
	moveMeasureToGoal,
	pruneOrphanMeasures,
	removeGoal,
	removeMeasure,
	ROOT,
	updateMeasure,
	type NewMeasure
} from '../../../src/lib/plan';
import { captureOrigins, expectRefused, syncDocs } from './helpers';

function setup() {
	const doc = new Y.Doc();
	const goal = addGoal(doc, { lifeArea: 'housing', title: 'Bolig', expressedBy: 'patient' });
	const other = addGoal(doc, { lifeArea: 'economy', title: 'Økonomi', expressedBy: 'staff' });
	return { doc, goal, other };
}

const titles = (doc: Y.Doc, goalId: string) => listMeasures(doc, goalId).map((m) => m.title);

describe('addMeasure', () => {
	test('stores every field under its goal', () => {
		const { doc, goal } = setup();
		const id = addMeasure(
			doc,
			{
				goalId: goal,
				title: 'Søknad om bolig',
				serviceId: 'svc-housing',
				personId: 'user-9',
				startDate: '2026-10-01',
				dueDate: '2026-12-31',
				status: 'on_hold',
				statusReason: 'Venter på ledig leilighet',
				interimMeasure: 'Botrening hjemme',
				createdBy: 'user-1',
				description: ['Detaljer']
			},
			'server'
		);
		const m = getMeasure(doc, id)!;
		expect(m).toMatchObject({
			id,
			goalId: goal,
			title: 'Søknad om bolig',
			serviceId: 'svc-housing',
			personId: 'user-9',
			startDate: '2026-10-01',
			dueDate: '2026-12-31',
			status: 'on_hold',
			statusReason: 'Venter på ledig leilighet',
			interimMeasure: 'Botrening hjemme',
			startsAfter: null,
			counterOf: null,
			answeredBy: null,
			answeredAt: null,
			createdBy: 'user-1'
		});
		// The title is shared text, so concurrent edits merge.
		expect(doc.getMap(ROOT.measures).get(id)).toBeInstanceOf(Y.Map);
		expect((doc.getMap(ROOT.measures).get(id) as Y.Map<unknown>).get('title')).toBeInstanceOf(Y.Text);
		expect(getMeasureDescription(doc, id)!.toArray()).toHaveLength(1);
		expect(m.description).toBe(getMeasureDescription(doc, id));
	});

	test('defaults: requested, no owner, no dates', () => {
		const { doc, goal } = setup();
		const m = getMeasure(doc, addMeasure(doc, { goalId: goal, title: 'X' }))!;
		expect(m).toMatchObject({
			status: 'requested',
			serviceId: null,
			personId: null,
			startDate: null,
			dueDate: null,
			statusReason: ''
		});
	});

	test('an empty date input means no date', () => {
		const { doc, goal } = setup();
		const m = getMeasure(doc, addMeasure(doc, { goalId: goal, title: 'X', startDate: '', dueDate: '' }))!;
		expect(m.startDate).toBeNull();
	});

	test.each([
		['unknown_goal', { goalId: 'no-such-goal' }],
		['empty_title', { title: ' ' }],
		['invalid_date', { startDate: '2026-02-30' }],
		['invalid_date', { dueDate: '2026-1-5' }],
		['invalid_date', { dueDate: 'i morgen' }],
		['due_before_start', { startDate: '2026-10-02', dueDate: '2026-10-01' }],
		['invalid_measure_status', { status: 'done' }],
		['reason_required', { status: 'rejected' }],
		['reason_required', { status: 'rejected', statusReason: '   ' }],
		['reason_required', { status: 'cancelled' }],
		['reason_required', { status: 'on_hold', interimMeasure: 'Noe i mellomtiden' }],
		['interim_required', { status: 'on_hold', statusReason: 'Venter på plass' }],
		['unknown_reference', { startsAfter: 'no-such-measure' }],
		['unknown_reference', { counterOf: 'no-such-measure' }],
		['invalid_id', { serviceId: 'x'.repeat(101) }],
		['invalid_type', { personId: 12 }]
	] as const)('refuses %s without writing (%o)', (code, bad) => {
		const { doc, goal } = setup();
		expectRefused(doc, code, () => addMeasure(doc, { goalId: goal, title: 'T', ...(bad as object) } as NewMeasure));
		expect(listAllMeasures(doc)).toEqual([]);
	});

	test('a declined measure with a reason is accepted', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T', status: 'rejected', statusReason: 'Ikke kapasitet' });
		expect(getMeasure(doc, id)!.status).toBe('rejected');
	});

	test('placement references must be measures of the same goal', () => {
		const { doc, goal, other } = setup();
		const foreign = addMeasure(doc, { goalId: other, title: 'O' });
		expectRefused(doc, 'unknown_reference', () =>
			addMeasure(doc, { goalId: goal, title: 'T', at: { after: foreign } })
		);
	});
});

describe('measures belong to their goal', () => {
	test('listMeasures returns only that goal’s measures, in order', () => {
		const { doc, goal, other } = setup();
		const b = addMeasure(doc, { goalId: goal, title: 'B' });
		addMeasure(doc, { goalId: other, title: 'X' });
		addMeasure(doc, { goalId: goal, title: 'A', at: 'start' });
		addMeasure(doc, { goalId: goal, title: 'C', at: { after: b } });
		expect(titles(doc, goal)).toEqual(['A', 'B', 'C']);
		expect(titles(doc, other)).toEqual(['X']);
		expect(listMeasures(doc, 'missing')).toEqual([]);
		expect(listAllMeasures(doc).map((m) => m.title)).toEqual(['A', 'B', 'C', 'X']);
		expect([...measuresByGoal(doc).keys()]).toEqual([goal, other]);
	});

	test('moveMeasure reorders within the goal', () => {
		const { doc, goal } = setup();
		const [a, , c] = ['A', 'B', 'C'].map((title) => addMeasure(doc, { goalId: goal, title }));
		moveMeasure(doc, c, 'start');
		expect(titles(doc, goal)).toEqual(['C', 'A', 'B']);
		moveMeasure(doc, c, { after: a });
		expect(titles(doc, goal)).toEqual(['A', 'C', 'B']);
		moveMeasure(doc, a, 'end', 'me');
		expect(titles(doc, goal)).toEqual(['C', 'B', 'A']);
		expectRefused(doc, 'not_found', () => moveMeasure(doc, 'missing', 'start'));
	});

	test('moveMeasureToGoal re-links it, keeping id and description', () => {
		const { doc, goal, other } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'M', description: ['tekst'] });
		const fragment = getMeasureDescription(doc, id);
		const x = addMeasure(doc, { goalId: other, title: 'X' });
		moveMeasureToGoal(doc, id, other, { before: x });
		expect(titles(doc, goal)).toEqual([]);
		expect(titles(doc, other)).toEqual(['M', 'X']);
		expect(getMeasureDescription(doc, id)).toBe(fragment);
		expectRefused(doc, 'unknown_goal', () => moveMeasureToGoal(doc, id, 'nope'));
	});
});

describe('updateMeasure', () => {
	test('patches fields and can clear owner and dates', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T', serviceId: 's', personId: 'p', startDate: '2026-10-01' });
		updateMeasure(doc, id, { status: 'accepted', dueDate: '2026-11-01' }, 'server');
		updateMeasure(doc, id, { personId: null, title: 'Ny' });
		expect(getMeasure(doc, id)).toMatchObject({
			status: 'accepted',
			dueDate: '2026-11-01',
			personId: null,
			serviceId: 's',
			title: 'Ny'
		});
		updateMeasure(doc, id, { startDate: null, dueDate: null });
		expect(getMeasure(doc, id)).toMatchObject({ startDate: null, dueDate: null });
	});

	test('checks a new date against the stored other date', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T', startDate: '2026-10-10', dueDate: '2026-12-01' });
		expectRefused(doc, 'due_before_start', () => updateMeasure(doc, id, { dueDate: '2026-10-09' }));
		expectRefused(doc, 'due_before_start', () => updateMeasure(doc, id, { startDate: '2026-12-02' }));
		expectRefused(doc, 'invalid_date', () => updateMeasure(doc, id, { startDate: '10.10.2026' }));
	});

	test('declining needs a reason, given now or already stored', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T' });
		expectRefused(doc, 'reason_required', () => updateMeasure(doc, id, { status: 'rejected' }));
		updateMeasure(doc, id, { status: 'rejected', statusReason: 'Full venteliste' });
		expectRefused(doc, 'reason_required', () => updateMeasure(doc, id, { statusReason: '' }));
		updateMeasure(doc, id, { status: 'accepted', statusReason: '' });
		expect(getMeasure(doc, id)).toMatchObject({ status: 'accepted', statusReason: '' });
	});

	test('waiting needs a reason and an interim measure; cancelling needs a reason', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T', status: 'accepted' });
		expectRefused(doc, 'reason_required', () =>
			updateMeasure(doc, id, { status: 'on_hold', interimMeasure: 'Samtaler' })
		);
		expectRefused(doc, 'interim_required', () =>
			updateMeasure(doc, id, { status: 'on_hold', statusReason: 'Venter på plass' })
		);
		updateMeasure(doc, id, {
			status: 'on_hold',
			statusReason: 'Venter på plass',
			interimMeasure: 'Samtaler hos fastlegen'
		});
		expect(getMeasure(doc, id)).toMatchObject({
			status: 'on_hold',
			statusReason: 'Venter på plass',
			interimMeasure: 'Samtaler hos fastlegen'
		});
		expectRefused(doc, 'interim_required', () => updateMeasure(doc, id, { interimMeasure: ' ' }));
		expectRefused(doc, 'reason_required', () => updateMeasure(doc, id, { status: 'cancelled', statusReason: '' }));
		updateMeasure(doc, id, { status: 'cancelled', statusReason: 'Ikke lenger aktuelt' });
		expect(getMeasure(doc, id)!.status).toBe('cancelled');
	});

	test('starts after and counter-proposal link to other measures of the plan, answers record who and when', () => {
		const { doc, goal, other } = setup();
		const first = addMeasure(doc, { goalId: goal, title: 'Først' });
		const second = addMeasure(doc, { goalId: other, title: 'Så', startsAfter: first });
		expect(getMeasure(doc, second)!.startsAfter).toBe(first);
		expectRefused(doc, 'unknown_reference', () => updateMeasure(doc, second, { startsAfter: second }));
		updateMeasure(doc, second, { startsAfter: null });
		expect(getMeasure(doc, second)!.startsAfter).toBeNull();
		const counter = addMeasure(doc, { goalId: goal, title: 'Heller dette', counterOf: first });
		updateMeasure(doc, first, {
			status: 'counter_proposed',
			answeredBy: 'user-nav',
			answeredAt: '2026-11-22T10:00:00.000Z'
		});
		expect(getMeasure(doc, counter)!.counterOf).toBe(first);
		expect(getMeasure(doc, first)).toMatchObject({
			status: 'counter_proposed',
			answeredBy: 'user-nav',
			answeredAt: '2026-11-22T10:00:00.000Z'
		});
	});

	test('a title stored as a plain string (older documents) reads, and becomes shared text when edited', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'Ny' });
		const entity = doc.getMap(ROOT.measures).get(id) as Y.Map<unknown>;
		entity.set('title', 'Gammel tittel');
		expect(getMeasure(doc, id)!.title).toBe('Gammel tittel');
		updateMeasure(doc, id, { title: 'Gammel tittel' });
		expect(entity.get('title')).toBeInstanceOf(Y.Text);
		expect(getMeasure(doc, id)!.title).toBe('Gammel tittel');
	});

	test('two people editing the same title at once both keep their characters', () => {
		const { doc: a, goal } = setup();
		const id = addMeasure(a, { goalId: goal, title: 'Søknad om bolig' });
		const b = new Y.Doc();
		syncDocs(a, b);
		updateMeasure(a, id, { title: 'Søknad om kommunal bolig' });
		updateMeasure(b, id, { title: 'Søknad om bolig i sentrum' });
		syncDocs(a, b);
		expect(getMeasure(a, id)!.title).toBe('Søknad om kommunal bolig i sentrum');
		expect(getMeasure(b, id)!.title).toBe(getMeasure(a, id)!.title);
	});

	test('a refused patch writes none of its fields; a no-op patch writes nothing', () => {
		const { doc, goal } = setup();
		const id = addMeasure(doc, { goalId: goal, title: 'T' });
		expectRefused(doc, 'invalid_measure_status', () => updateMeasure(doc, id, { title: 'New', status: 'x' as never }));
		expect(captureOrigins(doc, () => updateMeasure(doc, id, { title: 'T', status: 'requested' }))).toEqual([]);
		expectRefused(doc, 'not_found', () => updateMeasure(doc, 'missing', { title: 'x' }));
	});
});

describe('removing measures', () => {
	test('removeMeasure deletes one measure', () => {
		const { doc, goal } = setup();
		const a = addMeasure(doc, { goalId: goal, title: 'A' });
		addMeasure(doc, { goalId: goal, title: 'B' });
		expect(captureOrigins(doc, () => expect(removeMeasure(doc, a, 'o')).toBe(true))).toEqual(['o']);
		expect(titles(doc, goal)).toEqual(['B']);
		expect(removeMeasure(doc, a)).toBe(false);
		expect(getMeasure(doc, a)).toBeNull();
	});

	test('a measure added while its goal is deleted elsewhere is hidden, and can be pruned', () => {
		const { doc: a, goal } = setup();
		const b = new Y.Doc();
		syncDocs(a, b);
		const id = addMeasure(b, { goalId: goal, title: 'Sen' });
		removeGoal(a, goal);
		syncDocs(a, b);
		for (const doc of [a, b]) {
			expect(getMeasure(doc, id)).toBeNull();
			expect(listAllMeasures(doc)).toEqual([]);
			expect(doc.getMap(ROOT.measures).size).toBe(1);
		}
		expectRefused(b, 'not_found', () => updateMeasure(b, id, { title: 'x' }));
		expect(pruneOrphanMeasures(b, 'server')).toBe(1);
		expect(b.getMap(ROOT.measures).size).toBe(0);
		expect(pruneOrphanMeasures(b)).toBe(0);
	});
});
