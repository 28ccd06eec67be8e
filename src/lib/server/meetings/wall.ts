import { and, asc, eq, inArray } from 'drizzle-orm';
import { meetingAgendaItems, meetingParticipants, meetings, sessions, users } from '../db/schema';
import { type AgendaKind, type Attendance, type MeetingStatus, type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { osloDay } from '../oslo-day';

/**
 * The wall screen's reads and its one change (opening the meeting). The meeting's planning, agenda editing, minutes
 * and closing live beside this module; the wall only reads what they wrote.
 */

/**
 * How long after the meeting was opened a wall screen is kept signed in by its keep-alive. A meeting rarely runs past
 * two hours; four leaves room for one that starts late, and no more: a forgotten screen on a wall stops showing a
 * plan by itself once the session's ordinary idle limit has passed after this.
 */
export const WALL_SIGNED_IN_HOURS = 4;
export const WALL_SIGNED_IN_MS = WALL_SIGNED_IN_HOURS * 60 * 60 * 1000;

/** The keep-alive's path: the session hook does not count it as activity, so only the rule below refreshes the session. */
const KEEP_ALIVE_PATH = /^\/plans\/[^/]+\/moter\/[^/]+\/skjerm\/keep-alive$/;
export const isWallKeepAlivePath = (pathname: string): boolean => KEEP_ALIVE_PATH.test(pathname);

export interface WallMeeting {
	id: string;
	planId: string;
	status: MeetingStatus;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	openedAt: Date | null;
	openedBy: string | null;
}

export interface WallAgendaItem {
	id: string;
	position: number;
	kind: AgendaKind;
	title: string;
	/** A goal or measure id in the plan document, `voice`, `crisis`, a life area code, or null (see `wall-items.ts`). */
	ref: string | null;
}

export interface WallAttendee {
	userId: string;
	name: string;
}

/** Only members whose consent covers both the meetings and the plan's goals and measures see the wall screen. */
export function mayViewWall(access: Pick<PlanAccess, 'scopes'> | null): boolean {
	return !!access && access.scopes.has('meetings') && access.scopes.has('plan');
}

const OPENERS: ReadonlySet<MemberRole> = new Set(['coordinator', 'specialist_coordinator']);

/** The coordinator, or the specialist-side coordinator, opens the meeting (with a writing seat: a read-only seat leads nothing). */
export function mayOpenMeeting(access: Pick<PlanAccess, 'actor' | 'scopes'> | null): boolean {
	return mayViewWall(access) && [...access!.actor.roles].some((role) => OPENERS.has(role));
}

/** One meeting of this plan, or null (another plan's meeting is as unknown as a missing one). */
export async function loadWallMeeting(db: Db, planId: string, meetingId: string): Promise<WallMeeting | null> {
	const [row] = await db
		.select({
			id: meetings.id,
			planId: meetings.planId,
			status: meetings.status,
			startsAt: meetings.startsAt,
			durationMinutes: meetings.durationMinutes,
			place: meetings.place,
			openedAt: meetings.openedAt,
			openedBy: meetings.openedBy
		})
		.from(meetings)
		.where(and(eq(meetings.id, meetingId), eq(meetings.planId, planId)))
		.limit(1);
	return row ?? null;
}

/** The agenda in position order (ties by id, so every screen shows the same order). */
export async function loadWallAgenda(db: Db, meetingId: string): Promise<WallAgendaItem[]> {
	return db
		.select({
			id: meetingAgendaItems.id,
			position: meetingAgendaItems.position,
			kind: meetingAgendaItems.kind,
			title: meetingAgendaItems.title,
			ref: meetingAgendaItems.ref
		})
		.from(meetingAgendaItems)
		.where(eq(meetingAgendaItems.meetingId, meetingId))
		.orderBy(asc(meetingAgendaItems.position), asc(meetingAgendaItems.id));
}

/** Those recorded as present at the meeting, by name. */
export async function loadWallPresent(db: Db, meetingId: string): Promise<WallAttendee[]> {
	return db
		.select({ userId: meetingParticipants.userId, name: users.name })
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.where(
			and(
				eq(meetingParticipants.meetingId, meetingId),
				eq(meetingParticipants.attendance, 'present' satisfies Attendance)
			)
		)
		.orderBy(asc(users.name));
}

export type OpenMeetingResult =
	{ ok: true; openedAt: Date } | { ok: false; code: 'not_found' | 'forbidden' | 'not_planned' };

/**
 * Opens a planned meeting: status `open`, who and when, audited (`meeting.opened`). The update is conditional on
 * the status, so two screens pressing at once open it once; the second is told it is no longer planned.
 */
export async function openMeeting(
	db: Db,
	input: { planId: string; meetingId: string; userId: string; access: PlanAccess | null; now?: Date }
): Promise<OpenMeetingResult> {
	if (!mayOpenMeeting(input.access)) return { ok: false, code: 'forbidden' };
	const meeting = await loadWallMeeting(db, input.planId, input.meetingId);
	if (!meeting) return { ok: false, code: 'not_found' };
	const now = input.now ?? new Date();
	const opened = await db
		.update(meetings)
		.set({ status: 'open', openedAt: now, openedBy: input.userId })
		.where(and(eq(meetings.id, meeting.id), eq(meetings.status, 'planned')))
		.returning({ id: meetings.id });
	if (opened.length === 0) return { ok: false, code: 'not_planned' };
	await recordAudit(db, { actorId: input.userId, action: 'meeting.opened', planId: input.planId, target: meeting.id });
	return { ok: true, openedAt: now };
}

/** Until when a wall screen of this meeting is kept signed in; null while it is not open. */
export function wallSignedInUntil(meeting: Pick<WallMeeting, 'status' | 'openedAt'>): Date | null {
	if (meeting.status !== 'open' || !meeting.openedAt) return null;
	return new Date(meeting.openedAt.getTime() + WALL_SIGNED_IN_MS);
}

export type KeepAliveDecision = { refresh: true; until: Date } | { refresh: false; reason: 'not_open' | 'past_limit' };

/** The keep-alive rule: refresh the session only while the meeting is open and within `WALL_SIGNED_IN_HOURS` of its opening. */
export function keepAliveDecision(meeting: Pick<WallMeeting, 'status' | 'openedAt'>, now: Date): KeepAliveDecision {
	const until = wallSignedInUntil(meeting);
	if (!until) return { refresh: false, reason: 'not_open' };
	if (now.getTime() >= until.getTime()) return { refresh: false, reason: 'past_limit' };
	return { refresh: true, until };
}

/** Applies the rule to one session: marks it active now when the rule says so, and touches nothing otherwise. */
export async function keepWallSignedIn(
	db: Db,
	sessionId: string,
	meeting: Pick<WallMeeting, 'status' | 'openedAt'>,
	now = new Date()
): Promise<KeepAliveDecision> {
	const decision = keepAliveDecision(meeting, now);
	if (decision.refresh) await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, sessionId));
	return decision;
}

/**
 * The meeting of today (in Oslo) the plan page links to the wall screen of: an open one that started or was opened
 * today; or, for those who may open it (`planned: true`), one planned for today, so the coordinator can start it there.
 */
export async function wallMeetingToday(
	db: Db,
	planId: string,
	opts: { planned: boolean },
	now = new Date()
): Promise<string | null> {
	const rows = await db
		.select({ id: meetings.id, status: meetings.status, startsAt: meetings.startsAt, openedAt: meetings.openedAt })
		.from(meetings)
		.where(and(eq(meetings.planId, planId), inArray(meetings.status, opts.planned ? ['open', 'planned'] : ['open'])))
		.orderBy(asc(meetings.startsAt));
	const today = osloDay(now);
	const isToday = (r: (typeof rows)[number]) =>
		osloDay(r.startsAt) === today || (!!r.openedAt && osloDay(r.openedAt) === today);
	const found =
		rows.find((r) => r.status === 'open' && isToday(r)) ?? rows.find((r) => r.status === 'planned' && isToday(r));
	return found?.id ?? null;
}
