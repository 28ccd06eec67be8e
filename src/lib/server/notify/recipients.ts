import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { measureFollowers, planMembers, users } from '../db/schema';
import { type MemberRole } from '../../vocabulary';
import { seatIsLive } from '../access/seats';
import { planAccess } from '../access/plans';
import { SCOPE_OF_KIND, type NoticeKind } from './kinds';

/** People with a live seat in the plan in one of `roles` (a coordinator, the patient). Access is checked again before anything goes out. */
export async function seatHolders(db: Db, planId: string, roles: MemberRole[], now = new Date()): Promise<string[]> {
	const rows = await db
		.select({ userId: planMembers.userId })
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(
			and(eq(planMembers.planId, planId), inArray(planMembers.role, roles), seatIsLive(now), isNull(users.disabledAt))
		);
	return [...new Set(rows.map((r) => r.userId))];
}

/** People with a live writing seat for the service in this plan: who a measure of that service with no named person reaches. */
export async function serviceSeatHolders(
	db: Db,
	planId: string,
	serviceId: string,
	now = new Date()
): Promise<string[]> {
	const rows = await db
		.select({ userId: planMembers.userId })
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(
			and(
				eq(planMembers.planId, planId),
				eq(planMembers.serviceId, serviceId),
				eq(planMembers.access, 'write'),
				seatIsLive(now),
				isNull(users.disabledAt)
			)
		);
	return [...new Set(rows.map((r) => r.userId))];
}

/** Who follows this measure (the plan page's "Følg"). Access is checked again before anything goes out. */
export async function measureFollowerIds(db: Db, planId: string, measureId: string): Promise<string[]> {
	const rows = await db
		.select({ userId: measureFollowers.userId })
		.from(measureFollowers)
		.where(and(eq(measureFollowers.planId, planId), eq(measureFollowers.measureId, measureId)));
	return rows.map((r) => r.userId);
}

/**
 * May this person be told about this kind in this plan, now? A live seat and consent covering the kind's scope
 * (or, for housekeeping, some consent). Asked before a notice is created, before each message goes out, and when
 * the list is read.
 */
export async function mayBeTold(
	db: Db,
	userId: string,
	planId: string | null,
	kind: NoticeKind,
	now = new Date()
): Promise<boolean> {
	if (!planId) return true;
	const access = await planAccess(db, userId, planId, now);
	if (!access || access.scopes.size === 0) return false;
	const scope = SCOPE_OF_KIND[kind];
	return scope === null || access.scopes.has(scope);
}
