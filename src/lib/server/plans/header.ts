import { and, asc, eq } from 'drizzle-orm';
import { seatIsLive } from '../access/seats';
import { planMembers, plans, serviceStaff, services, users } from '../db/schema';
import { type Access, type MemberRole, type PlanStatus } from '../../vocabulary';
import type { Db } from '../db';

export interface GroupMember {
	userId: string;
	name: string;
	role: MemberRole;
	access: Access;
	serviceId: string | null;
	serviceName: string | null;
	title: string | null;
	phone: string | null;
	email: string | null;
	committedUntil: string | null;
}

export interface PlanHeader {
	id: string;
	title: string;
	status: PlanStatus;
	periodStart: string | null;
	periodEnd: string | null;
	revisionDate: string | null;
	patient: { id: string; name: string };
	members: GroupMember[];
}

const ROLE_ORDER: MemberRole[] = [
	'patient',
	'guardian',
	'coordinator',
	'specialist_coordinator',
	'service_provider',
	'gp',
	'relative',
	'observer'
];

/** The plan's header and its responsibility group, as the plan page shows them. */
export async function loadPlanHeader(db: Db, planId: string): Promise<PlanHeader | null> {
	const [plan] = await db
		.select({
			id: plans.id,
			title: plans.title,
			status: plans.status,
			periodStart: plans.periodStart,
			periodEnd: plans.periodEnd,
			revisionDate: plans.revisionDate,
			patientId: plans.patientId,
			patientName: users.name
		})
		.from(plans)
		.innerJoin(users, eq(users.id, plans.patientId))
		.where(eq(plans.id, planId))
		.limit(1);
	if (!plan) return null;

	const rows = await db
		.select({
			userId: planMembers.userId,
			name: users.name,
			role: planMembers.role,
			access: planMembers.access,
			serviceId: planMembers.serviceId,
			serviceName: services.name,
			title: serviceStaff.title,
			phone: users.phone,
			email: users.email,
			committedUntil: planMembers.committedUntil
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.leftJoin(
			serviceStaff,
			and(eq(serviceStaff.serviceId, planMembers.serviceId), eq(serviceStaff.userId, planMembers.userId))
		)
		.where(and(eq(planMembers.planId, planId), seatIsLive(new Date())))
		.orderBy(asc(users.name));
	rows.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));

	return {
		id: plan.id,
		title: plan.title,
		status: plan.status,
		periodStart: plan.periodStart,
		periodEnd: plan.periodEnd,
		revisionDate: plan.revisionDate,
		patient: { id: plan.patientId, name: plan.patientName },
		members: rows
	};
}
