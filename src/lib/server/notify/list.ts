import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { meetings, meetingStatusNotes, notifications, plans, projectedMeasures, users } from '../db/schema';
import { recordAudit } from '../audit';
import { isNoticeKind, type NoticeKind } from './kinds';
import { mayBeTold } from './recipients';

/** One notice as the list shows it: its words are made from the kind and these current facts. */
export interface NoticeItem {
	id: string;
	kind: NoticeKind;
	planId: string | null;
	planTitle: string | null;
	/** The measure's title now (null if it is gone). */
	measureTitle: string | null;
	meetingStartsAt: Date | null;
	/** A meeting reminder: the person has not sent a status note yet. */
	statusNoteMissing: boolean;
	createdAt: Date;
	read: boolean;
}

/**
 * The person's notices, newest first, for plans (and parts of them) they may still see; the rest are left out.
 * Texts come from the plan as it is now (a renamed measure shows its new title). Each plan shown is audited.
 */
export async function listNotices(
	db: Db,
	userId: string,
	opts: { limit?: number; now?: Date } = {}
): Promise<NoticeItem[]> {
	const now = opts.now ?? new Date();
	const rows = await db
		.select()
		.from(notifications)
		.where(eq(notifications.recipientId, userId))
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(opts.limit ?? 100);
	const visible = await visibleFilter(db, userId, now);
	const shown = [];
	for (const r of rows)
		if (isNoticeKind(r.kind) && (await visible(r.planId, r.kind))) shown.push({ ...r, kind: r.kind });
	const planIds = [...new Set(shown.map((r) => r.planId).filter((p): p is string => !!p))];
	const titles = new Map(
		planIds.length
			? (await db.select({ id: plans.id, title: plans.title }).from(plans).where(inArray(plans.id, planIds))).map(
					(p) => [p.id, p.title]
				)
			: []
	);
	const measureIds = [...new Set(shown.map((r) => r.refs.measureId).filter(Boolean))];
	const measures = new Map(
		measureIds.length
			? (
					await db
						.select({
							planId: projectedMeasures.planId,
							id: projectedMeasures.measureId,
							title: projectedMeasures.title
						})
						.from(projectedMeasures)
						.where(inArray(projectedMeasures.measureId, measureIds))
				).map((m) => [`${m.planId}:${m.id}`, m.title])
			: []
	);
	const meetingIds = [...new Set(shown.map((r) => r.refs.meetingId).filter(Boolean))];
	const meetingRows = new Map(
		meetingIds.length
			? (
					await db
						.select({ id: meetings.id, startsAt: meetings.startsAt })
						.from(meetings)
						.where(inArray(meetings.id, meetingIds))
				).map((m) => [m.id, m.startsAt])
			: []
	);
	const notesSent = new Set(
		meetingIds.length
			? (
					await db
						.select({ meetingId: meetingStatusNotes.meetingId })
						.from(meetingStatusNotes)
						.where(and(inArray(meetingStatusNotes.meetingId, meetingIds), eq(meetingStatusNotes.userId, userId)))
				).map((n) => n.meetingId)
			: []
	);
	for (const planId of planIds)
		await recordAudit(db, {
			actorId: userId,
			action: 'plan.read',
			planId,
			detail: { parts: ['plan'], via: 'notices' }
		});
	return shown.map((r) => ({
		id: r.id,
		kind: r.kind,
		planId: r.planId,
		planTitle: r.planId ? (titles.get(r.planId) ?? null) : null,
		measureTitle: r.refs.measureId ? (measures.get(`${r.planId}:${r.refs.measureId}`) ?? null) : null,
		meetingStartsAt: r.refs.meetingId ? (meetingRows.get(r.refs.meetingId) ?? null) : null,
		statusNoteMissing: r.kind === 'meeting.reminder' && !!r.refs.meetingId && !notesSent.has(r.refs.meetingId),
		createdAt: r.createdAt,
		read: r.readAt !== null
	}));
}

/** How many unread notices the person may still see (the header's count). */
export async function unreadCount(db: Db, userId: string, now = new Date()): Promise<number> {
	const rows = await db
		.select({ planId: notifications.planId, kind: notifications.kind })
		.from(notifications)
		.where(and(eq(notifications.recipientId, userId), isNull(notifications.readAt)));
	const visible = await visibleFilter(db, userId, now);
	let n = 0;
	for (const r of rows) if (isNoticeKind(r.kind) && (await visible(r.planId, r.kind))) n++;
	return n;
}

/** Marks one of the person's notices read; returns where it points, or null if it is not theirs or no longer visible. */
export async function openNotice(db: Db, userId: string, id: string, now = new Date()): Promise<string | null> {
	const [row] = await db
		.select()
		.from(notifications)
		.where(and(eq(notifications.id, id), eq(notifications.recipientId, userId)));
	if (!row || !isNoticeKind(row.kind) || !(await mayBeTold(db, userId, row.planId, row.kind, now))) return null;
	if (!row.readAt) await db.update(notifications).set({ readAt: now }).where(eq(notifications.id, id));
	return row.linkPath;
}

export async function markRead(db: Db, userId: string, id: string, now = new Date()): Promise<boolean> {
	const rows = await db
		.update(notifications)
		.set({ readAt: now })
		.where(and(eq(notifications.id, id), eq(notifications.recipientId, userId), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	return rows.length > 0;
}

export async function markAllRead(db: Db, userId: string, now = new Date()): Promise<number> {
	const rows = await db
		.update(notifications)
		.set({ readAt: now })
		.where(and(eq(notifications.recipientId, userId), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	return rows.length;
}

/** Access per plan and kind, asked once per pair. */
async function visibleFilter(db: Db, userId: string, now: Date) {
	const cache = new Map<string, boolean>();
	const [me] = await db.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
	return async (planId: string | null, kind: NoticeKind) => {
		if (!me || me.disabledAt) return false;
		const key = `${planId}:${kind}`;
		if (!cache.has(key)) cache.set(key, await mayBeTold(db, userId, planId, kind, now));
		return cache.get(key)!;
	};
}
