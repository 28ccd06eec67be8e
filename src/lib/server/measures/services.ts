import { and, asc, eq, isNull } from 'drizzle-orm';
import { seatIsLive } from '../access/seats';
import type { Db } from '../db';
import { planMembers, serviceProposals, services, users } from '../db/schema';

/** Services with a live seat in the plan's group. */
export async function memberServiceIds(db: Db, planId: string, now = new Date()): Promise<Set<string>> {
	const rows = await db
		.select({ serviceId: planMembers.serviceId })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), seatIsLive(now)));
	return new Set(rows.map((r) => r.serviceId).filter((id): id is string => !!id));
}

export interface ServiceProposal {
	id: string;
	serviceId: string;
	serviceName: string;
	measureId: string;
	proposedByName: string | null;
	createdAt: Date;
	/** Someone from the service already holds a seat (the proposal has been answered in practice). */
	inGroup: boolean;
}

/** Open proposals of services as members, oldest first, for the coordinator. */
export async function openServiceProposals(db: Db, planId: string): Promise<ServiceProposal[]> {
	const rows = await db
		.select({
			id: serviceProposals.id,
			serviceId: serviceProposals.serviceId,
			serviceName: services.name,
			measureId: serviceProposals.measureId,
			proposedByName: users.name,
			createdAt: serviceProposals.createdAt
		})
		.from(serviceProposals)
		.innerJoin(services, eq(services.id, serviceProposals.serviceId))
		.leftJoin(users, eq(users.id, serviceProposals.proposedBy))
		.where(and(eq(serviceProposals.planId, planId), isNull(serviceProposals.settledAt)))
		.orderBy(asc(serviceProposals.createdAt));
	const members = await memberServiceIds(db, planId);
	return rows.map((r) => ({ ...r, inGroup: members.has(r.serviceId) }));
}

/** The coordinator sets a proposal aside (or marks it done once someone from the service has a seat). */
export async function settleServiceProposal(db: Db, planId: string, id: string, userId: string): Promise<boolean> {
	const rows = await db
		.update(serviceProposals)
		.set({ settledAt: new Date(), settledBy: userId })
		.where(and(eq(serviceProposals.id, id), eq(serviceProposals.planId, planId), isNull(serviceProposals.settledAt)))
		.returning({ id: serviceProposals.id });
	return rows.length > 0;
}
