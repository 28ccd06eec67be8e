import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan, createUser, grantConsent, type TestPlan } from '../collab/fixtures';
import { createService, createStaff, dayFrom } from './helpers';
import { planMembers, users } from '../../../src/lib/server/db/schema';
import { addSeat, endSeat, handOverSeat, updateSeat } from '../../../src/lib/server/group/seats';
import { loadGroup } from '../../../src/lib/server/group/group';
import { searchDirectory } from '../../../src/lib/server/group/directory';
import { planAccess } from '../../../src/lib/server/access/plans';
import { osloDayEnd, osloDayStart } from '../../../src/lib/server/oslo-day';
import { GroupError } from '../../../src/lib/server/group/errors';

const problem = (p: Promise<unknown>) =>
	p.then(
		() => 'no error',
		(e: unknown) => (e instanceof GroupError ? `${e.problem}${e.field ? ':' + e.field : ''}` : String(e))
	);

describe.each(engines)('the group: adding, changing, ending and handing over seats on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let plan: TestPlan;
	let homeCare: string;
	let nav: string;
	const seatOf = async (userId: string) =>
		(await loadGroup(db(), plan.planId)).members.find((x) => x.userId === userId);

	beforeAll(async () => {
		plan = await createPlan(db());
		homeCare = await createService(db(), { name: 'Hjemmetjenesten', offers: 'Praktisk bistand i hjemmet.' });
		nav = await createService(db(), { name: 'NAV Testvik' });
	});

	it('adds a person from the directory with role, service, access and committed period; they wait for consent', async () => {
		const per = await createStaff(db(), [homeCare], { name: 'Per Hjelper' });
		const until = dayFrom(new Date(), 90);
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: per.id,
			terms: { role: 'service_provider', serviceId: homeCare, access: 'write', committedUntil: until },
			addedBy: plan.coordinator.id
		});
		const card = await seatOf(per.id);
		expect(card).toMatchObject({
			seatId,
			role: 'service_provider',
			access: 'write',
			committedUntil: until,
			startsLater: false,
			awaitingConsent: true,
			invited: false,
			scopes: []
		});
		expect(card?.service).toMatchObject({ name: 'Hjemmetjenesten', offers: 'Praktisk bistand i hjemmet.' });
		expect(card?.title).toBe('Rådgiver');
		// A seat without consent shows nothing of the plan.
		expect((await planAccess(db(), per.id, plan.planId))?.scopes.size).toBe(0);
		await grantConsent(db(), plan.planId, per.id, ['plan', 'meetings']);
		expect(await seatOf(per.id)).toMatchObject({ awaitingConsent: false, scopes: ['plan', 'meetings'] });
	});

	it('refuses a second seat, a service the person does not work in, a coordinator role and an end before the start', async () => {
		const kari = await createStaff(db(), [homeCare]);
		const terms = {
			role: 'service_provider' as const,
			serviceId: homeCare,
			access: 'read' as const,
			committedUntil: null
		};
		await addSeat(db(), { planId: plan.planId, userId: kari.id, terms, addedBy: plan.coordinator.id });
		expect(
			await problem(addSeat(db(), { planId: plan.planId, userId: kari.id, terms, addedBy: plan.coordinator.id }))
		).toBe('seat_taken:userId');

		const ola = await createStaff(db(), [homeCare]);
		expect(
			await problem(
				addSeat(db(), {
					planId: plan.planId,
					userId: ola.id,
					terms: { ...terms, serviceId: nav },
					addedBy: plan.coordinator.id
				})
			)
		).toBe('not_in_service:serviceId');
		expect(
			await problem(
				addSeat(db(), {
					planId: plan.planId,
					userId: ola.id,
					terms: { ...terms, serviceId: 'nope' },
					addedBy: plan.coordinator.id
				})
			)
		).toBe('unknown_service:serviceId');
		expect(
			await problem(
				addSeat(db(), {
					planId: plan.planId,
					userId: ola.id,
					terms: { ...terms, role: 'coordinator' as never },
					addedBy: plan.coordinator.id
				})
			)
		).toBe('role_not_allowed:role');
		expect(
			await problem(
				addSeat(db(), {
					planId: plan.planId,
					userId: ola.id,
					terms: { ...terms, committedUntil: dayFrom(new Date(), -1) },
					addedBy: plan.coordinator.id
				})
			)
		).toBe('before_start:committedUntil');
		expect(
			await problem(addSeat(db(), { planId: 'no-such-plan', userId: ola.id, terms, addedBy: plan.coordinator.id }))
		).toBe('not_found');
		const seats = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, ola.id)));
		expect(seats).toEqual([]);
	});

	it('lets someone without a service in the directory sit for any service, or none', async () => {
		const sister = await createUser(db(), { kind: 'relative' });
		await addSeat(db(), {
			planId: plan.planId,
			userId: sister.id,
			terms: { role: 'relative', serviceId: null, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		expect((await seatOf(sister.id))?.service).toBeNull();
	});

	it('starts a committed period that lies ahead on that morning, Oslo time', async () => {
		const later = await createStaff(db(), [nav]);
		const from = dayFrom(new Date(), 10);
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: later.id,
			terms: { role: 'service_provider', serviceId: nav, access: 'write', from, committedUntil: null },
			addedBy: plan.coordinator.id
		});
		const [row] = await db().select().from(planMembers).where(eq(planMembers.id, seatId));
		expect(row.joinedAt.toISOString()).toBe(osloDayStart(from).toISOString());
		expect(await seatOf(later.id)).toMatchObject({ startsLater: true, from });
		expect(await planAccess(db(), later.id, plan.planId)).toBeNull();
	});

	it('changes role, service, access and committed end, and says what changed', async () => {
		const two = await createStaff(db(), [homeCare, nav]);
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: two.id,
			terms: { role: 'service_provider', serviceId: homeCare, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		const until = dayFrom(new Date(), 30);
		const result = await updateSeat(db(), {
			planId: plan.planId,
			seatId,
			terms: { role: 'observer', serviceId: nav, access: 'write', committedUntil: until }
		});
		expect(result.changed.sort()).toEqual(['access', 'committedUntil', 'role', 'serviceId']);
		expect(await seatOf(two.id)).toMatchObject({
			role: 'observer',
			access: 'write',
			committedUntil: until,
			service: { id: nav }
		});
		expect(
			(
				await updateSeat(db(), {
					planId: plan.planId,
					seatId,
					terms: { role: 'observer', serviceId: nav, access: 'write', committedUntil: until }
				})
			).changed
		).toEqual([]);
		expect(
			await problem(
				updateSeat(db(), {
					planId: plan.planId,
					seatId,
					terms: { role: 'observer', serviceId: 'nope', access: 'write', committedUntil: null }
				})
			)
		).toBe('unknown_service:serviceId');
	});

	it('never changes, ends or hands over the patient’s or the coordinator’s seat here', async () => {
		const [patientSeat] = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.patient.id)));
		const [coordinatorSeat] = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.coordinator.id)));
		expect(await problem(endSeat(db(), { planId: plan.planId, seatId: patientSeat.id }))).toBe('protected_seat:seatId');
		expect(
			await problem(
				updateSeat(db(), {
					planId: plan.planId,
					seatId: coordinatorSeat.id,
					terms: { role: 'observer', serviceId: null, access: 'read', committedUntil: null }
				})
			)
		).toBe('protected_seat:seatId');
		const someone = await createStaff(db(), [nav]);
		expect(
			await problem(
				handOverSeat(db(), {
					planId: plan.planId,
					seatId: coordinatorSeat.id,
					successorId: someone.id,
					serviceId: nav,
					overlapUntil: null,
					committedUntil: null,
					addedBy: plan.coordinator.id
				})
			)
		).toBe('protected_seat:seatId');
		// A seat of another plan is not found through this one.
		const other = await createPlan(db());
		const [otherSeat] = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, other.planId), eq(planMembers.userId, other.reader.id)));
		expect(await problem(endSeat(db(), { planId: plan.planId, seatId: otherSeat.id }))).toBe('not_found:seatId');
	});

	it('ends a seat at once and keeps it as history', async () => {
		const leaving = await createStaff(db(), [nav], { name: 'Lise Slutter' });
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: leaving.id,
			terms: { role: 'service_provider', serviceId: nav, access: 'write', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		await grantConsent(db(), plan.planId, leaving.id, ['plan']);
		expect((await planAccess(db(), leaving.id, plan.planId))?.docs.plan).toBe('write');
		await endSeat(db(), { planId: plan.planId, seatId });
		expect(await planAccess(db(), leaving.id, plan.planId)).toBeNull();
		const group = await loadGroup(db(), plan.planId);
		expect(group.members.some((x) => x.seatId === seatId)).toBe(false);
		expect(group.past.find((x) => x.seatId === seatId)).toMatchObject({
			name: 'Lise Slutter',
			role: 'service_provider',
			successorName: null
		});
		expect(await problem(endSeat(db(), { planId: plan.planId, seatId }))).toBe('not_found:seatId');
	});

	it('hands a seat over with an overlap: both live until the overlap ends, then the history names the successor', async () => {
		const dps = await createService(db(), { name: 'DPS Test', level: 'specialist' });
		const erik = await createStaff(db(), [dps], { name: 'Erik Gammel' });
		const nina = await createStaff(db(), [dps], { name: 'Nina Ny' });
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: erik.id,
			terms: { role: 'specialist_coordinator', serviceId: dps, access: 'write', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		const now = new Date();
		const overlapUntil = dayFrom(now, 14);
		const result = await handOverSeat(db(), {
			planId: plan.planId,
			seatId,
			successorId: nina.id,
			serviceId: null,
			overlapUntil,
			committedUntil: dayFrom(now, 120),
			addedBy: plan.coordinator.id,
			now
		});
		expect(result.oldSeatEndsAt.toISOString()).toBe(osloDayEnd(overlapUntil).toISOString());

		const [newSeat] = await db().select().from(planMembers).where(eq(planMembers.id, result.newSeatId));
		expect(newSeat).toMatchObject({
			userId: nina.id,
			role: 'specialist_coordinator',
			serviceId: dps,
			access: 'write',
			handedOverFrom: seatId
		});
		// During the overlap both appear, each pointing at the other.
		const during = await loadGroup(db(), plan.planId, now);
		expect(during.members.find((x) => x.seatId === seatId)).toMatchObject({
			lastDay: overlapUntil,
			successor: { name: 'Nina Ny' }
		});
		expect(during.members.find((x) => x.seatId === result.newSeatId)).toMatchObject({
			predecessor: { name: 'Erik Gammel' }
		});
		// After it, Erik's seat is history and names his successor.
		const after = await loadGroup(db(), plan.planId, new Date(result.oldSeatEndsAt.getTime() + 1000));
		expect(after.members.some((x) => x.seatId === seatId)).toBe(false);
		expect(after.past.find((x) => x.seatId === seatId)).toMatchObject({
			name: 'Erik Gammel',
			lastDay: overlapUntil,
			successorName: 'Nina Ny'
		});
		expect(after.members.find((x) => x.userId === nina.id)?.role).toBe('specialist_coordinator');
	});

	it('refuses a handover to the same person, to someone with a seat, to a service they are not in, and an overlap in the past', async () => {
		const a = await createStaff(db(), [nav]);
		const b = await createStaff(db(), [homeCare]);
		const { seatId } = await addSeat(db(), {
			planId: plan.planId,
			userId: a.id,
			terms: { role: 'service_provider', serviceId: nav, access: 'write', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		const base = {
			planId: plan.planId,
			seatId,
			serviceId: null,
			overlapUntil: null,
			committedUntil: null,
			addedBy: plan.coordinator.id
		};
		expect(await problem(handOverSeat(db(), { ...base, successorId: a.id }))).toBe('same_person:successor');
		expect(await problem(handOverSeat(db(), { ...base, successorId: plan.reader.id }))).toBe('seat_taken:successor');
		expect(await problem(handOverSeat(db(), { ...base, successorId: b.id }))).toBe('not_in_service:serviceId');
		expect(
			await problem(
				handOverSeat(db(), { ...base, successorId: b.id, serviceId: homeCare, overlapUntil: dayFrom(new Date(), -2) })
			)
		).toBe('in_past:overlapUntil');
		// Nothing was half-done: the seat is still live and has no successor.
		expect((await seatOf(a.id))?.successor).toBeNull();
		// Without an overlap the switch is immediate, and the successor may sit for their own service.
		const { newSeatId } = await handOverSeat(db(), { ...base, successorId: b.id, serviceId: homeCare });
		expect(await seatOf(a.id)).toBeUndefined();
		expect((await seatOf(b.id))?.seatId).toBe(newSeatId);
	});

	it('finds staff by part of a name or e-mail, but patients and relatives only by their whole e-mail, and never disabled accounts', async () => {
		const staff = await createStaff(db(), [nav], { name: 'Søkbar Saksbehandler' });
		const patient = await createUser(db(), { name: 'Søkbar Pasient', kind: 'patient' });
		const gone = await createStaff(db(), [nav], { name: 'Søkbar Sluttet' });
		await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, gone.id));
		const byName = await searchDirectory(db(), 'søkbar', plan.planId);
		expect(byName.map((p) => p.name)).toEqual(['Søkbar Saksbehandler']);
		expect(byName[0].services.map((s) => s.serviceId)).toEqual([nav]);
		expect(byName[0].inGroup).toBe(false);
		const [patientRow] = await db().select({ email: users.email }).from(users).where(eq(users.id, patient.id));
		expect(
			(await searchDirectory(db(), patientRow.email!.slice(0, 8), plan.planId)).map((p) => p.userId)
		).not.toContain(patient.id);
		expect((await searchDirectory(db(), patientRow.email!.toUpperCase(), plan.planId)).map((p) => p.userId)).toEqual([
			patient.id
		]);
		expect(await searchDirectory(db(), 's', plan.planId)).toEqual([]);
		// Wildcards are taken literally.
		expect(await searchDirectory(db(), '%%', plan.planId)).toEqual([]);
		expect((await searchDirectory(db(), plan.reader.name, plan.planId))[0]).toMatchObject({
			userId: plan.reader.id,
			inGroup: true
		});
		expect(staff.id).toBeTruthy();
	});
});
