/**
 * Before the meeting: the coordinator plans it (when, how long, where or on which link), invites the group,
 * moves it or cancels it. Every change is audited with ids only.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { meetingParticipants, meetings, plans } from '../db/schema';
import { planAccess, memberIds, type PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { requireRuns, meetingOf, type Meeting } from './access';
import { MeetingError } from './errors';
import { readMeetingPlace, readMeetingTime, type MeetingForm } from './input';
import { generateAgenda, type AgendaDeps } from './agenda';

/**
 * Who is invited by default: every member with a live seat whose consent covers the meetings, and the patient
 * always (even one who never logs in: the invitation is on paper, too).
 */
export async function defaultInvitees(db: Db, planId: string, now = new Date()): Promise<string[]> {
	const [plan] = await db.select({ patientId: plans.patientId }).from(plans).where(eq(plans.id, planId)).limit(1);
	const out = new Set<string>(plan ? [plan.patientId] : []);
	for (const userId of await memberIds(db, planId, now)) {
		const access = await planAccess(db, userId, planId, now);
		if (access?.scopes.has('meetings')) out.add(userId);
	}
	return [...out];
}

/** Plans a meeting, invites the group, and generates its agenda from the plan. Resolves with its id. */
export async function planMeeting(
	deps: AgendaDeps,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	form: MeetingForm,
	opts: { invitees?: string[] } = {}
): Promise<string> {
	const { db } = deps;
	requireRuns(access);
	const time = readMeetingTime(form);
	const place = readMeetingPlace(form);
	const invitees = await inviteesFrom(db, planId, opts.invitees);
	const id = await createMeeting(db, actorId, planId, { ...time, ...place }, invitees);
	await generateAgenda(deps, actorId, planId, id);
	return id;
}

async function inviteesFrom(db: Db, planId: string, chosen: string[] | undefined): Promise<string[]> {
	const defaults = await defaultInvitees(db, planId);
	if (!chosen) return defaults;
	// Only people who may see the meeting can be invited; the patient always is.
	const allowed = new Set(defaults);
	const [plan] = await db.select({ patientId: plans.patientId }).from(plans).where(eq(plans.id, planId)).limit(1);
	const out = new Set<string>(plan ? [plan.patientId] : []);
	for (const id of chosen) {
		if (!allowed.has(id))
			throw new MeetingError(
				400,
				'invalid',
				'Only members whose consent covers the meetings can be invited.',
				'invitees'
			);
		out.add(id);
	}
	return [...out];
}

/** The row and its invitations, in one transaction; also used when closing plans the next meeting. */
export async function createMeeting(
	db: Db,
	actorId: string,
	planId: string,
	values: { startsAt: Date; durationMinutes: number; place: string; videoLink: string },
	invitees: string[]
): Promise<string> {
	const id = await db.transaction(async (tx) => {
		const [row] = await tx
			.insert(meetings)
			.values({ planId, ...values, createdBy: actorId })
			.returning({ id: meetings.id });
		if (invitees.length > 0)
			await tx
				.insert(meetingParticipants)
				.values(invitees.map((userId) => ({ meetingId: row.id, userId, invitedBy: actorId })));
		return row.id;
	});
	await recordAudit(db, {
		actorId,
		action: 'meeting.planned',
		planId,
		target: id,
		detail: { invited: invitees.length }
	});
	return id;
}

/** Moves a planned meeting to another time (and place): `movedAt` tells the invitees it changed. */
export async function moveMeeting(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	form: MeetingForm
): Promise<void> {
	requireRuns(access);
	const meeting = await meetingOf(db, planId, meetingId);
	if (meeting.status !== 'planned') throw new MeetingError(409, 'not_planned', 'Only a planned meeting can be moved.');
	const time = readMeetingTime(form);
	const place = readMeetingPlace(form);
	await db
		.update(meetings)
		.set({ ...time, ...place, movedAt: new Date() })
		.where(and(eq(meetings.id, meetingId), eq(meetings.status, 'planned')));
	await recordAudit(db, { actorId, action: 'meeting.moved', planId, target: meetingId });
}

export async function cancelMeeting(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string
): Promise<void> {
	requireRuns(access);
	const meeting = await meetingOf(db, planId, meetingId);
	if (meeting.status !== 'planned')
		throw new MeetingError(409, 'not_planned', 'Only a planned meeting can be cancelled.');
	await db
		.update(meetings)
		.set({ status: 'cancelled' })
		.where(and(eq(meetings.id, meetingId), eq(meetings.status, 'planned')));
	await recordAudit(db, { actorId, action: 'meeting.cancelled', planId, target: meetingId });
}

export interface MeetingListing {
	id: string;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	videoLink: string;
	status: Meeting['status'];
	movedAt: Date | null;
	invited: boolean;
}

/** Upcoming (planned or open, soonest first) and past (closed or cancelled, newest first) meetings of a plan. */
export async function listMeetings(
	db: Db,
	planId: string,
	userId: string
): Promise<{ upcoming: MeetingListing[]; past: MeetingListing[] }> {
	const rows = await db.select().from(meetings).where(eq(meetings.planId, planId)).orderBy(asc(meetings.startsAt));
	const mine = rows.length
		? new Set(
				(
					await db
						.select({ meetingId: meetingParticipants.meetingId })
						.from(meetingParticipants)
						.where(
							and(
								eq(meetingParticipants.userId, userId),
								inArray(
									meetingParticipants.meetingId,
									rows.map((r) => r.id)
								)
							)
						)
				).map((r) => r.meetingId)
			)
		: new Set<string>();
	const listing = (r: Meeting): MeetingListing => ({
		id: r.id,
		startsAt: r.startsAt,
		durationMinutes: r.durationMinutes,
		place: r.place,
		videoLink: r.videoLink,
		status: r.status,
		movedAt: r.movedAt,
		invited: mine.has(r.id)
	});
	const upcoming = rows.filter((r) => r.status === 'planned' || r.status === 'open').map(listing);
	const past = rows
		.filter((r) => r.status === 'closed' || r.status === 'cancelled')
		.map(listing)
		.reverse();
	return { upcoming, past };
}
