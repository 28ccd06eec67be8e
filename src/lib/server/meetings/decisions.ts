/**
 * "Vedtak → tiltak": a decision of the meeting becomes a measure of the plan in one step (goal, title, owning
 * service, person, due date), through the same server path and checks as the plan page's add row
 * (`measures/add.ts`), and is recorded on the meeting so its summary lists what was decided there.
 */
import { asc, eq } from 'drizzle-orm';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { meetingDecisions } from '../db/schema';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { addMeasureAsServer, type NewMeasureForm } from '../measures';
import { meetingOf, requireNotClosed, requireSees, writesMeetings } from './access';
import { MeetingError } from './errors';

export async function decideMeasure(
	deps: { db: Db; collab: Pick<CollabServer, 'applyServerChange' | 'readDocState'> },
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	input: NewMeasureForm
): Promise<{ measureId: string; proposedService: boolean }> {
	const { db } = deps;
	requireSees(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	if (!writesMeetings(access)) throw new MeetingError(403, 'forbidden', 'No write access to this plan.');
	// Throws MeasureActionError (with the field) on bad input; nothing is recorded then.
	const added = await addMeasureAsServer(deps, actorId, access, planId, input);
	await db.insert(meetingDecisions).values({ meetingId, measureId: added.measureId, decidedBy: actorId });
	await recordAudit(db, {
		actorId,
		action: 'meeting.decided',
		planId,
		target: meetingId,
		detail: { measureId: added.measureId }
	});
	return added;
}

/** The measure ids decided in a meeting, in the order they were decided. */
export async function decidedMeasureIds(db: Db, meetingId: string): Promise<string[]> {
	const rows = await db
		.select({ measureId: meetingDecisions.measureId })
		.from(meetingDecisions)
		.where(eq(meetingDecisions.meetingId, meetingId))
		.orderBy(asc(meetingDecisions.decidedAt));
	return rows.map((r) => r.measureId);
}
