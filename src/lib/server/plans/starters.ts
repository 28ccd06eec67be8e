import { and, asc, eq } from 'drizzle-orm';
import { serviceStaff, services } from '../db/schema';
import type { Db } from '../db';
import type { SessionUser } from '../auth/session';

export interface PlanStarter {
	/** May this person start plans at all? */
	allowed: boolean;
	/** The municipal services they work in: the coordinator seat they take is in one of them. */
	services: { id: string; name: string }[];
}

/**
 * Who may start a plan: staff of a municipal service (the law asks for a municipal coordinator, and the one who
 * starts the plan is its first), or an administrator. An administrator outside a municipal service still starts
 * it, but the plan cannot become active until a municipal coordinator holds the role.
 */
export async function planStarter(db: Db, user: Pick<SessionUser, 'id' | 'kind' | 'isAdmin'>): Promise<PlanStarter> {
	const rows =
		user.kind === 'staff'
			? await db
					.select({ id: services.id, name: services.name })
					.from(serviceStaff)
					.innerJoin(services, eq(services.id, serviceStaff.serviceId))
					.where(and(eq(serviceStaff.userId, user.id), eq(services.level, 'municipal')))
					.orderBy(asc(services.name))
			: [];
	return { allowed: user.isAdmin || rows.length > 0, services: rows };
}
