import { and, eq } from 'drizzle-orm';
import { serviceStaff, services, users } from '../db/schema';
import type { Db } from '../db';

/**
 * Which services a person works in, each with their title there. One person may work in several services (a
 * nurse shared by two teams, a doctor at the GP office and the emergency clinic); the group page offers only these
 * services when that person is given a seat.
 */
export type MembershipProblem = 'unknown_service' | 'not_staff' | 'not_found';

export async function setServiceMembership(
	db: Db,
	input: { userId: string; serviceId: string; title: string }
): Promise<{ ok: true; created: boolean } | { ok: false; problem: MembershipProblem }> {
	const [person] = await db.select({ kind: users.kind }).from(users).where(eq(users.id, input.userId));
	if (!person) return { ok: false, problem: 'not_found' };
	if (person.kind !== 'staff') return { ok: false, problem: 'not_staff' };
	const [service] = await db.select({ id: services.id }).from(services).where(eq(services.id, input.serviceId));
	if (!service) return { ok: false, problem: 'unknown_service' };
	const [before] = await db
		.select({ title: serviceStaff.title })
		.from(serviceStaff)
		.where(and(eq(serviceStaff.userId, input.userId), eq(serviceStaff.serviceId, input.serviceId)));
	await db
		.insert(serviceStaff)
		.values({ serviceId: input.serviceId, userId: input.userId, title: input.title })
		.onConflictDoUpdate({ target: [serviceStaff.serviceId, serviceStaff.userId], set: { title: input.title } });
	return { ok: true, created: !before };
}

/** Removes one membership; seats the person holds in plans for that service stay (the coordinator changes those). */
export async function removeServiceMembership(db: Db, input: { userId: string; serviceId: string }): Promise<boolean> {
	const removed = await db
		.delete(serviceStaff)
		.where(and(eq(serviceStaff.userId, input.userId), eq(serviceStaff.serviceId, input.serviceId)))
		.returning({ serviceId: serviceStaff.serviceId });
	return removed.length > 0;
}
