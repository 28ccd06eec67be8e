import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { planMembers, serviceStaff, services, users } from '../db/schema';
import { type ServiceLevel, type UserKind } from '../../vocabulary';
import type { Db } from '../db';
import { seatNotEnded } from './seats';

export interface DirectoryPerson {
	userId: string;
	name: string;
	email: string | null;
	kind: UserKind;
	services: { serviceId: string; name: string; title: string }[];
	/** Already holds a seat in this plan that has not ended. */
	inGroup: boolean;
}

export const MIN_QUERY_LENGTH = 2;
const MAX_RESULTS = 20;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * People a coordinator can add. Staff are found by part of their name or e-mail. Patients and relatives only by
 * their whole e-mail address: that someone is a patient is itself confidential, so nobody can browse for them
 * by name. Disabled accounts are left out.
 */
export async function searchDirectory(
	db: Db,
	query: string,
	planId: string,
	now = new Date()
): Promise<DirectoryPerson[]> {
	const q = query.trim();
	if (q.length < MIN_QUERY_LENGTH || q.length > 320) return [];
	const staffMatch = and(
		eq(users.kind, 'staff'),
		or(ilike(users.name, likePattern(q)), ilike(users.email, likePattern(q)))
	);
	const exactEmail = eq(sql`lower(${users.email})`, q.toLowerCase());
	const people = await db
		.select({ userId: users.id, name: users.name, email: users.email, kind: users.kind })
		.from(users)
		.where(and(isNull(users.disabledAt), or(staffMatch, exactEmail)))
		.orderBy(asc(users.name))
		.limit(MAX_RESULTS);
	if (people.length === 0) return [];
	const ids = people.map((p) => p.userId);
	const memberships = await db
		.select({
			userId: serviceStaff.userId,
			serviceId: serviceStaff.serviceId,
			name: services.name,
			title: serviceStaff.title
		})
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(inArray(serviceStaff.userId, ids))
		.orderBy(asc(services.name));
	const seated = await db
		.select({ userId: planMembers.userId })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), inArray(planMembers.userId, ids), seatNotEnded(now)));
	return people.map((p) => ({
		...p,
		services: memberships
			.filter((s) => s.userId === p.userId)
			.map(({ serviceId, name, title }) => ({ serviceId, name, title })),
		inGroup: seated.some((s) => s.userId === p.userId)
	}));
}

/** One person, as the add form shows them once chosen. */
export async function directoryPerson(
	db: Db,
	userId: string,
	planId: string,
	now = new Date()
): Promise<DirectoryPerson | null> {
	const [p] = await db
		.select({ userId: users.id, name: users.name, email: users.email, kind: users.kind })
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.disabledAt)));
	if (!p) return null;
	const memberships = await db
		.select({ serviceId: serviceStaff.serviceId, name: services.name, title: serviceStaff.title })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(eq(serviceStaff.userId, userId))
		.orderBy(asc(services.name));
	const seated = await db
		.select({ id: planMembers.id })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId), seatNotEnded(now)))
		.limit(1);
	return { ...p, services: memberships, inGroup: seated.length > 0 };
}

export interface StaffSeat {
	userId: string;
	name: string;
	serviceId: string;
	serviceName: string;
	level: ServiceLevel;
	title: string;
}

/** Staff with the service they work in (one row per service), for choosing a successor or a new coordinator. */
export async function staffByService(db: Db, opts: { municipalOnly?: boolean } = {}): Promise<StaffSeat[]> {
	return db
		.select({
			userId: users.id,
			name: users.name,
			serviceId: services.id,
			serviceName: services.name,
			level: services.level,
			title: serviceStaff.title
		})
		.from(serviceStaff)
		.innerJoin(users, eq(users.id, serviceStaff.userId))
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(
			and(
				isNull(users.disabledAt),
				eq(users.kind, 'staff'),
				opts.municipalOnly ? eq(services.level, 'municipal') : undefined
			)
		)
		.orderBy(asc(services.name), asc(users.name));
}

/** Every service, for inviting someone the directory does not know yet. */
export async function allServices(db: Db) {
	return db.select({ id: services.id, name: services.name }).from(services).orderBy(asc(services.name));
}

/** The services a person works in (for changing their seat's service). */
export async function servicesOf(db: Db, userIds: string[]) {
	if (userIds.length === 0) return [];
	return db
		.select({ userId: serviceStaff.userId, serviceId: serviceStaff.serviceId, name: services.name })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(inArray(serviceStaff.userId, userIds))
		.orderBy(asc(services.name));
}
