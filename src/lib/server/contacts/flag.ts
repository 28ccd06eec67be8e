/**
 * "Three misses in a row": the pattern the coordinator should see before anyone quietly gives up. The flag is not
 * stored; it is what the log says now (`missedInARow`). When an entry raises or clears it, that is written to the
 * audit log (`contact.flagged`, `contact.flag_cleared`, target the plan or the measure), and a flag raised is
 * sent to the plan's coordinators as a notification (without content, and only while they have access).
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { contactEntries } from '../db/schema';
import { recordAudit } from '../audit';
import { flagThreeMisses } from '../notify';
import { flaggedRuns, type MissRun, type StreakEntry } from './rules';

/** The runs of misses in a plan that are long enough to flag (empty: nothing to flag). */
export async function missedInARow(db: Db, planId: string): Promise<MissRun[]> {
	return flaggedRuns(await streakEntries(db, planId));
}

export const flagsOf = missedInARow;

const keyOf = (r: MissRun) => r.measureId ?? '';

/**
 * Compares the flags now with those before a change to `entryId`, audits each one raised or cleared, and tells
 * the coordinators of each one raised (once per entry that raised it).
 */
export async function announceFlagChanges(
	db: Db,
	actorId: string,
	planId: string,
	before: MissRun[],
	entryId: string
): Promise<{ raised: MissRun[]; cleared: MissRun[] }> {
	const after = await missedInARow(db, planId);
	const was = new Set(before.map(keyOf));
	const is = new Set(after.map(keyOf));
	const raised = after.filter((r) => !was.has(keyOf(r)));
	const cleared = before.filter((r) => !is.has(keyOf(r)));
	for (const r of raised)
		await recordAudit(db, {
			actorId,
			action: 'contact.flagged',
			planId,
			target: r.measureId ?? planId,
			detail: { scope: r.measureId ? 'measure' : 'plan', count: r.count }
		});
	for (const r of raised) await flagThreeMisses(db, { planId, measureId: r.measureId, entryId });
	for (const r of cleared)
		await recordAudit(db, {
			actorId,
			action: 'contact.flag_cleared',
			planId,
			target: r.measureId ?? planId,
			detail: { scope: r.measureId ? 'measure' : 'plan' }
		});
	return { raised, cleared };
}

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
