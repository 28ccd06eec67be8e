/** Status notes: what each invited member has to say before the meeting, also those who cannot come. One each. */
import { and, asc, eq } from 'drizzle-orm';
import { LIMITS } from '../../plan';
import type { Db } from '../db';
import { meetingParticipants, meetingStatusNotes, users } from '../db/schema';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { meetingOf, requireNotClosed, requireSees } from './access';
import { MeetingError } from './errors';

export async function isInvited(db: Db, meetingId: string, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ userId: meetingParticipants.userId })
		.from(meetingParticipants)
		.where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId)))
		.limit(1);
	return !!row;
}

/** Posts or replaces the person's own note. Only the invited, only before the meeting is closed. */
export async function saveStatusNote(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	rawBody: string
): Promise<void> {
	requireSees(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	if (!(await isInvited(db, meetingId, actorId)))
		throw new MeetingError(403, 'forbidden', 'Only those invited post a status note.');
	const body = rawBody.replace(/\r\n?/g, '\n').trim();
	if (!body) throw new MeetingError(400, 'text_required', 'Write your status note.', 'body');
	if (body.length > LIMITS.note) throw new MeetingError(400, 'too_long', `At most ${LIMITS.note} characters.`, 'body');
	await db
		.insert(meetingStatusNotes)
		.values({ meetingId, userId: actorId, body })
		.onConflictDoUpdate({
			target: [meetingStatusNotes.meetingId, meetingStatusNotes.userId],
			set: { body, updatedAt: new Date() }
		});
	await recordAudit(db, { actorId, action: 'meeting.status_note', planId, target: meetingId });
}

export interface StatusNote {
	userId: string;
	name: string;
	body: string;
	updatedAt: Date;
}

export async function listStatusNotes(db: Db, meetingId: string): Promise<StatusNote[]> {
	return db
		.select({
			userId: meetingStatusNotes.userId,
			name: users.name,
			body: meetingStatusNotes.body,
			updatedAt: meetingStatusNotes.updatedAt
		})
		.from(meetingStatusNotes)
		.innerJoin(users, eq(users.id, meetingStatusNotes.userId))
		.where(eq(meetingStatusNotes.meetingId, meetingId))
		.orderBy(asc(users.name));
}
