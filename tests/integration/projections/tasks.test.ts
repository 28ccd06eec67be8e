/**
 * The lists across plans and `GET /api/tasks`, on the demo municipality: access and consent are checked when a
 * list is read, so a withdrawn consent takes that plan's rows off at once, without any re-projection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import type { Db } from '../../../src/lib/server/db';
import { auditEvents, consents, planMembers, users } from '../../../src/lib/server/db/schema';
import { withdrawConsent } from '../../../src/lib/server/consent';
import { coordinatorOverview, myTasks, projectStale, serviceTasks } from '../../../src/lib/server/projections';
import { GET as getTasks } from '../../../src/routes/api/tasks/+server';

async function api(db: Db, userId: string | null, query: string): Promise<Response> {
	const user = userId
		? (
				await db
					.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
					.from(users)
					.where(eq(users.id, userId))
			)[0]
		: null;
	const url = new URL(`http://localhost/api/tasks${query}`);
	return getTasks({
		url,
		request: new Request(url),
		params: {},
		locals: { db, user, engine: 'pglite', session: null }
	} as never);
}

const TASK_KEYS = ['dueDate', 'measureId', 'personId', 'planId', 'serviceId', 'status', 'title'];
const NOW = new Date('2026-11-22T12:00:00Z');

describe.each(engines)('lists across plans on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;

	beforeAll(async () => {
		demo = await seedDemo(db());
		expect(await projectStale(db())).toBe(2);
	});

	it('Mine oppgaver: NAV’s open measures from both plans, overdue first; the service list and what waits for its answer', async () => {
		const mine = await myTasks(db(), demo.userIds.nav, NOW);
		expect(new Set(mine.map((t) => t.planId))).toEqual(new Set([demo.planId, demo.secondPlanId]));
		expect(
			mine.every(
				(t) => t.personId === demo.userIds.nav && ['requested', 'accepted', 'in_progress', 'on_hold'].includes(t.status)
			)
		).toBe(true);
		expect(mine[0]).toMatchObject({
			title: 'Søknad om arbeidsavklaringspenger (AAP)',
			overdue: true,
			planTitle: 'Individuell plan for Amira',
			patientName: 'Amira Haddad',
			serviceName: 'NAV Fjordvik',
			personName: 'Ahmed Karimi'
		});
		const firstNotOverdue = mine.findIndex((t) => !t.overdue);
		expect(mine.slice(firstNotOverdue).every((t) => !t.overdue)).toBe(true);

		const service = await serviceTasks(db(), demo.userIds.nav, NOW);
		expect(service.services.map((s) => s.name)).toEqual(['NAV Fjordvik']);
		expect(service.owned.every((t) => t.serviceId === demo.serviceIds.nav)).toBe(true);
		expect(service.awaitingAnswer.map((t) => t.title).sort()).toEqual(
			['Kartlegge gjeld og sette opp et budsjett', 'Søke om arbeidsforberedende trening (AFT) med IPS-veileder'].sort()
		);
		// A staff member outside every group sees nothing of either plan.
		expect(await myTasks(db(), demo.userIds.outsider, NOW)).toEqual([]);
		expect((await serviceTasks(db(), demo.userIds.outsider, NOW)).owned).toEqual([]);
	});

	it('the coordinator’s overview: a plan past its revision date, a measure with no person, a declined measure', async () => {
		const o = await coordinatorOverview(db(), demo.userIds.coordinator, NOW);
		expect(o.planIds.sort()).toEqual([demo.planId, demo.secondPlanId].sort());
		expect(o.revisionOverdue.map((p) => p.planId)).toEqual([demo.secondPlanId]);
		expect(o.noPerson.map((t) => t.title)).toContain('Praktisk bistand i hjemmet én gang i uka');
		expect(o.noPerson.every((t) => t.personId === null)).toBe(true);
		expect(o.declined.map((t) => t.status)).toEqual(['rejected']);
		expect(o.declined[0].statusReason).not.toBe('');
		// Proposed measures no service has answered: NAV's two in both plans are among them, and nothing else is.
		expect(o.unanswered.map((t) => t.title)).toEqual(
			expect.arrayContaining([
				'Kartlegge gjeld og sette opp et budsjett',
				'Søke om arbeidsforberedende trening (AFT) med IPS-veileder'
			])
		);
		expect(o.unanswered.every((t) => t.status === 'requested')).toBe(true);
		// NAV coordinates nothing.
		expect((await coordinatorOverview(db(), demo.userIds.nav, NOW)).planIds).toEqual([]);
	});

	it('GET /api/tasks: 401 and 400 in JSON, the seven fields per task, and every read audited per plan', async () => {
		const anonymous = await api(db(), null, '?scope=mine');
		expect(anonymous.status).toBe(401);
		expect(await anonymous.json()).toMatchObject({ error: 'unauthenticated' });
		for (const q of ['', '?scope=everything', '?scope=MINE']) {
			const bad = await api(db(), demo.userIds.nav, q);
			expect(bad.status, q).toBe(400);
			expect(await bad.json()).toMatchObject({ error: 'bad_request', field: 'scope' });
		}
		const before = (
			await db()
				.select()
				.from(auditEvents)
				.where(and(eq(auditEvents.actorId, demo.userIds.nav), eq(auditEvents.action, 'plan.read')))
		).length;
		const res = await api(db(), demo.userIds.nav, '?scope=mine');
		expect(res.status).toBe(200);
		const tasks = (await res.json()) as Array<Record<string, unknown>>;
		expect(tasks.length).toBeGreaterThan(3);
		for (const t of tasks) expect(Object.keys(t).sort()).toEqual(TASK_KEYS);
		expect(tasks.every((t) => t.personId === demo.userIds.nav)).toBe(true);
		const reads = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.actorId, demo.userIds.nav), eq(auditEvents.action, 'plan.read')));
		expect(reads.length - before).toBe(2);

		const service = (await (await api(db(), demo.userIds.nav, '?scope=service')).json()) as Array<
			Record<string, unknown>
		>;
		expect(service.every((t) => t.serviceId === demo.serviceIds.nav)).toBe(true);
		const coordinator = (await (await api(db(), demo.userIds.coordinator, '?scope=coordinator')).json()) as Array<
			Record<string, unknown>
		>;
		expect(coordinator.some((t) => t.personId === null && t.title === 'Praktisk bistand i hjemmet én gang i uka')).toBe(
			true
		);
		expect(coordinator.some((t) => t.status === 'rejected')).toBe(true);
		expect(await (await api(db(), demo.userIds.nav, '?scope=coordinator')).json()).toEqual([]);
	});

	it('withdrawing consent takes that plan’s rows off every list at once; an ended seat too', async () => {
		const [navConsent] = await db()
			.select()
			.from(consents)
			.where(and(eq(consents.planId, demo.secondPlanId), eq(consents.granteeUserId, demo.userIds.nav)));
		expect(await withdrawConsent(db(), demo.secondPlanId, navConsent.id, demo.userIds.coordinator)).toMatchObject({
			ok: true
		});
		const mine = await myTasks(db(), demo.userIds.nav);
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.every((t) => t.planId === demo.planId)).toBe(true);
		expect((await serviceTasks(db(), demo.userIds.nav)).owned.every((t) => t.planId === demo.planId)).toBe(true);
		const json = (await (await api(db(), demo.userIds.nav, '?scope=mine')).json()) as Array<{ planId: string }>;
		expect(json.every((t) => t.planId === demo.planId)).toBe(true);

		// The substance-use counsellor's seat ends: her list empties.
		expect((await myTasks(db(), demo.userIds.substance_use)).length).toBe(1);
		await db()
			.update(planMembers)
			.set({ endedAt: new Date(Date.now() - 1000) })
			.where(and(eq(planMembers.planId, demo.secondPlanId), eq(planMembers.userId, demo.userIds.substance_use)));
		expect(await myTasks(db(), demo.userIds.substance_use)).toEqual([]);
	});
});
