import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { notifications } from '../db/schema';
import { enqueue } from '../jobs/queue';
import type { NoticeKind } from './kinds';

/** Something happened that a person should be told about: ids only. */
export interface NoticeEvent {
	kind: NoticeKind;
	recipientId: string;
	planId: string | null;
	/** The exact place: a path with ids only (see `link` in kinds.ts). */
	linkPath: string;
	/** Ids the rendered text needs (measureId, meetingId, consentId, seatId …). */
	refs?: Record<string, string>;
	/** Names the event for this recipient: the same event, seen twice or by two nodes, is told once. */
	dedupeKey: string;
}

/**
 * Queues notices. Nothing is created here: the worker checks the recipient's access when it runs the job,
 * creates the in-app notice, and queues the e-mail and SMS the person asked for.
 */
export async function queueNotices(db: Db, events: NoticeEvent[], now = new Date()): Promise<number> {
	const seen = new Set<string>();
	const unique = events.filter((e) => !seen.has(e.dedupeKey) && seen.add(e.dedupeKey));
	return enqueue(
		db,
		unique.map((e) => ({ type: 'notice', dedupeKey: `notice:${e.dedupeKey}`, payload: { ...e, refs: e.refs ?? {} } })),
		now
	);
}

/** Creates the in-app notice; null if it exists already (the job ran before, on this node or another). */
export async function createNotice(db: Db, e: NoticeEvent, now: Date): Promise<string | null> {
	const rows = await db
		.insert(notifications)
		.values({
			recipientId: e.recipientId,
			kind: e.kind,
			planId: e.planId,
			linkPath: e.linkPath,
			refs: e.refs ?? {},
			dedupeKey: e.dedupeKey,
			createdAt: now
		})
		.onConflictDoNothing({ target: notifications.dedupeKey })
		.returning({ id: notifications.id });
	return rows[0]?.id ?? null;
}

export async function noticeOf(db: Db, id: string, recipientId?: string) {
	const [row] = await db
		.select()
		.from(notifications)
		.where(
			recipientId ? and(eq(notifications.id, id), eq(notifications.recipientId, recipientId)) : eq(notifications.id, id)
		);
	return row ?? null;
}
