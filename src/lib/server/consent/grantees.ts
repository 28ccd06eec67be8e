import { and, asc, eq } from 'drizzle-orm';
import { planMembers, plans, services, users } from '../db/schema';
import { type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import { seatIsLive } from '../access/seats';
import { WHOLE_PLAN_ROLES } from '../access/consent';

export interface GranteePerson {
	userId: string;
	name: string;
	role: MemberRole;
	serviceId: string | null;
	serviceName: string | null;
}

export interface GranteeService {
	id: string;
	name: string;
}

export interface Grantees {
	/** Members whose access rests on consent (the patient, a guardian and the coordinator see the whole plan). */
	people: GranteePerson[];
	/** Services with at least one member in the group now: a grant to one covers each of its members there. */
	services: GranteeService[];
	/** Whether a guardian (hjelpeverge) acts for the patient. */
	patientHasGuardian: boolean;
}

/** Who a consent in this plan can name, now. */
export async function consentGrantees(db: Db, planId: string, now = new Date()): Promise<Grantees> {
	const seats = await db
		.select({
			userId: planMembers.userId,
			name: users.name,
			role: planMembers.role,
			serviceId: planMembers.serviceId,
			serviceName: services.name
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(and(eq(planMembers.planId, planId), seatIsLive(now)))
		.orderBy(asc(users.name), asc(planMembers.joinedAt));
	const wholePlan = new Set(seats.filter((s) => WHOLE_PLAN_ROLES.has(s.role)).map((s) => s.userId));
	const people = new Map<string, GranteePerson>();
	const serviceMap = new Map<string, GranteeService>();
	for (const s of seats) {
		if (s.serviceId && s.serviceName) serviceMap.set(s.serviceId, { id: s.serviceId, name: s.serviceName });
		if (wholePlan.has(s.userId)) continue;
		people.set(s.userId, {
			userId: s.userId,
			name: s.name,
			role: s.role,
			serviceId: s.serviceId,
			serviceName: s.serviceName
		});
	}
	const [patient] = await db
		.select({ guardianActs: users.guardianActs })
		.from(plans)
		.innerJoin(users, eq(users.id, plans.patientId))
		.where(eq(plans.id, planId))
		.limit(1);
	return {
		people: [...people.values()],
		services: [...serviceMap.values()].sort((a, b) => a.name.localeCompare(b.name, 'nb')),
		patientHasGuardian: (patient?.guardianActs ?? false) || seats.some((s) => s.role === 'guardian')
	};
}

/** Whether a user id is in the group at all now (any role), to tell "sees it all already" from "not a member". */
export async function isLiveMember(db: Db, planId: string, userId: string, now = new Date()): Promise<boolean> {
	const [row] = await db
		.select({ id: planMembers.id })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId), seatIsLive(now)))
		.limit(1);
	return !!row;
}
