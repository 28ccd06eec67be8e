/**
 * "Three misses in a row": the pattern the coordinator should see before anyone quietly gives up. The flag is not
 * stored; it is what the log says now (`missedInARow`). What happens when an entry raises or clears it is in
 * `flag-changes.ts`.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { contactEntries } from '../db/schema';
import { flaggedRuns, type MissRun, type StreakEntry } from './rules';

/** The runs of misses in a plan that are long enough to flag (empty: nothing to flag). */
export async function missedInARow(db: Db, planId: string): Promise<MissRun[]> {
	return flaggedRuns(await streakEntries(db, planId));
}

export const flagsOf = missedInARow;

/** The entries as the streak rules need them. */
export async function streakEntries(db: Db, planId: string): Promise<StreakEntry[]> {
	const rows = await db
		.select({
			kind: contactEntries.kind,
			occurredAt: contactEntries.occurredAt,
			createdAt: contactEntries.createdAt,
			measureId: contactEntries.measureId,
			struckAt: contactEntries.struckAt
		})
		.from(contactEntries)
		.where(eq(contactEntries.planId, planId))
		.orderBy(asc(contactEntries.occurredAt));
	return rows.map((r) => ({
		kind: r.kind,
		occurredAt: r.occurredAt,
		createdAt: r.createdAt,
		measureId: r.measureId,
		struck: !!r.struckAt
	}));
}
