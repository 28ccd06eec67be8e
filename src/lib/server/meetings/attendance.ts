/**
 * Attendance per invited member: present, sent a status note (did not come), or absent. The coordinator records
 * it; at closing, anyone not recorded is taken as "sent a note" when they did, else absent. Counted over the
 * plan's closed meetings, since the GP and DPS are so often missing.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { meetingParticipants, meetingStatusNotes, meetings, planMembers, users } from '../db/schema';
import { ATTENDANCE, type Attendance, type MemberRole } from '../../vocabulary';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { meetingOf, requireNotClosed, requireRuns } from './access';
import { MeetingError } from './errors';

export interface Participant {
	userId: string;
	name: string;
	role: MemberRole | null;
	attendance: Attendance | null;
	sentNote: boolean;
}

export async function listParticipants(db: Db, planId: string, meetingId: string): Promise<Participant[]> {
	const rows = await db
		.select({ userId: meetingParticipants.userId, name: users.name, attendance: meetingParticipants.attendance })
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.where(eq(meetingParticipants.meetingId, meetingId))
		.orderBy(asc(users.name));
	const notes = new Set(
		(
			await db
				.select({ userId: meetingStatusNotes.userId })
				.from(meetingStatusNotes)
				.where(eq(meetingStatusNotes.meetingId, meetingId))
		).map((r) => r.userId)
	);
	const seats = await db
		.select({ userId: planMembers.userId, role: planMembers.role })
		.from(planMembers)
		.where(eq(planMembers.planId, planId))
		.orderBy(desc(planMembers.joinedAt));
	const roleOf = new Map<string, MemberRole>();
	for (const s of seats) if (!roleOf.has(s.userId)) roleOf.set(s.userId, s.role);
	return rows.map((r) => ({ ...r, role: roleOf.get(r.userId) ?? null, sentNote: notes.has(r.userId) }));
}

const isAttendance = (v: string): v is Attendance => (ATTENDANCE as readonly string[]).includes(v);

/** Records attendance for the invited members named in `entries` (others untouched). Coordinator only. */
export async function recordAttendance(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	entries: Record<string, string>
): Promise<void> {
	requireRuns(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	const invited = new Set(
		(
			await db
				.select({ userId: meetingParticipants.userId })
				.from(meetingParticipants)
				.where(eq(meetingParticipants.meetingId, meetingId))
		).map((r) => r.userId)
	);
	const changes: [string, Attendance][] = [];
	for (const [userId, value] of Object.entries(entries)) {
		if (!invited.has(userId))
			throw new MeetingError(400, 'invalid', 'Attendance is recorded for invited members only.', 'attendance');
		if (!isAttendance(value))
			throw new MeetingError(400, 'invalid', 'Present, status note or absent.', `attendance-${userId}`);
		changes.push([userId, value]);
	}
	const now = new Date();
	await db.transaction(async (tx) => {
		for (const [userId, attendance] of changes)
			await tx
				.update(meetingParticipants)
				.set({ attendance, attendanceRecordedAt: now, attendanceRecordedBy: actorId })
				.where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId)));
	});
	await recordAudit(db, {
		actorId,
		action: 'meeting.attendance',
		planId,
		target: meetingId,
		detail: { recorded: changes.length }
	});
}

/** At closing: whoever was not recorded sent a note (if they did) or was absent. Inside the closing transaction. */
export async function settleAttendance(
	tx: Pick<Db, 'select' | 'update'>,
	meetingId: string,
	actorId: string,
	now: Date
): Promise<void> {
	const open = await tx
		.select({ userId: meetingParticipants.userId })
		.from(meetingParticipants)
		.where(and(eq(meetingParticipants.meetingId, meetingId), isNull(meetingParticipants.attendance)));
	if (open.length === 0) return;
	const notes = new Set(
		(
			await tx
				.select({ userId: meetingStatusNotes.userId })
				.from(meetingStatusNotes)
				.where(eq(meetingStatusNotes.meetingId, meetingId))
		).map((r) => r.userId)
	);
	for (const { userId } of open)
		await tx
			.update(meetingParticipants)
			.set({
				attendance: notes.has(userId) ? 'status_note' : 'absent',
				attendanceRecordedAt: now,
				attendanceRecordedBy: actorId
			})
			.where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId)));
}

/** How many of the last meetings to count. */
export const ABSENCE_WINDOW = 5;

export interface AbsenceCount {
	/** Closed meetings the person was invited to, at most `ABSENCE_WINDOW`, newest first. */
	meetings: number;
	/** Of those, how many they did not come to (absent, or only a status note). */
	missed: number;
}

/** Per person: missed of the last N closed meetings of the plan they were invited to. */
export async function absenceCounts(
	db: Db,
	planId: string,
	userIds: string[],
	window = ABSENCE_WINDOW
): Promise<Record<string, AbsenceCount>> {
	const out: Record<string, AbsenceCount> = {};
	for (const id of userIds) out[id] = { meetings: 0, missed: 0 };
	if (userIds.length === 0) return out;
	const rows = await db
		.select({ userId: meetingParticipants.userId, attendance: meetingParticipants.attendance })
		.from(meetingParticipants)
		.innerJoin(meetings, eq(meetings.id, meetingParticipants.meetingId))
		.where(
			and(eq(meetings.planId, planId), eq(meetings.status, 'closed'), inArray(meetingParticipants.userId, userIds))
		)
		.orderBy(desc(meetings.startsAt));
	for (const r of rows) {
		const c = out[r.userId];
		if (c.meetings >= window) continue;
		c.meetings++;
		if (r.attendance !== 'present') c.missed++;
	}
	return out;
}
