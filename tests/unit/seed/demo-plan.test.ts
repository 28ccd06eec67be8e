import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	listAllMeasures,
	listGoals,
	readCrisisPlan,
	RETIRED_ROOT,
	renderCrisisPlan,
	renderVoice,
	richTextToHtml,
	richTextToPlainText
} from '../../../src/lib/plan';
import { fillDemoPlan, type DemoRefs } from '../../../src/lib/server/seed/demo-plan';

const refs: DemoRefs = {
	services: {
		nav: 'svc-nav',
		housing: 'svc-housing',
		gp: 'svc-gp',
		dps: 'svc-dps',
		mental_health: 'svc-mh',
		act: 'svc-act'
	},
	people: {
		coordinator: 'u-coord',
		nav: 'u-nav',
		gp: 'u-gp',
		dps: 'u-dps',
		housing: 'u-housing',
		patient: 'u-patient',
		sister: 'u-sister'
	}
};

function filled() {
	const plan = new Y.Doc();
	const crisis = new Y.Doc();
	const voice = new Y.Doc();
	const origins: unknown[] = [];
	for (const d of [plan, crisis, voice]) d.on('update', (_u: Uint8Array, o: unknown) => origins.push(o));
	expect(fillDemoPlan({ plan, crisis, voice }, refs, 'seed')).toBe(true);
	return { plan, crisis, voice, origins };
}

describe('fillDemoPlan', () => {
	test('writes each document in one transaction with the server origin', () => {
		expect(filled().origins).toEqual(['seed', 'seed', 'seed']);
	});

	test('goals span the life areas the brief names, several in the patient’s own words', () => {
		const { plan } = filled();
		const goals = listGoals(plan);
		const areas = new Set(goals.map((g) => g.lifeArea));
		for (const area of ['housing', 'economy', 'work_activity', 'social_family', 'physical_health'] as const) {
			expect(areas.has(area), area).toBe(true);
		}
		expect(goals.filter((g) => g.expressedBy === 'patient').length).toBeGreaterThanOrEqual(3);
		expect(goals.every((g) => g.createdBy !== null)).toBe(true);
	});

	test('measures: every service owns one, dates in 2026-10..2027-03, statuses varied', () => {
		const { plan } = filled();
		const measures = listAllMeasures(plan);
		const services = new Set(measures.map((m) => m.serviceId));
		for (const id of Object.values(refs.services)) expect(services.has(id), id).toBe(true);
		for (const m of measures) {
			expect(m.startDate! >= '2026-10-01' && m.dueDate! <= '2027-03-31', m.title).toBe(true);
			expect(m.dueDate! >= m.startDate!).toBe(true);
		}
		expect(new Set(measures.map((m) => m.status)).size).toBeGreaterThanOrEqual(5);
		const declined = measures.find((m) => m.status === 'rejected');
		expect(declined?.statusReason).not.toBe('');
		const people = new Set(measures.map((m) => m.personId));
		for (const key of ['coordinator', 'nav', 'gp', 'dps', 'housing'] as const)
			expect(people.has(refs.people[key])).toBe(true);
	});

	test('crisis plan: warning signs, what helps, wishes, contacts with legevakt, open return to DPS', () => {
		const docs = filled();
		const crisis = readCrisisPlan(docs.crisis);
		const signs = crisis.warningSigns.map((w) => w.text.toLowerCase());
		expect(signs.some((s) => s.includes('sover dårlig'))).toBe(true);
		expect(signs.some((s) => s.includes('trekker meg unna'))).toBe(true);
		expect(signs.some((s) => s.includes('slutter å ta medisiner'))).toBe(true);
		expect(crisis.contacts.some((c) => c.phone === '116 117')).toBe(true);
		expect(crisis.openReturn).toMatchObject({ unit: expect.stringContaining('DPS') });
		expect(crisis.openReturn!.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const content = renderCrisisPlan(docs.crisis);
		expect(richTextToPlainText(content.whatHelps).length).toBeGreaterThan(20);
		expect(richTextToHtml(content.wishes)).toMatch(/^<p>/);
		// The goals and measures document holds none of it: a consent can cover the crisis plan alone.
		expect(readCrisisPlan(docs.plan).warningSigns).toEqual([]);
	});

	test('voice: first-person "Hva er viktig for meg" and own resources; his own goals are goals of the plan', () => {
		const { plan, voice } = filled();
		const content = renderVoice(voice);
		expect(richTextToPlainText(content.whatMatters)).toMatch(/\bJeg\b/);
		expect(content.ownResources.length).toBeGreaterThanOrEqual(3);
		expect(voice.getMap(RETIRED_ROOT.ownGoals).size).toBe(0);
		const his = listGoals(plan).filter((g) => g.expressedBy === 'patient');
		for (const title of [
			'Ha penger til mat hele måneden',
			'Besøke søsteren min hver søndag',
			'Komme meg ut av huset hver dag'
		]) {
			expect(his.find((g) => g.title === title)?.createdBy, title).toBe(refs.people.patient);
		}
	});

	test('ACT measures get the ACT person when one is given, and stay unassigned otherwise', () => {
		const { plan } = filled();
		const act = listAllMeasures(plan).filter((m) => m.serviceId === refs.services.act);
		expect(act.length).toBeGreaterThan(0);
		expect(act.every((m) => m.personId === null)).toBe(true);
		const withAct = new Y.Doc();
		fillDemoPlan(
			{ plan: withAct, crisis: new Y.Doc(), voice: new Y.Doc() },
			{ ...refs, people: { ...refs.people, act: 'u-act' } }
		);
		expect(
			listAllMeasures(withAct)
				.filter((m) => m.serviceId === refs.services.act)
				.every((m) => m.personId === 'u-act')
		).toBe(true);
	});

	test('refuses to write into documents that already have content', () => {
		const { plan, crisis, voice } = filled();
		const before = [plan, crisis, voice].map((d) => Y.encodeStateAsUpdate(d));
		expect(fillDemoPlan({ plan, crisis, voice }, refs, 'seed')).toBe(false);
		expect([plan, crisis, voice].map((d) => Y.encodeStateAsUpdate(d))).toEqual(before);
	});
});
