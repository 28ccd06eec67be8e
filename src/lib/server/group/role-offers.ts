import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditEvents, planMembers, plans, roleOffers, serviceStaff, services, users } from '../db/schema';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { GroupError } from './errors';
import type { OldSeatChoice } from '../../group/roles';
import { insertSeat, seatNotEnded } from './seats';

const liveCoordinatorSeats = (db: Db, planId: string, now: Date) =>
	db
		.select({
			id: planMembers.id,
			userId: planMembers.userId,
			serviceId: planMembers.serviceId,
			access: planMembers.access
		})
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), eq(planMembers.role, 'coordinator'), seatNotEnded(now)))
		.orderBy(desc(planMembers.joinedAt));

/**
 * Offers the coordinator role to a successor: a staff member of a municipal service (the law asks for a
 * municipal coordinator). Nothing changes until they accept. A plan has one open offer at most: a new one
 * withdraws the one before (answered, neither accepted nor declined).
 *
 * `role_offers` has no column for what becomes of the outgoing coordinator, so that term is written into the
 * `role.offered` audit event, which is append-only and chained, and read back from there when the offer is
 * accepted. That is why this module writes its own audit event.
 */
export async function offerCoordinatorRole(
	db: Db,
	input: { planId: string; fromUserId: string; toUserId: string; serviceId: string; oldSeat: OldSeatChoice; now?: Date }
): Promise<{ offerId: string; withdrawn: string[] }> {
	const now = input.now ?? new Date();
	if (input.toUserId === input.fromUserId) throw new GroupError('same_person', 'successor');
	const [staff] = await db
		.select({ level: services.level, disabledAt: users.disabledAt, kind: users.kind })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.innerJoin(users, eq(users.id, serviceStaff.userId))
		.where(and(eq(serviceStaff.userId, input.toUserId), eq(serviceStaff.serviceId, input.serviceId)));
	if (!staff || staff.disabledAt || staff.kind !== 'staff') throw new GroupError('not_found', 'successor');
	if (staff.level !== 'municipal') throw new GroupError('not_municipal', 'successor');
	if ((await liveCoordinatorSeats(db, input.planId, now)).some((s) => s.userId === input.toUserId))
		throw new GroupError('already_coordinator', 'successor');

	const { offerId, withdrawn } = await db.transaction(async (tx) => {
		const closed = await tx
			.update(roleOffers)
			.set({ answeredAt: now, accepted: null })
			.where(and(eq(roleOffers.planId, input.planId), isNull(roleOffers.answeredAt)))
			.returning({ id: roleOffers.id });
		const [offer] = await tx
			.insert(roleOffers)
			.values({
				planId: input.planId,
				role: 'coordinator',
				fromUserId: input.fromUserId,
				toUserId: input.toUserId,
				serviceId: input.serviceId,
				createdAt: now
			})
			.returning({ id: roleOffers.id });
		return { offerId: offer.id, withdrawn: closed.map((c) => c.id) };
	});
	await recordAudit(db, {
		actorId: input.fromUserId,
		action: 'role.offered',
		planId: input.planId,
		target: offerId,
		detail: {
			role: 'coordinator',
			toUserId: input.toUserId,
			serviceId: input.serviceId,
			oldSeat: input.oldSeat,
			withdrawn
		}
	});
	return { offerId, withdrawn };
}

/** The outgoing coordinator's fate, as the offer said it (see `offerCoordinatorRole`). Staying is the safe default. */
export async function offerTerms(db: Db, offerId: string): Promise<OldSeatChoice> {
	const [event] = await db
		.select({ detail: auditEvents.detail })
		.from(auditEvents)
		.where(and(eq(auditEvents.action, 'role.offered'), eq(auditEvents.target, offerId)))
		.orderBy(desc(auditEvents.id))
		.limit(1);
	return event?.detail?.oldSeat === 'end' ? 'end' : 'service_provider';
}

export interface RoleOfferAnswer {
	planId: string;
	accepted: boolean;
	oldSeat: OldSeatChoice;
	/** Seats that ended and began with the change (for the log). */
	endedSeats: string[];
	newSeats: string[];
}

/**
 * The successor answers. Declining is recorded and changes nothing else. Accepting, in one transaction: the
 * successor gets a coordinator seat (continuing the old coordinator's), their other seats in the plan end, and
 * the outgoing coordinator's seat ends and — if the offer said so — a service-contact seat takes its place.
 */
