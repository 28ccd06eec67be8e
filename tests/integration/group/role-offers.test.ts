import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan, type TestPlan } from '../collab/fixtures';
import { createService, createStaff } from './helpers';
import { auditEvents, planMembers, roleOffers } from '../../../src/lib/server/db/schema';
import {
	answerRoleOffer,
	offerCoordinatorRole,
	openOfferForPlan,
	pendingRoleOffers
} from '../../../src/lib/server/group/role-offers';
import { loadGroup } from '../../../src/lib/server/group/group';
import { addSeat } from '../../../src/lib/server/group/seats';
import { planAccess } from '../../../src/lib/server/access/plans';
import { GroupError } from '../../../src/lib/server/group/errors';
import type { Db } from '../../../src/lib/server/db';

const problem = (p: Promise<unknown>) =>
	p.then(
		() => 'no error',
		(e: unknown) => (e instanceof GroupError ? `${e.problem}${e.field ? ':' + e.field : ''}` : String(e))
	);

const seatsOf = (db: Db, planId: string, userId: string) =>
	db
		.select()
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId)))
		.orderBy(planMembers.joinedAt);

describe.each(engines)('handing over the coordinator role on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let municipal: string;
	let specialist: string;

	beforeAll(async () => {
		municipal = await createService(db(), { name: 'Psykisk helseteam' });
		specialist = await createService(db(), { name: 'DPS', level: 'specialist' });
	});

	/** A plan whose coordinator sits for the municipal service. */
	async function planWithCoordinator(): Promise<TestPlan> {
		const plan = await createPlan(db());
		await db()
			.update(planMembers)
			.set({ serviceId: municipal })
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.coordinator.id)));
		return plan;
	}

	it('offers only to staff of a municipal service, not to oneself or the coordinator already', async () => {
		const plan = await planWithCoordinator();
		const dpsStaff = await createStaff(db(), [specialist]);
		const base = { planId: plan.planId, fromUserId: plan.coordinator.id, oldSeat: 'service_provider' as const };
		expect(await problem(offerCoordinatorRole(db(), { ...base, toUserId: dpsStaff.id, serviceId: specialist }))).toBe(
			'not_municipal:successor'
		);
		expect(await problem(offerCoordinatorRole(db(), { ...base, toUserId: dpsStaff.id, serviceId: municipal }))).toBe(
			'not_found:successor'
		);
		expect(
			await problem(offerCoordinatorRole(db(), { ...base, toUserId: plan.patient.id, serviceId: municipal }))
		).toBe('not_found:successor');
		expect(
			await problem(offerCoordinatorRole(db(), { ...base, toUserId: plan.coordinator.id, serviceId: municipal }))
		).toBe('same_person:successor');
		expect(await db().select().from(roleOffers).where(eq(roleOffers.planId, plan.planId))).toEqual([]);
	});

	it('changes nothing until the successor accepts; then they are coordinator and the old coordinator a service contact', async () => {
		const plan = await planWithCoordinator();
		const anne = await createStaff(db(), [municipal], { name: 'Anne Etterfølger' });
		const { offerId } = await offerCoordinatorRole(db(), {
			planId: plan.planId,
			fromUserId: plan.coordinator.id,
			toUserId: anne.id,
			serviceId: municipal,
			oldSeat: 'service_provider'
		});
		const [audit] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'role.offered'), eq(auditEvents.target, offerId)));
		expect(audit).toMatchObject({
			actorId: plan.coordinator.id,
			planId: plan.planId,
			detail: { toUserId: anne.id, oldSeat: 'service_provider' }
		});

		// Offered, not taken: the coordinator is still the coordinator, and Anne has no seat.
		expect((await planAccess(db(), plan.coordinator.id, plan.planId))?.role).toBe('coordinator');
		expect(await seatsOf(db(), plan.planId, anne.id)).toEqual([]);
		expect(await pendingRoleOffers(db(), anne.id)).toEqual([
			expect.objectContaining({
				offerId,
				planId: plan.planId,
				planTitle: 'Test plan',
				fromName: 'Koordinator Kari',
				serviceName: 'Psykisk helseteam',
				oldSeat: 'service_provider'
			})
		]);
		expect(await openOfferForPlan(db(), plan.planId)).toMatchObject({ offerId, toName: 'Anne Etterfølger' });
		// Only the person offered can answer.
		expect(await problem(answerRoleOffer(db(), { offerId, userId: plan.reader.id, accept: true }))).toBe('offer_gone');

		const [oldSeat] = await seatsOf(db(), plan.planId, plan.coordinator.id);
		const answer = await answerRoleOffer(db(), { offerId, userId: anne.id, accept: true });
		expect(answer).toMatchObject({ planId: plan.planId, accepted: true, oldSeat: 'service_provider' });

		const anneSeats = await seatsOf(db(), plan.planId, anne.id);
		expect(anneSeats).toEqual([
			expect.objectContaining({
				role: 'coordinator',
				serviceId: municipal,
				access: 'write',
				handedOverFrom: oldSeat.id,
				endedAt: null
			})
		]);
		const kari = await seatsOf(db(), plan.planId, plan.coordinator.id);
		expect(kari.map((s) => [s.role, s.endedAt === null])).toEqual([
			['coordinator', false],
			['service_provider', true]
		]);
		expect((await planAccess(db(), anne.id, plan.planId))?.role).toBe('coordinator');
		const group = await loadGroup(db(), plan.planId);
		expect(group.past.find((p) => p.seatId === oldSeat.id)).toMatchObject({
			role: 'coordinator',
			successorName: 'Anne Etterfølger'
		});
		// The old coordinator now sees what her own consent covers, like any service contact.
		expect(group.members.find((x) => x.userId === plan.coordinator.id)).toMatchObject({
			role: 'service_provider',
			awaitingConsent: false
		});
		expect((await planAccess(db(), plan.coordinator.id, plan.planId))?.role).toBe('service_provider');
		expect(await pendingRoleOffers(db(), anne.id)).toEqual([]);
		expect(await problem(answerRoleOffer(db(), { offerId, userId: anne.id, accept: true }))).toBe('offer_gone');
	});

	it('ends the old coordinator’s seat when the offer says so, and the successor’s own earlier seat', async () => {
		const plan = await planWithCoordinator();
		const bo = await createStaff(db(), [municipal]);
		await addSeat(db(), {
			planId: plan.planId,
			userId: bo.id,
			terms: { role: 'service_provider', serviceId: municipal, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		const { offerId } = await offerCoordinatorRole(db(), {
			planId: plan.planId,
			fromUserId: plan.coordinator.id,
			toUserId: bo.id,
			serviceId: municipal,
			oldSeat: 'end'
		});
		await answerRoleOffer(db(), { offerId, userId: bo.id, accept: true });
		expect((await seatsOf(db(), plan.planId, plan.coordinator.id)).every((s) => s.endedAt !== null)).toBe(true);
		expect(await planAccess(db(), plan.coordinator.id, plan.planId)).toBeNull();
		const boSeats = await seatsOf(db(), plan.planId, bo.id);
		expect(boSeats.map((s) => [s.role, s.endedAt === null])).toEqual([
			['service_provider', false],
			['coordinator', true]
		]);
	});

	it('records a decline and changes nothing else', async () => {
		const plan = await planWithCoordinator();
		const cato = await createStaff(db(), [municipal]);
		const { offerId } = await offerCoordinatorRole(db(), {
			planId: plan.planId,
			fromUserId: plan.coordinator.id,
			toUserId: cato.id,
			serviceId: municipal,
			oldSeat: 'end'
		});
		const before = await db().select().from(planMembers).where(eq(planMembers.planId, plan.planId));
		expect(await answerRoleOffer(db(), { offerId, userId: cato.id, accept: false })).toMatchObject({
			accepted: false,
			endedSeats: [],
			newSeats: []
		});
		const [offer] = await db().select().from(roleOffers).where(eq(roleOffers.id, offerId));
		expect(offer.accepted).toBe(false);
		expect(offer.answeredAt).toBeInstanceOf(Date);
		expect(await db().select().from(planMembers).where(eq(planMembers.planId, plan.planId))).toEqual(before);
		expect(await openOfferForPlan(db(), plan.planId)).toBeNull();
	});

	it('keeps one open offer per plan: a new offer withdraws the one before', async () => {
		const plan = await planWithCoordinator();
		const first = await createStaff(db(), [municipal]);
		const second = await createStaff(db(), [municipal]);
		const a = await offerCoordinatorRole(db(), {
			planId: plan.planId,
			fromUserId: plan.coordinator.id,
			toUserId: first.id,
			serviceId: municipal,
			oldSeat: 'service_provider'
		});
		const b = await offerCoordinatorRole(db(), {
			planId: plan.planId,
			fromUserId: plan.coordinator.id,
			toUserId: second.id,
			serviceId: municipal,
			oldSeat: 'service_provider'
		});
		expect(b.withdrawn).toEqual([a.offerId]);
		expect(await pendingRoleOffers(db(), first.id)).toEqual([]);
		expect(await problem(answerRoleOffer(db(), { offerId: a.offerId, userId: first.id, accept: true }))).toBe(
			'offer_gone'
		);
		const [withdrawn] = await db().select().from(roleOffers).where(eq(roleOffers.id, a.offerId));
		expect(withdrawn.accepted).toBeNull();
		expect(await openOfferForPlan(db(), plan.planId)).toMatchObject({ offerId: b.offerId });
	});
});
