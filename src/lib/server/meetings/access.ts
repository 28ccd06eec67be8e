/**
 * Who may do what with a plan's meetings. Seeing them needs the patient's consent to the meetings scope (the
 * patient and a guardian always have it); planning, moving, cancelling and closing them is the coordinator's and
 * the specialist coordinator's job, from a writing seat, while the plan is not closed.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { meetings } from '../db/schema';
import type { PlanAccess } from '../access/plans';
import { MeetingError } from './errors';

export type Meeting = typeof meetings.$inferSelect;

export function seesMeetings(access: PlanAccess | null): access is PlanAccess {
	return !!access && access.scopes.has('meetings');
}

/** The coordinator or the specialist coordinator, from a writing seat, in a plan that is not closed. */
export function runsMeetings(access: PlanAccess | null): boolean {
	return (
		seesMeetings(access) &&
		access.status !== 'closed' &&
		(access.actor.roles.has('coordinator') || access.actor.roles.has('specialist_coordinator'))
	);
}

/** Any member with a writing seat: posts a status note, adds agenda items, writes the minutes. */
export function writesMeetings(access: PlanAccess | null): boolean {
	return seesMeetings(access) && access.status !== 'closed' && access.actor.roles.size > 0;
}

export function requireSees(access: PlanAccess | null): PlanAccess {
	if (!seesMeetings(access)) throw new MeetingError(403, 'forbidden', 'No access to the meetings of this plan.');
	return access;
}

export function requireRuns(access: PlanAccess | null): PlanAccess {
	if (!runsMeetings(access))
		throw new MeetingError(403, 'forbidden', 'Only the coordinator plans and closes meetings.');
	return access!;
}

/** The meeting, if it belongs to the plan: another plan's meeting id is "not found", never revealed. */
export async function meetingOf(db: Db, planId: string, meetingId: string): Promise<Meeting> {
	const [meeting] = await db
		.select()
		.from(meetings)
		.where(and(eq(meetings.id, meetingId), eq(meetings.planId, planId)))
		.limit(1);
	if (!meeting) throw new MeetingError(404, 'not_found', 'No such meeting in this plan.');
	return meeting;
}

/** Before it is closed (planned or open): status notes, agenda and decisions still change. */
export function requireNotClosed(meeting: Meeting): void {
	if (meeting.status === 'closed' || meeting.status === 'cancelled')
		throw new MeetingError(409, 'closed', 'The meeting is closed.');
}
