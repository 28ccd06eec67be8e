import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { planMembers, plans, serviceStaff, services, users } from '../db/schema';
import { type Access, type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import { newId } from '../id';
import { osloDay, osloDayEnd, osloDayStart } from '../oslo-day';
import { GroupError } from './errors';
import { isAssignableRole, PROTECTED_ROLES, type AssignableRole } from '../../group/roles';

/** What a coordinator decides about a seat: role, service, access and the committed period (calendar days). */
export interface SeatTerms {
	role: AssignableRole;
	serviceId: string | null;
	access: Access;
	/** The first day of the committed period; empty or today: the seat starts now. */
	from?: string | null;
	committedUntil: string | null;
}

/** A seat that has not ended: live now, or starting later, or in the overlap of a handover. */
export const seatNotEnded = (now: Date) => or(isNull(planMembers.endedAt), gt(planMembers.endedAt, now));

async function requirePlan(db: Db, planId: string): Promise<void> {
	const [plan] = await db.select({ id: plans.id }).from(plans).where(eq(plans.id, planId)).limit(1);
	if (!plan) throw new GroupError('not_found');
}

/**
 * Locks the person's row for the rest of the transaction, so two coordinators adding the same person at once
 * queue instead of both finding "no seat yet". Refuses unknown and disabled accounts.
 */
async function lockPerson(db: Db, userId: string, field: string): Promise<void> {
	const [person] = await db
		.select({ id: users.id, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.id, userId))
		.for('update');
	if (!person || person.disabledAt) throw new GroupError('not_found', field);
}

async function refuseSecondSeat(db: Db, planId: string, userId: string, now: Date, field: string): Promise<void> {
	const [seat] = await db
		.select({ id: planMembers.id })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId), seatNotEnded(now)))
		.limit(1);
	if (seat) throw new GroupError('seat_taken', field);
}

/**
 * A seat's service: it must exist, and someone who works in services (the directory says which) can only sit
 * for one of them. People with no service in the directory (relatives, invited staff) may be given any.
 * `keep` is the seat's current service, which stays allowed.
 */
export async function checkServiceFor(
	db: Db,
	userId: string,
	serviceId: string | null,
	keep: string | null = null
): Promise<void> {
	if (!serviceId || serviceId === keep) return;
	const [service] = await db.select({ id: services.id }).from(services).where(eq(services.id, serviceId)).limit(1);
	if (!service) throw new GroupError('unknown_service', 'serviceId');
	const own = await db
		.select({ serviceId: serviceStaff.serviceId })
		.from(serviceStaff)
		.where(eq(serviceStaff.userId, userId));
	if (own.length > 0 && !own.some((s) => s.serviceId === serviceId))
		throw new GroupError('not_in_service', 'serviceId');
}

function checkPeriod(terms: Pick<SeatTerms, 'from' | 'committedUntil'>, now: Date): void {
	const start = terms.from && terms.from > osloDay(now) ? terms.from : osloDay(now);
	if (terms.committedUntil && terms.committedUntil < start) throw new GroupError('before_start', 'committedUntil');
}

/** A committed period that starts later begins that morning; otherwise the seat is live at once. */
const joinedAtFor = (from: string | null | undefined, now: Date) =>
	from && from > osloDay(now) ? osloDayStart(from) : now;

/** Inserts a seat inside the caller's transaction, after its checks (any role: the coordinator's comes from an offer). */
export async function insertSeat(
	db: Db,
	seat: {
		planId: string;
		userId: string;
		terms: Omit<SeatTerms, 'role'> & { role: MemberRole };
		addedBy: string;
		now: Date;
		handedOverFrom?: string | null;
	}
): Promise<string> {
	const id = newId();
	await db.insert(planMembers).values({
		id,
		planId: seat.planId,
		userId: seat.userId,
		role: seat.terms.role,
		serviceId: seat.terms.serviceId,
		access: seat.terms.access,
		joinedAt: joinedAtFor(seat.terms.from, seat.now),
		committedUntil: seat.terms.committedUntil,
		handedOverFrom: seat.handedOverFrom ?? null,
		addedBy: seat.addedBy
	});
	return id;
}

/** Checks for a new seat, inside the caller's transaction: the person, one seat at a time, role, service, period. */
export async function checkNewSeat(
	db: Db,
	seat: { planId: string; userId: string; terms: SeatTerms; now: Date },
	personField = 'userId'
): Promise<void> {
	if (!isAssignableRole(seat.terms.role)) throw new GroupError('role_not_allowed', 'role');
	await lockPerson(db, seat.userId, personField);
	await refuseSecondSeat(db, seat.planId, seat.userId, seat.now, personField);
	await checkServiceFor(db, seat.userId, seat.terms.serviceId);
	checkPeriod(seat.terms, seat.now);
}

/** Adds a person from the directory to the group. */
export async function addSeat(
	db: Db,
	input: { planId: string; userId: string; terms: SeatTerms; addedBy: string; now?: Date }
): Promise<{ seatId: string }> {
	const now = input.now ?? new Date();
	await requirePlan(db, input.planId);
	const seatId = await db.transaction(async (tx) => {
		await checkNewSeat(tx, { ...input, now });
		return insertSeat(tx, { ...input, now });
	});
	return { seatId };
}

