import { asc, eq, sql } from 'drizzle-orm';
import { serviceStaff, services, users } from '../db/schema';
import type { Db } from '../db';
import type { PersonInput, ServiceInput } from './forms';
import { hashPassword } from '../auth/password';
import { invalidateOtherSessions } from '../auth/session';
import { newId } from '../id';

/** The organisation directory the administrator keeps: services, and the people and their service seats. */
export async function listServices(db: Db) {
	return db
		.select({
			id: services.id,
			name: services.name,
			kind: services.kind,
			organisation: services.organisation,
			phone: services.phone,
			staffCount: sql<number>`(select count(*)::int from ${serviceStaff} where ${serviceStaff.serviceId} = ${services.id})`
		})
		.from(services)
		.orderBy(asc(services.name));
}

export async function getService(db: Db, id: string) {
	const [row] = await db.select().from(services).where(eq(services.id, id));
	return row ?? null;
}

export async function saveService(db: Db, id: string | null, input: ServiceInput): Promise<string> {
	if (id) {
		await db.update(services).set(input).where(eq(services.id, id));
		return id;
	}
	const newServiceId = newId();
	await db.insert(services).values({ id: newServiceId, ...input });
	return newServiceId;
}

export async function listPeople(db: Db) {
	const people = await db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			kind: users.kind,
			isAdmin: users.isAdmin,
			disabledAt: users.disabledAt
		})
		.from(users)
		.orderBy(asc(users.name));
	const seats = await db
		.select({ userId: serviceStaff.userId, serviceName: services.name, title: serviceStaff.title })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId));
	return people.map((p) => ({ ...p, services: seats.filter((s) => s.userId === p.id) }));
}

export async function getPerson(db: Db, id: string) {
	const [user] = await db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			phone: users.phone,
			kind: users.kind,
			isAdmin: users.isAdmin,
			disabledAt: users.disabledAt
		})
		.from(users)
		.where(eq(users.id, id));
	if (!user) return null;
	const seats = await db
		.select({ serviceId: serviceStaff.serviceId, serviceName: services.name, title: serviceStaff.title })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(eq(serviceStaff.userId, id))
		.orderBy(asc(services.name));
	return { ...user, seats };
}

export class EmailTakenError extends Error {}

/** Saves a person; returns their id and the sessions a reset password or a disabled account ended. */
export async function savePerson(
	db: Db,
	id: string | null,
	input: PersonInput
): Promise<{ userId: string; endedSessions: string[] }> {
	const [clash] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(sql`lower(${users.email})`, input.email));
	if (clash && clash.id !== id) throw new EmailTakenError();
	const userId = id ?? newId();
	await db.transaction(async (tx) => {
		const fields = {
			name: input.name,
			email: input.email,
			phone: input.phone,
			kind: input.kind,
			isAdmin: input.isAdmin,
			disabledAt: input.disabled ? sql`coalesce(${users.disabledAt}, now())` : null
		};
		if (id) {
			await tx.update(users).set(fields).where(eq(users.id, id));
			if (input.password)
				await tx
					.update(users)
					.set({ passwordHash: await hashPassword(input.password) })
					.where(eq(users.id, id));
		} else {
			await tx.insert(users).values({
				id: userId,
				...fields,
				disabledAt: input.disabled ? new Date() : null,
				passwordHash: await hashPassword(input.password ?? '')
			});
		}
		// A new person may start in one service; more, and changes, are made with `service-memberships.ts`.
		if (!id && input.serviceId && input.kind === 'staff') {
			await tx
				.insert(serviceStaff)
				.values({ serviceId: input.serviceId, userId, title: input.title })
				.onConflictDoUpdate({ target: [serviceStaff.serviceId, serviceStaff.userId], set: { title: input.title } });
		}
	});
	// A reset password or a disabled account ends every open session of that person.
	const endedSessions = id && (input.password || input.disabled) ? await invalidateOtherSessions(db, id, null) : [];
	return { userId, endedSessions };
}
