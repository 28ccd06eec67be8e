import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/lib/server/db';
import { consents, serviceStaff, services, users } from '../../../src/lib/server/db/schema';
import { type ServiceKind, type ServiceLevel } from '../../../src/lib/vocabulary';
import type { SessionUser } from '../../../src/lib/server/auth/session';
import { createUser, testId, type TestUser } from '../collab/fixtures';

/** A service of the given level (the coordinator must come from a municipal one). */
export async function createService(
	db: Db,
	opts: { level?: ServiceLevel; kind?: ServiceKind; name?: string } = {}
): Promise<string> {
	const id = testId();
	await db.insert(services).values({
		id,
		name: opts.name ?? `Service ${id.slice(0, 6)}`,
		kind: opts.kind ?? 'mental_health',
		level: opts.level ?? 'municipal',
		organisation: 'Testvik kommune'
	});
	return id;
}

/** A staff member working in `serviceIds`. */
export async function createStaff(
	db: Db,
	serviceIds: string[],
	opts: { name?: string; isAdmin?: boolean } = {}
): Promise<TestUser> {
	const user = await createUser(db, { name: opts.name, kind: 'staff' });
	if (opts.isAdmin) await db.update(users).set({ isAdmin: true }).where(eq(users.id, user.id));
	for (const serviceId of serviceIds)
		await db.insert(serviceStaff).values({ serviceId, userId: user.id, title: 'Tester' });
	return user;
}

/** The session user a route sees for `user`. */
export async function sessionUser(db: Db, user: { id: string }): Promise<SessionUser> {
	const [row] = await db
		.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
		.from(users)
		.where(eq(users.id, user.id));
	return row;
}

/** The patient's consent to having a plan at all (what the consent page records). */
export async function recordPlanConsent(
	db: Db,
	planId: string,
	recordedBy: string,
	opts: { validUntil?: Date | null; validFrom?: Date } = {}
): Promise<string> {
	const [row] = await db
		.insert(consents)
		.values({
			planId,
			kind: 'plan',
			scopes: ['plan', 'crisis', 'voice', 'meetings'],
			validFrom: opts.validFrom ?? new Date(Date.now() - 60_000),
			validUntil: opts.validUntil ?? null,
			givenBy: 'patient',
			recordedBy
		})
		.returning({ id: consents.id });
	return row.id;
}

export const uniqueName = (base: string) => `${base} ${testId().slice(0, 6)}`;
