/**
 * Issue 7: consent is recorded and withdrawn as live data by the patient, a guardian for them or the coordinator;
 * it takes effect at once, and its history is kept. Against the demo plan on both engines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { listPlansForUser, planAccess } from '../../../src/lib/server/access/plans';
import { auditEvents, consents, planMembers, users } from '../../../src/lib/server/db/schema';
import {
	ConsentRefused,
	consentGrantees,
	consentProblems,
	giversFor,
	listConsents,
	mayManageConsent,
	recordConsent,
	withdrawConsent,
	type ConsentRequest
} from '../../../src/lib/server/consent';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify';
import { addMember, createPlan, createUser } from '../collab/fixtures';

const grant = (over: Partial<ConsentRequest>): ConsentRequest => ({
	kind: 'access',
	grantee: null,
	scopes: ['plan'],
	from: null,
	until: null,
	givenBy: 'patient',
	reviewDate: null,
	note: null,
	...over
});

describe.each(engines)('recording and withdrawing consent on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	const db = () => testDb().db;
	const access = async (who: string, now?: Date) => (await planAccess(db(), demo.userIds[who], demo.planId, now))!;
	const userOf = async (who: string) => (await db().select().from(users).where(eq(users.id, demo.userIds[who])))[0];
	const giversOf = async (who: string) =>
		giversFor(await access(who), (await consentGrantees(db(), demo.planId)).patientHasGuardian);
	const consentOf = async (who: string) =>
		(
			await db()
				.select()
				.from(consents)
				.where(and(eq(consents.planId, demo.planId), eq(consents.granteeUserId, demo.userIds[who])))
		)[0];
	const consentCount = async () =>
		(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(consents)
		)[0].n;

	beforeAll(async () => {
		demo = await seedDemo(db());
	});

	it('lets the patient and the coordinator manage consent, and nobody else in the group', async () => {
		for (const who of ['patient', 'coordinator'])
			expect(mayManageConsent(await access(who), await userOf(who))).toBe(true);
		for (const who of ['nav', 'gp', 'dps', 'sister'])
			expect(mayManageConsent(await access(who), await userOf(who))).toBe(false);
		// The administrator has no seat in the plan: no access to manage, either.
		expect(mayManageConsent(await planAccess(db(), demo.userIds.admin, demo.planId), await userOf('admin'))).toBe(
			false
		);
		// The patient records their own decision; the coordinator writes down the patient's, or that they cannot decide now.
		expect(await giversOf('patient')).toEqual(['patient']);
		expect(await giversOf('coordinator')).toEqual(['patient', 'staff_capacity']);
	});

	it('lists the sister’s grant as the crisis plan and meetings, given by the patient and recorded by the coordinator', async () => {
		const records = await listConsents(db(), demo.planId);
		const sister = records.find((r) => r.grantee?.type === 'user' && r.grantee.id === demo.userIds.sister)!;
		expect(sister).toMatchObject({
			kind: 'access',
			scopes: ['crisis', 'meetings'],
			fromDay: '2026-10-20',
			untilDay: null,
			givenBy: 'patient',
			recordedBy: { id: demo.userIds.coordinator, name: 'Ingrid Solberg' },
			state: 'live',
			grantee: { type: 'user', name: 'Silje Berg', role: 'relative', serviceName: null }
		});
		const nav = records.find((r) => r.grantee?.type === 'user' && r.grantee.id === demo.userIds.nav)!;
		expect(nav.grantee).toMatchObject({ name: 'Ahmed Karimi', serviceName: 'NAV Fjordvik' });
		expect(records.filter((r) => r.kind === 'plan')).toHaveLength(1);
	});

	it('withdraws at once: access ends, the plan leaves the list, the row stays as history, and it is logged', async () => {
		const navConsent = await consentOf('nav');
		// NAV's adviser is in both demo plans; only this one's consent is withdrawn.
		expect((await listPlansForUser(db(), demo.userIds.nav)).map((p) => p.id).sort()).toEqual(
			[demo.planId, demo.secondPlanId].sort()
		);
		const outcome = await withdrawConsent(db(), demo.planId, navConsent.id, demo.userIds.patient);
		expect(outcome).toMatchObject({ ok: true, granteeUserId: demo.userIds.nav });

		expect((await planAccess(db(), demo.userIds.nav, demo.planId))?.scopes.size).toBe(0);
		expect((await listPlansForUser(db(), demo.userIds.nav)).map((p) => p.id)).toEqual([demo.secondPlanId]);
		const row = await consentOf('nav');
		expect(row).toMatchObject({
			id: navConsent.id,
			scopes: navConsent.scopes,
			validFrom: navConsent.validFrom,
			withdrawnBy: demo.userIds.patient
		});
		expect(row.withdrawnAt).toBeInstanceOf(Date);
		const listed = (await listConsents(db(), demo.planId)).find((r) => r.id === navConsent.id);
		expect(listed).toMatchObject({ state: 'withdrawn', withdrawnBy: { name: 'Jonas Berg' } });

		const [audit] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'consent.withdrawn'), eq(auditEvents.target, navConsent.id)));
		expect(audit).toMatchObject({
			actorId: demo.userIds.patient,
			planId: demo.planId,
			detail: { kind: 'access', granteeUserId: demo.userIds.nav, granteeServiceId: null }
		});

		// Once is enough; another plan's id does not reach it.
		expect(await withdrawConsent(db(), demo.planId, navConsent.id, demo.userIds.patient)).toEqual({
			ok: false,
			reason: 'already_withdrawn'
		});
		const other = await createPlan(db());
		expect(await withdrawConsent(db(), other.planId, navConsent.id, other.patient.id)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await withdrawConsent(db(), demo.planId, 'no-such-consent', demo.userIds.patient)).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('records a new grant that opens exactly its scopes, and logs it', async () => {
		const id = await recordConsent(
			db(),
			demo.planId,
			demo.userIds.patient,
			grant({ grantee: { userId: demo.userIds.nav }, scopes: ['crisis'] }),
			{ givers: ['patient'] }
		);
		const nav = await access('nav');
		// NAV sees the crisis plan now, and only reads it: it is written by the patient, the coordinator and clinical staff.
		expect(nav.docs).toEqual({ plan: 'none', crisis: 'read', voice: 'none' });
		// NAV's adviser is in both demo plans; only this one's consent is withdrawn.
		expect((await listPlansForUser(db(), demo.userIds.nav)).map((p) => p.id).sort()).toEqual(
			[demo.planId, demo.secondPlanId].sort()
		);
		const [audit] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'consent.recorded'), eq(auditEvents.target, id)));
		expect(audit).toMatchObject({
			actorId: demo.userIds.patient,
			planId: demo.planId,
			detail: { kind: 'access', granteeUserId: demo.userIds.nav, scopes: ['crisis'], givenBy: 'patient' }
		});
		// Both the withdrawn grant and the new one are listed; nothing was overwritten.
		const mine = (await listConsents(db(), demo.planId)).filter(
			(r) => r.grantee?.type === 'user' && r.grantee.id === demo.userIds.nav
		);
		expect(mine.map((r) => r.state).sort()).toEqual(['live', 'withdrawn']);
	});

	it('a grant to a whole service covers its members in the group', async () => {
		const housing = await consentOf('housing');
		await withdrawConsent(db(), demo.planId, housing.id, demo.userIds.coordinator);
		expect((await access('housing')).scopes.size).toBe(0);
		await recordConsent(
			db(),
			demo.planId,
			demo.userIds.coordinator,
			grant({ grantee: { serviceId: demo.serviceIds.housing }, scopes: ['plan', 'meetings'] }),
			{
				givers: await giversOf('coordinator')
			}
		);
		expect([...(await access('housing')).scopes].sort()).toEqual(['meetings', 'plan']);
		const listed = (await listConsents(db(), demo.planId)).find((r) => r.grantee?.type === 'service');
		expect(listed?.grantee).toMatchObject({ type: 'service', name: 'Boligkontoret' });
	});

	it('refuses grantees outside the group, those who see all already, and services without a member; nothing is written', async () => {
		const before = await consentCount();
		const givers = await giversOf('coordinator');
		const problems = async (req: ConsentRequest) => consentProblems(db(), demo.planId, req, { givers });
		expect(await problems(grant({ grantee: { userId: demo.userIds.outsider } }))).toEqual([
			{ field: 'grantee', code: 'not_member' }
		]);
		expect(await problems(grant({ grantee: { userId: demo.userIds.coordinator } }))).toEqual([
			{ field: 'grantee', code: 'sees_all' }
		]);
		expect(await problems(grant({ grantee: { serviceId: demo.serviceIds.home_care } }))).toEqual([
			{ field: 'grantee', code: 'service_not_in_group' }
		]);
		expect(await problems(grant({ grantee: null, scopes: [] }))).toEqual([
			{ field: 'grantee', code: 'required' },
			{ field: 'scopes', code: 'required' }
		]);
		await expect(
			recordConsent(
				db(),
				demo.planId,
				demo.userIds.coordinator,
				grant({ grantee: { userId: demo.userIds.outsider } }),
				{ givers }
			)
		).rejects.toBeInstanceOf(ConsentRefused);
		// A member whose seat has ended is not in the group any more.
		await db()
			.update(planMembers)
			.set({ endedAt: new Date(Date.now() - 1000) })
			.where(and(eq(planMembers.planId, demo.planId), eq(planMembers.userId, demo.userIds.act)));
		expect(await problems(grant({ grantee: { userId: demo.userIds.act } }))).toEqual([
			{ field: 'grantee', code: 'not_member' }
		]);
		expect(await consentCount()).toBe(before);
	});

	it('checks who gave it: the patient cannot record a guardian’s or staff’s decision; staff need a review date ahead', async () => {
		const nav = { userId: demo.userIds.nav };
		const now = new Date('2026-11-22T12:00:00Z');
		expect(
			await consentProblems(
				db(),
				demo.planId,
				grant({ grantee: nav, givenBy: 'staff_capacity', reviewDate: '2027-01-10' }),
				{ givers: ['patient'], now }
			)
		).toEqual([{ field: 'givenBy', code: 'not_allowed' }]);
		const staff = await giversOf('coordinator');
		expect(
			await consentProblems(db(), demo.planId, grant({ grantee: nav, givenBy: 'staff_capacity' }), {
				givers: staff,
				now
			})
		).toEqual([{ field: 'reviewDate', code: 'required' }]);
		expect(
			await consentProblems(
				db(),
				demo.planId,
				grant({ grantee: nav, givenBy: 'staff_capacity', reviewDate: '2026-11-21' }),
				{ givers: staff, now }
			)
		).toEqual([{ field: 'reviewDate', code: 'in_past' }]);
		expect(
			await consentProblems(db(), demo.planId, grant({ grantee: nav, givenBy: null }), { givers: staff, now })
		).toEqual([{ field: 'givenBy', code: 'required' }]);
		expect(
			await consentProblems(db(), demo.planId, grant({ grantee: nav, from: '2026-12-10', until: '2026-12-01' }), {
				givers: staff,
				now
			})
		).toEqual([{ field: 'until', code: 'before_from' }]);
		expect(
			await consentProblems(db(), demo.planId, grant({ grantee: nav, until: '2026-11-21' }), { givers: staff, now })
		).toEqual([{ field: 'until', code: 'in_past' }]);
		// Today is still a valid last day.
		expect(
			await consentProblems(db(), demo.planId, grant({ grantee: nav, until: '2026-11-22' }), { givers: staff, now })
		).toEqual([]);

		const id = await recordConsent(
			db(),
			demo.planId,
			demo.userIds.coordinator,
			grant({ grantee: nav, scopes: ['meetings'], givenBy: 'staff_capacity', reviewDate: '2027-01-10' }),
			{ givers: staff, now }
		);
		const listed = (await listConsents(db(), demo.planId)).find((r) => r.id === id);
		expect(listed).toMatchObject({
			givenBy: 'staff_capacity',
			capacityReviewDate: '2027-01-10',
			recordedBy: { name: 'Ingrid Solberg' }
		});
	});

	it('stores calendar days as Oslo instants: from the start of the first day to the end of the last, across the clock changes', async () => {
		const now = new Date('2027-03-01T12:00:00Z');
		const id = await recordConsent(
			db(),
			demo.planId,
			demo.userIds.patient,
			grant({ grantee: { userId: demo.userIds.gp }, scopes: ['voice'], from: '2027-03-28', until: '2027-10-31' }),
			{
				givers: ['patient'],
				now
			}
		);
		const [row] = await db().select().from(consents).where(eq(consents.id, id));
		// 28 March 2027 begins in winter time (UTC+1); 31 October 2027 ends in winter time again, after a 25-hour day.
		expect(row.validFrom.toISOString()).toBe('2027-03-27T23:00:00.000Z');
		expect(row.validUntil?.toISOString()).toBe('2027-10-31T23:00:00.000Z');
		const listed = (await listConsents(db(), demo.planId, now)).find((r) => r.id === id);
		expect(listed).toMatchObject({ fromDay: '2027-03-28', untilDay: '2027-10-31', state: 'upcoming' });

		// The GP already sees everything through the seeded consent; this one's own window is what is checked.
		const seeded = await consentOf('gp');
		await withdrawConsent(db(), demo.planId, seeded.id, demo.userIds.patient, new Date('2027-03-01T12:00:00Z'));
		const gpAt = async (iso: string) => [...(await access('gp', new Date(iso))).scopes];
		expect(await gpAt('2027-03-27T22:59:59.999Z')).toEqual([]);
		expect(await gpAt('2027-03-27T23:00:00.000Z')).toEqual(['voice']);
		expect(await gpAt('2027-10-31T22:59:59.999Z')).toEqual(['voice']);
		expect(await gpAt('2027-10-31T23:00:00.000Z')).toEqual([]);
		expect(
			(await listConsents(db(), demo.planId, new Date('2027-11-01T00:00:00Z'))).find((r) => r.id === id)?.state
		).toBe('ended');
		// An ended consent has nothing left to withdraw.
		expect(
			await withdrawConsent(db(), demo.planId, id, demo.userIds.patient, new Date('2027-11-02T00:00:00Z'))
		).toEqual({ ok: false, reason: 'ended' });
	});

	it('records the patient’s consent to the plan itself, without a grantee', async () => {
		const staff = await giversOf('coordinator');
		expect(
			await consentProblems(db(), demo.planId, grant({ kind: 'plan', grantee: { userId: demo.userIds.nav } }), {
				givers: staff
			})
		).toEqual([{ field: 'grantee', code: 'not_for_plan' }]);
		const id = await recordConsent(
			db(),
			demo.planId,
			demo.userIds.coordinator,
			grant({ kind: 'plan', scopes: [], note: 'Sagt i møtet' }),
			{ givers: staff }
		);
		const [row] = await db().select().from(consents).where(eq(consents.id, id));
		expect(row).toMatchObject({
			kind: 'plan',
			granteeUserId: null,
			granteeServiceId: null,
			givenBy: 'patient',
			note: 'Sagt i møtet',
			recordedBy: demo.userIds.coordinator
		});
		expect((await listConsents(db(), demo.planId)).filter((r) => r.kind === 'plan' && r.state === 'live')).toHaveLength(
			2
		);
	});

	it('lets a guardian acting for the patient manage consent in the guardian’s own name, and the coordinator record it', async () => {
		const plan = await createPlan(db());
		const guardian = await createUser(db(), { name: 'Verge Vera', kind: 'relative' });
		await addMember(db(), plan.planId, guardian.id, 'guardian', 'write', []);
		// Seats start at the database's clock, in microseconds; a moment later they are surely live.
		const now = new Date(Date.now() + 1000);
		const guardianAccess = (await planAccess(db(), guardian.id, plan.planId, now))!;
		expect(mayManageConsent(guardianAccess, { isAdmin: false })).toBe(true);
		const { patientHasGuardian } = await consentGrantees(db(), plan.planId, now);
		expect(giversFor(guardianAccess, patientHasGuardian)).toEqual(['guardian']);
		expect(giversFor((await planAccess(db(), plan.coordinator.id, plan.planId, now))!, patientHasGuardian)).toEqual([
			'patient',
			'guardian',
			'staff_capacity'
		]);
		// The read-only provider of that plan may not.
		expect(mayManageConsent(await planAccess(db(), plan.reader.id, plan.planId, now), { isAdmin: false })).toBe(false);
		const id = await recordConsent(
			db(),
			plan.planId,
			guardian.id,
			grant({ grantee: { userId: plan.reader.id }, scopes: ['crisis'], givenBy: 'guardian' }),
			{ givers: ['guardian'], now }
		);
		expect((await listConsents(db(), plan.planId, now)).find((r) => r.id === id)).toMatchObject({
			givenBy: 'guardian',
			recordedBy: { name: 'Verge Vera' }
		});
	});

	it('keeps the audit chain whole through all of it', async () => {
		const report = await verifyAuditChain(db());
		expect(report.broken).toBeNull();
		expect(report.checked).toBeGreaterThan(5);
	});
});
