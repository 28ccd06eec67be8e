/**
 * Reading the access log: the patient's plain view of one plan and the administrator's filtered view, with
 * names joined from the directory. Both engines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { recordAudit } from '../../../src/lib/server/audit';
import { adminLog, collapseVisits, planLog } from '../../../src/lib/server/audit/views';
import { consents } from '../../../src/lib/server/db/schema';
import { recordConsent, withdrawConsent } from '../../../src/lib/server/consent';
import { logSentence } from '../../../src/lib/i18n/access-log';
import { createPlan, type TestPlan } from '../collab/fixtures';

describe.each(engines)('the access log views on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	let other: TestPlan;
	const db = () => testDb().db;
	const open = async (who: string, parts: string[], planId = demo.planId) => {
		await recordAudit(db(), { actorId: demo.userIds[who], action: 'plan.read', planId, detail: { parts } });
		for (const part of parts)
			await recordAudit(db(), {
				actorId: demo.userIds[who],
				action: 'doc.open',
				planId,
				target: `${part}:${planId}`,
				detail: { access: 'read' }
			});
	};

	beforeAll(async () => {
		demo = await seedDemo(db());
		other = await createPlan(db());
	});

	it('shows the patient the reads that just happened, one line a visit, in plain words, newest first', async () => {
		await open('sister', ['crisis']);
		await open('nav', ['voice', 'plan', 'crisis']);
		const { events, hasMore } = await planLog(db(), demo.planId);
		expect(hasMore).toBe(false);
		expect(events[0]).toMatchObject({
			action: 'doc.open',
			parts: ['crisis'],
			actor: { name: 'Ahmed Karimi', serviceName: 'NAV Fjordvik', role: 'service_provider' }
		});
		const entries = collapseVisits(events);
		expect(entries.slice(0, 2).map((e) => logSentence(e, demo.userIds.patient))).toEqual([
			'Ahmed Karimi (NAV Fjordvik) åpnet planen',
			'Silje Berg (Pårørende) så kriseplanen'
		]);
		expect(entries[0].rows).toBe(4);
		expect(entries[1]).toMatchObject({ rows: 2, parts: ['crisis'] });
		// Another plan's rows never appear here.
		await recordAudit(db(), {
			actorId: other.patient.id,
			action: 'plan.read',
			planId: other.planId,
			detail: { parts: ['plan'] }
		});
		expect((await planLog(db(), demo.planId)).events.every((e) => e.planId === demo.planId)).toBe(true);
	});

	it('names whom a consent or a seat was about', async () => {
		const [navConsent] = await db()
			.select()
			.from(consents)
			.where(and(eq(consents.planId, demo.planId), eq(consents.granteeUserId, demo.userIds.nav)));
		await withdrawConsent(db(), demo.planId, navConsent.id, demo.userIds.patient);
		await recordConsent(
			db(),
			demo.planId,
			demo.userIds.patient,
			{
				kind: 'access',
				grantee: { serviceId: demo.serviceIds.nav },
				scopes: ['crisis'],
				from: null,
				until: null,
				givenBy: 'patient',
				reviewDate: null,
				note: null
			},
			{ givers: ['patient'] }
		);
		await recordAudit(db(), {
			actorId: demo.userIds.coordinator,
			action: 'member.added',
			planId: demo.planId,
			target: demo.userIds.act
		});
		const entries = collapseVisits((await planLog(db(), demo.planId)).events);
		expect(entries.slice(0, 3).map((e) => logSentence(e, demo.userIds.patient))).toEqual([
			'Ingrid Solberg (Psykisk helseteam) la Tone Vik til i ansvarsgruppen',
			'Du registrerte at Alle fra NAV Fjordvik får se kriseplanen',
			'Du trakk tilbake samtykket for Ahmed Karimi'
		]);
		expect(entries[1].subject).toEqual({ type: 'service', id: demo.serviceIds.nav, name: 'NAV Fjordvik' });
	});

	it('pages newest first, without overlap or gaps', async () => {
		const all = (await planLog(db(), demo.planId, { pageSize: 1000 })).events.map((e) => e.id);
		expect(all.length).toBeGreaterThan(6);
		expect([...all].sort((a, b) => b - a)).toEqual(all);
		const seen: number[] = [];
		for (let page = 1; ; page++) {
			const result = await planLog(db(), demo.planId, { page, pageSize: 3 });
			seen.push(...result.events.map((e) => e.id));
			expect(result.page).toBe(page);
			if (!result.hasMore) break;
			expect(result.events).toHaveLength(3);
		}
		expect(seen).toEqual(all);
		expect((await planLog(db(), demo.planId, { page: 0, pageSize: 3 })).page).toBe(1);
	});

	it('filters the administrator’s log by plan, by person (as actor or as the one it concerned) and by time', async () => {
		const byPlan = (await adminLog(db(), { planId: other.planId, pageSize: 500 })).events;
		expect(byPlan.length).toBeGreaterThan(0);
		expect(byPlan.every((e) => e.planId === other.planId)).toBe(true);

		await recordAudit(db(), { actorId: null, action: 'member.ended', planId: demo.planId, target: demo.userIds.gp });
		const byPerson = (await adminLog(db(), { personId: demo.userIds.gp, pageSize: 500 })).events;
		expect(byPerson.map((e) => e.action)).toContain('member.ended');
		expect(byPerson.every((e) => e.actor?.id === demo.userIds.gp || e.target === demo.userIds.gp)).toBe(true);
		const both = (await adminLog(db(), { personId: demo.userIds.nav, planId: demo.planId, pageSize: 500 })).events;
		expect(both.length).toBeGreaterThan(0);
		expect(
			both.every((e) => e.planId === demo.planId && (e.actor?.id === demo.userIds.nav || e.target === demo.userIds.nav))
		).toBe(true);
		// With a plan, the actor is named with their seat there.
		expect(both.find((e) => e.actor?.id === demo.userIds.nav)?.actor).toMatchObject({
			name: 'Ahmed Karimi',
			serviceName: 'NAV Fjordvik'
		});

		const before = new Date(Date.now() - 1);
		await new Promise((r) => setTimeout(r, 5));
		const cut = new Date();
		await new Promise((r) => setTimeout(r, 5));
		await recordAudit(db(), {
			actorId: demo.userIds.dps,
			action: 'plan.read',
			planId: demo.planId,
			detail: { parts: ['plan'] }
		});
		const after = (await adminLog(db(), { from: cut, pageSize: 500 })).events;
		expect(after.map((e) => [e.action, e.actor?.id])).toEqual([['plan.read', demo.userIds.dps]]);
		const untilCut = (await adminLog(db(), { to: cut, pageSize: 500 })).events;
		expect(untilCut.some((e) => e.actor?.id === demo.userIds.dps)).toBe(false);
		expect(untilCut.every((e) => e.at < cut)).toBe(true);
		expect((await adminLog(db(), { from: before, to: cut, personId: demo.userIds.dps })).events).toEqual([]);
	});
});