export interface SeatRow {
	id: string;
	userId: string;
	role: (typeof planMembers.$inferSelect)['role'];
	serviceId: string | null;
	access: Access;
	committedUntil: string | null;
	endedAt: Date | null;
}

/** A seat of this plan that has not ended, and may be changed here (not the patient's, not the coordinator's). */
async function changeableSeat(db: Db, planId: string, seatId: string, now: Date): Promise<SeatRow> {
	const [seat] = await db
		.select({
			id: planMembers.id,
			userId: planMembers.userId,
			role: planMembers.role,
			serviceId: planMembers.serviceId,
			access: planMembers.access,
			committedUntil: planMembers.committedUntil,
			endedAt: planMembers.endedAt
		})
		.from(planMembers)
		.where(and(eq(planMembers.id, seatId), eq(planMembers.planId, planId), seatNotEnded(now)))
		.for('update');
	if (!seat) throw new GroupError('not_found', 'seatId');
	if (PROTECTED_ROLES.includes(seat.role)) throw new GroupError('protected_seat', 'seatId');
	return seat;
}

/** Changes a member's role, service, access or committed end. Returns the seat before and after, for the log. */
export async function updateSeat(
	db: Db,
	input: { planId: string; seatId: string; terms: Omit<SeatTerms, 'from'>; now?: Date }
): Promise<{ userId: string; before: SeatRow; changed: string[] }> {
	const now = input.now ?? new Date();
	if (!isAssignableRole(input.terms.role)) throw new GroupError('role_not_allowed', 'role');
	return db.transaction(async (tx) => {
		const before = await changeableSeat(tx, input.planId, input.seatId, now);
		await checkServiceFor(tx, before.userId, input.terms.serviceId, before.serviceId);
		checkPeriod({ committedUntil: input.terms.committedUntil }, now);
		const next = {
			role: input.terms.role,
			serviceId: input.terms.serviceId,
			access: input.terms.access,
			committedUntil: input.terms.committedUntil
		};
		const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
		if (changed.length) await tx.update(planMembers).set(next).where(eq(planMembers.id, before.id));
		return { userId: before.userId, before, changed };
	});
}

/** Ends a seat now (also one in the overlap of a handover). The row stays: it is the group's history. */
export async function endSeat(
	db: Db,
	input: { planId: string; seatId: string; now?: Date }
): Promise<{ userId: string }> {
	const now = input.now ?? new Date();
	return db.transaction(async (tx) => {
		const seat = await changeableSeat(tx, input.planId, input.seatId, now);
		await tx.update(planMembers).set({ endedAt: now }).where(eq(planMembers.id, seat.id));
		return { userId: seat.userId };
	});
}

/**
 * Hands a seat over to a successor: the successor gets a new seat that points back at this one (same role,
 * service and access unless changed), and this one ends after the last day of the overlap, or now without one.
 * Both seats are live during the overlap, so old and new contact both appear.
 */
export async function handOverSeat(
	db: Db,
	input: {
		planId: string;
		seatId: string;
		successorId: string;
		/** The successor's service, role and access; null keeps the old seat's. */
		serviceId: string | null;
		role?: AssignableRole | null;
		access?: Access | null;
		/** Last day both hold the seat; null: the old seat ends now. */
		overlapUntil: string | null;
		committedUntil: string | null;
		addedBy: string;
		now?: Date;
	}
): Promise<{ oldUserId: string; newSeatId: string; oldSeatEndsAt: Date }> {
	const now = input.now ?? new Date();
	if (input.overlapUntil && input.overlapUntil < osloDay(now)) throw new GroupError('in_past', 'overlapUntil');
	return db.transaction(async (tx) => {
		const old = await changeableSeat(tx, input.planId, input.seatId, now);
		if (old.userId === input.successorId) throw new GroupError('same_person', 'successor');
		const terms: SeatTerms = {
			role: input.role ?? (old.role as AssignableRole),
			serviceId: input.serviceId ?? old.serviceId,
			access: input.access ?? old.access,
			committedUntil: input.committedUntil
		};
		await checkNewSeat(tx, { planId: input.planId, userId: input.successorId, terms, now }, 'successor');
		const newSeatId = await insertSeat(tx, {
			planId: input.planId,
			userId: input.successorId,
			terms,
			addedBy: input.addedBy,
			now,
			handedOverFrom: old.id
		});
		const overlapEnd = input.overlapUntil ? osloDayEnd(input.overlapUntil) : now;
		// An end already set sooner stays: a handover never lengthens a seat.
		const oldSeatEndsAt = old.endedAt && old.endedAt < overlapEnd ? old.endedAt : overlapEnd;
		await tx.update(planMembers).set({ endedAt: oldSeatEndsAt }).where(eq(planMembers.id, old.id));
		return { oldUserId: old.userId, newSeatId, oldSeatEndsAt };
	});
}
