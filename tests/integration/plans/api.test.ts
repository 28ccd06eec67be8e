import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { auditEvents, planMembers, plans, users } from '../../../src/lib/server/db/schema';
import type { SessionUser } from '../../../src/lib/server/auth/session';
import { POST } from '../../../src/routes/api/plans/+server';
import { createUser, type TestUser } from '../collab/fixtures';
import { createService, createStaff, sessionUser, uniqueName } from './fixtures';

describe.each(engines)('POST /api/plans on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let municipal: string;
	let coordinator: SessionUser;
	let outsider: SessionUser;
	let admin: SessionUser;

	beforeAll(async () => {
		municipal = await createService(db(), { level: 'municipal' });
		const specialist = await createService(db(), { level: 'specialist', kind: 'dps' });
		coordinator = await sessionUser(db(), await createStaff(db(), [municipal]));
		outsider = await sessionUser(db(), await createStaff(db(), [specialist]));
		admin = await sessionUser(db(), await createStaff(db(), [], { isAdmin: true }));
	});

	/** The endpoint as SvelteKit calls it (the Origin check runs before it, in the hooks). */
	async function post(user: SessionUser | null, body: unknown, opts: { raw?: string; type?: string } = {}) {
		const request = new Request('http://app.test/api/plans', {
			method: 'POST',
			headers: { 'content-type': opts.type ?? 'application/json' },
			body: opts.raw ?? JSON.stringify(body)
		});
		const response = await POST({ request, locals: { db: db(), user, session: null, engine } } as never);
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}
	const valid = (name = uniqueName('Api Pasient')) => ({
		patient: { name, birthDate: '1988-02-29' },
		title: 'Individuell plan'
	});
	const planCount = async () =>
		(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(plans)
		)[0].n;
	const userCount = async () =>
		(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(users)
		)[0].n;

	it('starts a draft for a new patient with no e-mail: 201 with the id, both seats, and the audit event', async () => {
		const res = await post(coordinator, valid());
		expect(res.status).toBe(201);
		const id = res.body.id as string;
		expect(id).toMatch(/^[a-z0-9]+$/);
		const [plan] = await db().select().from(plans).where(eq(plans.id, id));
		expect(plan).toMatchObject({
			status: 'draft',
			title: 'Individuell plan',
			createdBy: coordinator.id,
			patientId: res.body.patientId
		});
		const seats = await db()
			.select({ role: planMembers.role, userId: planMembers.userId, serviceId: planMembers.serviceId })
			.from(planMembers)
			.where(eq(planMembers.planId, id));
		expect(seats).toHaveLength(2);
		expect(seats).toContainEqual({ role: 'coordinator', userId: coordinator.id, serviceId: municipal });
		expect(seats).toContainEqual({ role: 'patient', userId: res.body.patientId, serviceId: null });
		const [event] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.planId, id), eq(auditEvents.action, 'plan.started')));
		expect(event).toMatchObject({
			actorId: coordinator.id,
			target: res.body.patientId,
			detail: { patientCreated: true, via: 'api' }
		});
		// Ids only in the log: no name, no date of birth.
		expect(JSON.stringify(event.detail)).not.toContain('Api Pasient');
	});

	it('lets an administrator outside any service start one, as its (not yet municipal) coordinator', async () => {
		const res = await post(admin, {
			...valid(),
			periodStart: '2026-01-01',
			periodEnd: '2026-12-31',
			revisionDate: '2026-06-01'
		});
		expect(res.status).toBe(201);
		const [seat] = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, res.body.id as string), eq(planMembers.role, 'coordinator')));
		expect(seat).toMatchObject({ userId: admin.id, serviceId: null });
	});

	it('answers 409 for the same name and date of birth, listing them, and starts only when told who it is', async () => {
		const name = uniqueName('Dobbel Person');
		const first = await post(coordinator, valid(name));
		const before = [await planCount(), await userCount()];
		const again = await post(coordinator, valid(name.toLowerCase()));
		expect(again.status).toBe(409);
		expect(again.body).toMatchObject({
			error: 'same_patient_exists',
			candidates: [{ id: first.body.patientId, name, birthDate: '1988-02-29', hasOpenPlan: true }]
		});
		expect(again.body.message).toMatch(/confirmDistinct/);
		expect([await planCount(), await userCount()]).toEqual(before);

		const existing = await post(coordinator, { patient: { id: first.body.patientId }, title: 'Plan nummer to' });
		expect(existing.status).toBe(201);
		expect(existing.body).toMatchObject({ patientId: first.body.patientId, patientHasOtherOpenPlan: true });
		const distinct = await post(coordinator, { ...valid(name), confirmDistinct: true });
		expect(distinct.status).toBe(201);
		expect(distinct.body.patientId).not.toBe(first.body.patientId);
	});

	const refusals: [string, unknown, number, string | undefined][] = [
		['an unknown field', { ...valid(), colour: 'blue' }, 400, 'colour'],
		[
			'an unknown patient field',
			{ ...valid(), patient: { name: 'X', birthDate: '1990-01-01', ssn: '1' } },
			400,
			'patient.ssn'
		],
		['a wrong type', { ...valid(), title: 42 }, 400, 'title'],
		['a wrong date', { ...valid(), patient: { name: 'X', birthDate: '1990-02-30' } }, 400, 'patient.birthDate'],
		['a birth date ahead', { ...valid(), patient: { name: 'X', birthDate: '2999-01-01' } }, 400, 'patient.birthDate'],
		[
			'a bad e-mail',
			{ ...valid(), patient: { name: 'X', birthDate: '1990-01-01', email: 'not-an-address' } },
			400,
			'patient.email'
		],
		['a non-boolean confirmDistinct', { ...valid(), confirmDistinct: 'yes' }, 400, 'confirmDistinct'],
		['a missing title', { patient: valid().patient }, 400, 'title'],
		['a missing patient', { title: 'Plan' }, 400, 'patient'],
		['a missing name', { title: 'Plan', patient: { birthDate: '1990-01-01' } }, 400, 'patient.name'],
		['an id mixed with details', { title: 'Plan', patient: { id: 'abc', name: 'X' } }, 400, 'patient.name'],
		[
			'a period ending before it starts',
			{ ...valid(), periodStart: '2026-05-01', periodEnd: '2026-04-01' },
			400,
			'periodEnd'
		],
		['a service the caller is not in', { ...valid(), serviceId: 'elsewhere' }, 400, 'serviceId'],
		['a patient id that is no patient', { title: 'Plan', patient: { id: 'no-such-person' } }, 400, 'patient.id']
	];
	it.each(refusals)('refuses %s with %i naming the field, writing nothing', async (_what, body, status, field) => {
		const before = [await planCount(), await userCount()];
		const res = await post(coordinator, body);
		expect(res.status).toBe(status);
		expect(res.body.field).toBe(field);
		expect(res.body.message).toContain(field);
		expect([await planCount(), await userCount()]).toEqual(before);
	});

	it('refuses a body too large, not JSON, or not an object', async () => {
		const big = await post(coordinator, { ...valid(), title: 'x'.repeat(20_000) });
		expect(big).toMatchObject({ status: 413, body: { error: 'too_large' } });
		expect((await post(coordinator, null, { raw: '{"title":' })).status).toBe(400);
		expect((await post(coordinator, null, { raw: '[]' })).status).toBe(400);
		expect((await post(coordinator, null, { raw: 'title=x', type: 'application/x-www-form-urlencoded' })).status).toBe(
			415
		);
	});

	it('refuses an e-mail that belongs to an account with 409', async () => {
		const someone: TestUser = await createUser(db());
		const res = await post(coordinator, {
			...valid(),
			patient: { name: uniqueName('Epost'), birthDate: '1990-01-01', email: `${someone.id}@EXAMPLE.test` }
		});
		expect(res).toMatchObject({ status: 409, body: { error: 'email_in_use', field: 'patient.email' } });
	});

	it('refuses those who may not start plans (403, logged) and those not logged in (401)', async () => {
		const before = await planCount();
		const res = await post(outsider, valid());
		expect(res).toMatchObject({ status: 403, body: { error: 'forbidden' } });
		const [denied] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.actorId, outsider.id), eq(auditEvents.action, 'plan.denied')));
		expect(denied).toBeTruthy();
		expect((await post(null, valid())).status).toBe(401);
		const patient = await sessionUser(db(), await createUser(db(), { kind: 'patient' }));
		expect((await post(patient, valid())).status).toBe(403);
		expect(await planCount()).toBe(before);
	});
});
