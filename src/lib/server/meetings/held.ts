/** The meetings a plan has already held: what "since last time" and the patient's summary are read from. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { meetings } from '../db/schema';
import type { Meeting } from './access';

/** The last closed meeting before `before` (for "since last time"), or null. */
export async function lastClosedMeeting(db: Db, planId: string, before: Date): Promise<Meeting | null> {
	const rows = await db
		.select()
		.from(meetings)
		.where(and(eq(meetings.planId, planId), eq(meetings.status, 'closed')))
		.orderBy(desc(meetings.startsAt));
	return rows.find((r) => r.startsAt < before) ?? null;
}

/** The most recent closed meeting of a plan (its summary is what the patient's view links to), or null. */
export async function latestClosedMeetingId(db: Db, planId: string): Promise<string | null> {
	const [row] = await db
		.select({ id: meetings.id })
		.from(meetings)
		.where(and(eq(meetings.planId, planId), eq(meetings.status, 'closed')))
		.orderBy(desc(meetings.closedAt))
		.limit(1);
	return row?.id ?? null;
}