export async function answerRoleOffer(
	db: Db,
	input: { offerId: string; userId: string; accept: boolean; now?: Date }
): Promise<RoleOfferAnswer> {
	const now = input.now ?? new Date();
	const oldSeat = await offerTerms(db, input.offerId);
	return db.transaction(async (tx) => {
		const [offer] = await tx
			.update(roleOffers)
			.set({ answeredAt: now, accepted: input.accept })
			.where(
				and(eq(roleOffers.id, input.offerId), eq(roleOffers.toUserId, input.userId), isNull(roleOffers.answeredAt))
			)
			.returning({ planId: roleOffers.planId, fromUserId: roleOffers.fromUserId, serviceId: roleOffers.serviceId });
		if (!offer) throw new GroupError('offer_gone');
		const answer: RoleOfferAnswer = {
			planId: offer.planId,
			accepted: input.accept,
			oldSeat,
			endedSeats: [],
			newSeats: []
		};
		if (!input.accept) return answer;

		// Any other open offer for this plan is moot now.
		await tx
			.update(roleOffers)
			.set({ answeredAt: now, accepted: null })
			.where(and(eq(roleOffers.planId, offer.planId), isNull(roleOffers.answeredAt), ne(roleOffers.id, input.offerId)));
		const outgoing = await liveCoordinatorSeats(tx, offer.planId, now);
		const own = await tx
			.select({ id: planMembers.id })
			.from(planMembers)
			.where(and(eq(planMembers.planId, offer.planId), eq(planMembers.userId, input.userId), seatNotEnded(now)));
		for (const seat of [...outgoing, ...own]) {
			await tx.update(planMembers).set({ endedAt: now }).where(eq(planMembers.id, seat.id));
			answer.endedSeats.push(seat.id);
		}
		if (oldSeat === 'service_provider') {
			for (const seat of outgoing) {
				const stays = await insertSeat(tx, {
					planId: offer.planId,
					userId: seat.userId,
					terms: { role: 'service_provider', serviceId: seat.serviceId, access: seat.access, committedUntil: null },
					addedBy: input.userId,
					now
				});
				answer.newSeats.push(stays);
			}
		}
		// The coordinator role is the same seat held by someone new: it points back at the outgoing one.
		const seatId = await insertSeat(tx, {
			planId: offer.planId,
			userId: input.userId,
			terms: { role: 'coordinator', serviceId: offer.serviceId, access: 'write', committedUntil: null },
			addedBy: offer.fromUserId ?? input.userId,
			now,
			handedOverFrom: outgoing[0]?.id ?? null
		});
		answer.newSeats.push(seatId);
		return answer;
	});
}

export interface PendingRoleOffer {
	offerId: string;
	planId: string;
	planTitle: string;
	fromName: string | null;
	serviceName: string | null;
	oldSeat: OldSeatChoice;
	createdAt: Date;
}

const fromUser = alias(users, 'from_user');

/** Offers waiting for this person's answer, newest first (for their home page and the group page). */
export async function pendingRoleOffers(db: Db, userId: string): Promise<PendingRoleOffer[]> {
	const rows = await db
		.select({
			offerId: roleOffers.id,
			planId: roleOffers.planId,
			planTitle: plans.title,
			fromName: fromUser.name,
			serviceName: services.name,
			createdAt: roleOffers.createdAt
		})
		.from(roleOffers)
		.innerJoin(plans, eq(plans.id, roleOffers.planId))
		.leftJoin(fromUser, eq(fromUser.id, roleOffers.fromUserId))
		.leftJoin(services, eq(services.id, roleOffers.serviceId))
		.where(and(eq(roleOffers.toUserId, userId), isNull(roleOffers.answeredAt)))
		.orderBy(desc(roleOffers.createdAt));
	return Promise.all(rows.map(async (r) => ({ ...r, oldSeat: await offerTerms(db, r.offerId) })));
}

/** The plan's open offer, for the coordinator to see whom it waits for. */
export async function openOfferForPlan(
	db: Db,
	planId: string
): Promise<{
	offerId: string;
	toUserId: string;
	toName: string;
	serviceName: string | null;
	oldSeat: OldSeatChoice;
	createdAt: Date;
} | null> {
	const [row] = await db
		.select({
			offerId: roleOffers.id,
			toUserId: roleOffers.toUserId,
			toName: users.name,
			serviceName: services.name,
			createdAt: roleOffers.createdAt
		})
		.from(roleOffers)
		.innerJoin(users, eq(users.id, roleOffers.toUserId))
		.leftJoin(services, eq(services.id, roleOffers.serviceId))
		.where(and(eq(roleOffers.planId, planId), isNull(roleOffers.answeredAt)))
		.orderBy(desc(roleOffers.createdAt))
		.limit(1);
	return row ? { ...row, oldSeat: await offerTerms(db, row.offerId) } : null;
}
