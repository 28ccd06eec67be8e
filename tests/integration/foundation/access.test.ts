import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { docAccess, listPlansForUser } from '../../../src/lib/server/access/plans';
import { loadPlanHeader } from '../../../src/lib/server/plans/header';
import { recordAudit } from '../../../src/lib/server/audit';
import { auditEvents, planMembers } from '../../../src/lib/server/db/schema';

describe.each(engines)('plan access on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	beforeAll(async () => {
		demo = await seedDemo(testDb().db);
	});

	it('lists the plan per role: coordinator writes, sister reads, outsider sees none', async () => {
		const coordinator = await listPlansForUser(testDb().db, demo.userIds.coordinator);
		// She coordinates the second demo plan (Amira's) too; the list is by title.
		expect(coordinator).toEqual([
			{
				id: demo.secondPlanId,
				title: 'Individuell plan for Amira',
				status: 'active',
				patientName: 'Amira Haddad',
				role: 'coordinator',
				access: 'write'
			},
			{
				id: demo.planId,
				title: 'Individuell plan for Jonas',
				status: 'active',
				patientName: 'Jonas Berg',
				role: 'coordinator',
				access: 'write'
			}
		]);
		const sister = await listPlansForUser(testDb().db, demo.userIds.sister);
		expect(sister.map((p) => [p.role, p.access])).toEqual([['relative', 'read']]);
		expect(await listPlansForUser(testDb().db, demo.userIds.outsider)).toEqual([]);
		expect(await listPlansForUser(testDb().db, demo.userIds.admin)).toEqual([]);
	});

	it('gives the patient alone write access to their own voice, and the sister only what her consent covers', async () => {
		const level = async (who: string, doc: string) => (await docAccess(testDb().db, demo.userIds[who], doc)).level;
		const voice = `voice:${demo.planId}`;
		const plan = `plan:${demo.planId}`;
		const crisis = `crisis:${demo.planId}`;
		expect(await level('patient', voice)).toBe('write');
		expect(await level('coordinator', voice)).toBe('read');
		expect(await level('coordinator', plan)).toBe('write');
		expect(await level('nav', plan)).toBe('write');
		expect(await level('sister', plan)).toBe('none');
		expect(await level('sister', voice)).toBe('none');
		expect(await level('sister', crisis)).toBe('read');
		expect(await level('outsider', plan)).toBe('none');
		expect(await level('coordinator', 'plan:nonexistent')).toBe('none');
		expect(await level('coordinator', `other:${demo.planId}`)).toBe('none');
	});

	it('ends access at once when the seat ends', async () => {
		await testDb()
			.db.update(planMembers)
			.set({ endedAt: new Date() })
			.where(and(eq(planMembers.planId, demo.planId), eq(planMembers.userId, demo.userIds.act)));
		expect((await docAccess(testDb().db, demo.userIds.act, `plan:${demo.planId}`)).level).toBe('none');
		expect(await listPlansForUser(testDb().db, demo.userIds.act)).toEqual([]);
		const header = await loadPlanHeader(testDb().db, demo.planId);
		expect(header?.members.map((x) => x.userId)).not.toContain(demo.userIds.act);
	});

	it('loads the plan header with the coordinators and the group in role order', async () => {
		const header = await loadPlanHeader(testDb().db, demo.planId);
		expect(header?.patient.name).toBe('Jonas Berg');
		expect(header?.status).toBe('active');
		expect(header?.members[0].role).toBe('patient');
		const dps = header?.members.find((x) => x.userId === demo.userIds.dps);
		expect(dps).toMatchObject({
			role: 'specialist_coordinator',
			serviceName: 'DPS Fjordvik',
			committedUntil: '2027-03-31'
		});
		expect(await loadPlanHeader(testDb().db, 'missing')).toBeNull();
	});

	it('appends audit events with ids only', async () => {
		await recordAudit(testDb().db, { actorId: demo.userIds.nav, action: 'plan.read', planId: demo.planId });
		const rows = await testDb().db.select().from(auditEvents).where(eq(auditEvents.actorId, demo.userIds.nav));
		expect(rows.at(-1)).toMatchObject({ action: 'plan.read', planId: demo.planId });
		expect(rows.at(-1)?.at).toBeInstanceOf(Date);
	});
});
