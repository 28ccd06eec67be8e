import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { planMembers, plans, users } from '../../../src/lib/server/db/schema';
import { planStarter } from '../../../src/lib/server/plans/starters';
import { findSamePatient } from '../../../src/lib/server/plans/same-patient';
import {
	EmailInUse,
	SamePatientExists,
	startPlan,
	UnknownPatient,
	type NewPatient,
	type StartPlanInput
} from '../../../src/lib/server/plans/start';
import { createUser, type TestUser } from '../collab/fixtures';
import { createService, createStaff, sessionUser, uniqueName } from './fixtures';

const person = (name: string, extra: Partial<NewPatient> = {}): NewPatient => ({
	name,
	birthDate: '1994-05-17',
	phone: null,
	email: null,
	guardianActs: false,
	...extra
});
const input = (patient: StartPlanInput['patient'], serviceId: string | null): StartPlanInput => ({
	patient,
	title: 'Individuell plan',
	periodStart: null,
	periodEnd: null,
	revisionDate: null,
	serviceId
});

describe.each(engines)('starting a plan on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let municipal: string;
	let specialist: string;
	let coordinator: TestUser;

	beforeAll(async () => {
		municipal = await createService(db(), { level: 'municipal', name: 'Psykisk helseteam' });
		specialist = await createService(db(), { level: 'specialist', kind: 'dps', name: 'DPS' });
		coordinator = await createStaff(db(), [municipal], { name: 'Koordinator Kari' });
	});

	const counts = async () => {
		const [u] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(users);
		const [p] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(plans);
		const [s] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(planMembers);
		return { users: u.n, plans: p.n, seats: s.n };
	};

	it('lets staff of a municipal service and administrators start plans, and nobody else', async () => {
		const dps = await createStaff(db(), [specialist]);
		const admin = await createStaff(db(), [], { isAdmin: true });
		const patient = await createUser(db(), { kind: 'patient' });
		expect(await planStarter(db(), await sessionUser(db(), coordinator))).toEqual({
			allowed: true,
			services: [{ id: municipal, name: 'Psykisk helseteam' }]
		});
		expect((await planStarter(db(), await sessionUser(db(), dps))).allowed).toBe(false);
		expect(await planStarter(db(), await sessionUser(db(), admin))).toEqual({ allowed: true, services: [] });
		expect((await planStarter(db(), await sessionUser(db(), patient))).allowed).toBe(false);
	});

	it('registers a patient without e-mail or password and starts a draft with the starter as coordinator', async () => {
		const name = uniqueName('Nora Nilsen');
		const started = await startPlan(db(), coordinator.id, {
			...input(
				{ kind: 'new', person: person(name, { phone: '900 11 222', guardianActs: true }), distinctFrom: [] },
				municipal
			),
			periodStart: '2026-01-01',
			periodEnd: '2026-12-31'
		});
		expect(started.patientCreated).toBe(true);
		expect(started.hadOpenPlan).toBe(false);
		const [patient] = await db().select().from(users).where(eq(users.id, started.patientId));
		expect(patient).toMatchObject({
			name,
			kind: 'patient',
			email: null,
			passwordHash: null,
			birthDate: '1994-05-17',
			phone: '900 11 222',
			guardianActs: true
		});
		const [plan] = await db().select().from(plans).where(eq(plans.id, started.planId));
		expect(plan).toMatchObject({
			status: 'draft',
			patientId: started.patientId,
			createdBy: coordinator.id,
			title: 'Individuell plan',
			periodStart: '2026-01-01',
			periodEnd: '2026-12-31',
			revisionDate: null
		});
		const seats = await db().select().from(planMembers).where(eq(planMembers.planId, started.planId));
		expect(
			seats
				.map((s) => ({
					userId: s.userId,
					role: s.role,
					access: s.access,
					serviceId: s.serviceId,
					addedBy: s.addedBy,
					endedAt: s.endedAt
				}))
				.sort((a, b) => a.role.localeCompare(b.role))
		).toEqual([
			{
				userId: coordinator.id,
				role: 'coordinator',
				access: 'write',
				serviceId: municipal,
				addedBy: coordinator.id,
				endedAt: null
			},
			{
				userId: started.patientId,
				role: 'patient',
				access: 'write',
				serviceId: null,
				addedBy: coordinator.id,
				endedAt: null
			}
		]);
	});

	it('stops at a patient with the same name and date of birth, writing nothing, until the starter says who it is', async () => {
		const name = uniqueName('Jonas Berg');
		const first = await startPlan(
			db(),
			coordinator.id,
			input({ kind: 'new', person: person(name), distinctFrom: [] }, municipal)
		);
		const before = await counts();
		// Case and extra spaces do not make another person.
		const typed = person(`  ${name.toUpperCase().replace(' ', '   ')} `.trim());
		const refused = await startPlan(
			db(),
			coordinator.id,
			input({ kind: 'new', person: typed, distinctFrom: [] }, municipal)
		).catch((e) => e);
		expect(refused).toBeInstanceOf(SamePatientExists);
		expect((refused as SamePatientExists).candidates).toEqual([
			{
				id: first.patientId,
				name,
				birthDate: '1994-05-17',
				hasOpenPlan: true,
				visiblePlans: [{ id: first.planId, title: 'Individuell plan' }]
			}
		]);
		expect(await counts()).toEqual(before);

		// Another date of birth is another person.
		const other = await startPlan(
			db(),
			coordinator.id,
			input({ kind: 'new', person: person(name, { birthDate: '1994-05-18' }), distinctFrom: [] }, municipal)
		);
		expect(other.patientCreated).toBe(true);

		// "It is someone else" counts only for the people the starter was shown.
		await expect(
			startPlan(db(), coordinator.id, input({ kind: 'new', person: typed, distinctFrom: ['someone-else'] }, municipal))
		).rejects.toBeInstanceOf(SamePatientExists);
		const distinct = await startPlan(
			db(),
			coordinator.id,
			input({ kind: 'new', person: person(name), distinctFrom: [first.patientId] }, municipal)
		);
		expect(distinct.patientCreated).toBe(true);
		expect(distinct.patientId).not.toBe(first.patientId);
		// Now there are two; a choice about one of them is not enough.
		await expect(
			startPlan(
				db(),
				coordinator.id,
				input({ kind: 'new', person: person(name), distinctFrom: [first.patientId] }, municipal)
			)
		).rejects.toBeInstanceOf(SamePatientExists);

		// The same person: a second plan for the registered patient, and it says they had one already.
		const again = await startPlan(db(), coordinator.id, input({ kind: 'existing', id: first.patientId }, municipal));
		expect(again).toMatchObject({ patientId: first.patientId, patientCreated: false, hadOpenPlan: true });
	});

	it('says an open plan exists without naming plans the starter may not see', async () => {
		const name = uniqueName('Ola Hansen');
		const theirs = await startPlan(
			db(),
			coordinator.id,
			input({ kind: 'new', person: person(name), distinctFrom: [] }, municipal)
		);
		const colleague = await createStaff(db(), [municipal]);
		const seen = await findSamePatient(db(), person(name), colleague.id);
		expect(seen).toEqual([
			{ id: theirs.patientId, name, birthDate: '1994-05-17', hasOpenPlan: true, visiblePlans: [] }
		]);
		// Once closed, it is no longer an open plan.
		await db().update(plans).set({ status: 'closed' }).where(eq(plans.id, theirs.planId));
		expect((await findSamePatient(db(), person(name), colleague.id))[0].hasOpenPlan).toBe(false);
	});

	it('refuses an e-mail that belongs to an account, and a chosen person who is not a patient, writing nothing', async () => {
		const before = await counts();
		const [staff] = await db().select({ email: users.email }).from(users).where(eq(users.id, coordinator.id));
		await expect(
			startPlan(
				db(),
				coordinator.id,
				input(
					{
						kind: 'new',
						person: person(uniqueName('Per Post'), { email: staff.email!.toUpperCase() }),
						distinctFrom: []
					},
					municipal
				)
			)
		).rejects.toBeInstanceOf(EmailInUse);
		await expect(
			startPlan(db(), coordinator.id, input({ kind: 'existing', id: coordinator.id }, municipal))
		).rejects.toBeInstanceOf(UnknownPatient);
		await expect(
			startPlan(db(), coordinator.id, input({ kind: 'existing', id: 'nobody' }, municipal))
		).rejects.toBeInstanceOf(UnknownPatient);
		expect(await counts()).toEqual(before);
	});

	it('writes nothing when a later insert fails (one transaction)', async () => {
		const before = await counts();
		// A service that does not exist breaks the coordinator seat's foreign key after the patient and plan rows.
		await expect(
			startPlan(
				db(),
				coordinator.id,
				input({ kind: 'new', person: person(uniqueName('Halv Skrevet')), distinctFrom: [] }, 'no-such-service')
			)
		).rejects.toThrow();
		expect(await counts()).toEqual(before);
		const [left] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(users)
			.where(and(eq(users.kind, 'patient'), sql`${users.name} like 'Halv Skrevet%'`));
		expect(left.n).toBe(0);
	});
});
