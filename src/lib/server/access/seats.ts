import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { planMembers, plans, services, users } from '../db/schema';
import { type Access, type MemberRole, type PlanStatus, type ServiceKind } from '../../vocabulary';
import type { Db } from '../db';

/**
 * A live seat in a responsibility group: begun, not ended (an end may lie ahead: the overlap of a handover), and
 * held by an account that is not disabled. What the member may see also needs consent (`consent.ts`).
 */
export interface Seat {
	id: string;
	role: MemberRole;
	access: Access;
	serviceId: string | null;
	/** The kind of that service (NAV, DPS, …), when the seat has one. */
	serviceKind?: ServiceKind | null;
	/** When the seat ends, if that is already set. */
	endsAt: Date | null;
}

export const seatIsLive = (now: Date) =>
	and(lte(planMembers.joinedAt, now), or(isNull(planMembers.endedAt), gt(planMembers.endedAt, now)));

/**
 * The person's live seats in the plan (usually one; two while a handover to themselves overlaps, say), with the
 * plan's status: one query, since every socket opened and every page read asks it.
 */
export async function liveSeats(
	db: Db,
	userId: string,
	planId: string,
	now = new Date()
): Promise<Array<Seat & { planStatus: PlanStatus }>> {
	return db
		.select({
			id: planMembers.id,
			role: planMembers.role,
			access: planMembers.access,
			serviceId: planMembers.serviceId,
			serviceKind: services.kind,
			endsAt: planMembers.endedAt,
			planStatus: plans.status
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.innerJoin(plans, eq(plans.id, planMembers.planId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(
			and(eq(planMembers.planId, planId), eq(planMembers.userId, userId), seatIsLive(now), isNull(users.disabledAt))
		)
		.orderBy(sql`${planMembers.joinedAt} desc`);
}
