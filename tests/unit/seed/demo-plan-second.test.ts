import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { listAllMeasures, listGoals } from '../../../src/lib/plan';
import { fillSecondDemoPlan, type SecondDemoRefs } from '../../../src/lib/server/seed/demo-plan-second';

const refs: SecondDemoRefs = {
	services: { nav: 'svc-nav', substance_use: 'svc-rus', mental_health: 'svc-mh', home_care: 'svc-home' },
	people: { coordinator: 'u-coord', nav: 'u-nav', substance_use: 'u-rus', patient: 'u-amira' }
};

describe('fillSecondDemoPlan (Amira Haddad)', () => {
	test('one transaction; NAV owns measures with its adviser named; one measure has no person yet', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('update', (_u: Uint8Array, o: unknown) => origins.push(o));
		expect(fillSecondDemoPlan(doc, refs, 'seed')).toBe(true);
		expect(origins).toEqual(['seed']);
		const measures = listAllMeasures(doc);
		const nav = measures.filter((m) => m.serviceId === refs.services.nav);
		expect(nav.length).toBeGreaterThanOrEqual(2);
		expect(nav.every((m) => m.personId === refs.people.nav)).toBe(true);
		expect(measures.filter((m) => m.personId === null).map((m) => m.serviceId)).toEqual([refs.services.home_care]);
		expect(listGoals(doc).filter((g) => g.expressedBy === 'patient').length).toBeGreaterThanOrEqual(3);
		for (const m of measures) expect(!m.dueDate || !m.startDate || m.dueDate >= m.startDate, m.title).toBe(true);
	});

	test('a second run writes nothing (the seed stays idempotent)', () => {
		const doc = new Y.Doc();
		fillSecondDemoPlan(doc, refs);
		const state = Y.encodeStateAsUpdate(doc);
		expect(fillSecondDemoPlan(doc, refs)).toBe(false);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
	});
});
