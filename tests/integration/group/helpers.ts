import type { Db } from '../../../src/lib/server/db';
import { serviceStaff, services } from '../../../src/lib/server/db/schema';
import { type ServiceLevel } from '../../../src/lib/vocabulary';
import { osloDay } from '../../../src/lib/server/oslo-day';
import { createUser, testId, type TestUser } from '../collab/fixtures';

/** A service of the directory. */
export async function createService(
	db: Db,
	opts: { name?: string; level?: ServiceLevel; offers?: string } = {}
): Promise<string> {
	const id = testId();
	await db.insert(services).values({
		id,
		name: opts.name ?? `Service ${id.slice(0, 5)}`,
		kind: 'other',
		level: opts.level ?? 'municipal',
		organisation: 'Testvik kommune',
		offers: opts.offers ?? '',
		phone: '700 00 000',
		email: `${id}@service.test`
	});
	return id;
}

/** A staff member working in the given services (the directory's `service_staff`). */
export async function createStaff(db: Db, serviceIds: string[], opts: { name?: string } = {}): Promise<TestUser> {
	const user = await createUser(db, { name: opts.name, kind: 'staff' });
	for (const serviceId of serviceIds)
		await db.insert(serviceStaff).values({ serviceId, userId: user.id, title: 'Rådgiver' });
	return user;
}

/** The calendar day (Oslo) `days` days from `now`, as YYYY-MM-DD. */
export function dayFrom(now: Date, days: number): string {
	return osloDay(new Date(now.getTime() + days * 86_400_000));
}
