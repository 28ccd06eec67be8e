import type { Db } from '../db';
import { link } from './kinds';
import { queueNotices } from './notices';
import { seatHolders } from './recipients';

export interface ThreeMisses {
	planId: string;
	/** The measure the contacts were about; null or absent for contacts on the plan itself. */
	measureId?: string | null;
	/** The contact-log entry that made the third miss in a row: names the event, so it is told once. */
	entryId: string;
}

/**
 * For the contact log: three misses in a row ("ikke møtt", door not opened …). The plan's coordinators are told
 * (in the app, and by e-mail/SMS as each chose, without content), once per `entryId`, and only while they still
 * have access. Call it in or after the transaction that stored the entry; it returns how many notices were queued.
 */
export async function flagThreeMisses(db: Db, misses: ThreeMisses, now = new Date()): Promise<number> {
	const coordinators = await seatHolders(db, misses.planId, ['coordinator'], now);
	const linkPath = misses.measureId ? link.measure(misses.planId, misses.measureId) : link.plan(misses.planId);
	const refs: Record<string, string> = { entryId: misses.entryId };
	if (misses.measureId) refs.measureId = misses.measureId;
	return queueNotices(
		db,
		coordinators.map((c) => ({
			kind: 'contacts.three_misses',
			recipientId: c,
			planId: misses.planId,
			linkPath,
			refs,
			dedupeKey: `contacts.three_misses:${misses.entryId}:${c}`
		})),
		now
	);
}
