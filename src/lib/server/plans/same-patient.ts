import { and, eq, ne, sql } from 'drizzle-orm';
import { plans, users } from '../db/schema';
import type { Db } from '../db';
import { planAccess } from '../access/plans';

/** A registered patient with the same name and date of birth as the one being registered. */
export interface SamePatient {
	id: string;
	name: string;
	birthDate: string;
	/** They already have a plan that is not closed (said even when the starter may not see that plan). */
	hasOpenPlan: boolean;
	/** The open plans the starter may see themselves (title and link); others stay unnamed. */
	visiblePlans: { id: string; title: string }[];
}

/** Names compare without case and extra spaces: "jonas  berg" is "Jonas Berg". */
export const normalisedName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const storedName = sql`lower(regexp_replace(trim(${users.name}), '\\s+', ' ', 'g'))`;

/**
 * Patients who may be the person being registered: same name, same date of birth. A plan must not be started
 * twice for one person by mistake, so the form stops and asks when this list is not empty.
 */
export async function findSamePatient(
	db: Db,
	person: { name: string; birthDate: string },
	viewerId: string,
	now = new Date()
): Promise<SamePatient[]> {
	const rows = await db
		.select({ id: users.id, name: users.name, birthDate: users.birthDate })
		.from(users)
		.where(
			and(eq(users.kind, 'patient'), eq(users.birthDate, person.birthDate), eq(storedName, normalisedName(person.name)))
		)
		.orderBy(users.createdAt);
	const out: SamePatient[] = [];
	for (const r of rows) {
		const open = await db
			.select({ id: plans.id, title: plans.title })
			.from(plans)
			.where(and(eq(plans.patientId, r.id), ne(plans.status, 'closed')));
		const visiblePlans: SamePatient['visiblePlans'] = [];
		for (const p of open) {
			const access = await planAccess(db, viewerId, p.id, now);
			if (access && access.scopes.size > 0) visiblePlans.push(p);
		}
		out.push({
			id: r.id,
			name: r.name,
			birthDate: r.birthDate ?? person.birthDate,
			hasOpenPlan: open.length > 0,
			visiblePlans
		});
	}
	return out;
}
