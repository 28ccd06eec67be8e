/**
 * Closing a meeting (the coordinator): the next meeting must be set, so the close form plans it; then the
 * meeting is closed (who, when, which meeting follows), attendance not recorded is settled, the minutes' open
 * sockets are rechecked (a closed meeting's minutes are read-only for everyone, `minutesAccess`, so writers are
 * downgraded and their writes dropped), every accepted change is flushed to storage, the plan as it stands
 * is stored as the adopted version ("vedtatt versjon"), and its delivery to the archive is queued.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { meetingParticipants, meetings } from '../db/schema';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { adoptPlanVersion } from '../history/versions';
import { queueDelivery } from '../archive/deliveries';
import { meetingOf, requireRuns } from './access';
import { settleAttendance } from './attendance';
import { generateAgenda } from './agenda';
import { MeetingError } from './errors';
import { readMeetingPlace, readMeetingTime, type MeetingForm } from './input';
import { createMeeting, defaultInvitees } from './planning';

export interface CloseDeps {
	db: Db;
	collab: Pick<CollabServer, 'flush' | 'revalidate' | 'readDocState'>;
}

export interface Closed {
	nextMeetingId: string;
	versionId: string;
}

/** `next`: the next meeting's date and time (required), duration, place and link (this meeting's when left empty). */
export async function closeMeeting(
	deps: CloseDeps,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	next: MeetingForm
): Promise<Closed> {
	const { db, collab } = deps;
	requireRuns(access);
	const meeting = await meetingOf(db, planId, meetingId);
	if (meeting.status !== 'planned' && meeting.status !== 'open')
		throw new MeetingError(409, 'closed', 'The meeting is already closed.');
	if (!next.date.trim())
		throw new MeetingError(400, 'next_required', 'Set the date of the next meeting before closing.', 'date');
	const time = readMeetingTime(next);
	if (time.startsAt <= meeting.startsAt)
		throw new MeetingError(400, 'next_before', 'The next meeting comes after this one.', 'date');
	const place =
		next.place.trim() || next.videoLink.trim()
			? readMeetingPlace(next)
			: { place: meeting.place, videoLink: meeting.videoLink };

	const now = new Date();
	const nextMeetingId = await createMeeting(
		db,
		actorId,
		planId,
		{ ...time, ...place },
		await defaultInvitees(db, planId, now)
	);
	const closed = await db.transaction(async (tx) => {
		const rows = await tx
			.update(meetings)
			.set({ status: 'closed', closedAt: now, closedBy: actorId, nextMeetingId })
			.where(and(eq(meetings.id, meetingId), inArray(meetings.status, ['planned', 'open'])))
			.returning({ id: meetings.id });
		if (rows.length === 0) return false;
		await settleAttendance(tx, meetingId, actorId, now);
		return true;
	});
	if (!closed) {
		// Someone closed it meanwhile: the next meeting planned for it is not needed.
		await db.delete(meetingParticipants).where(eq(meetingParticipants.meetingId, nextMeetingId));
		await db.delete(meetings).where(eq(meetings.id, nextMeetingId));
		throw new MeetingError(409, 'closed', 'The meeting is already closed.');
	}
	// Open minutes editors become readers now; then everything accepted so far is in storage before adopting.
	await collab.revalidate({ planId });
	await collab.flush();
	const versionId = await adoptPlanVersion(db, { planId, meetingId, adoptedBy: actorId });
	// The adopted version, its minutes and the consents in force go to the municipality's archive.
	await queueDelivery(db, {
		planId,
		reason: 'meeting_closed',
		requestedBy: actorId,
		version: { id: versionId, meetingId }
	});
	await recordAudit(db, {
		actorId,
		action: 'meeting.closed',
		planId,
		target: meetingId,
		detail: { versionId, nextMeetingId }
	});
	await generateAgenda({ db, collab }, actorId, planId, nextMeetingId, now);
	return { nextMeetingId, versionId };
}
