import { eq, max } from 'drizzle-orm';
import type { Db } from '../db';
import { docUpdates } from '../db/schema';
import { crisisDocName } from '../../plan';

/**
 * When the crisis plan last changed: the time of its newest stored update (updates are kept as the attribution
 * history, compaction only adds snapshots), or null for a plan whose crisis document was never written.
 */
export async function crisisPlanChangedAt(db: Db, planId: string): Promise<Date | null> {
	const [row] = await db
		.select({ at: max(docUpdates.createdAt) })
		.from(docUpdates)
		.where(eq(docUpdates.docName, crisisDocName(planId)));
	return row?.at ? new Date(row.at) : null;
}
