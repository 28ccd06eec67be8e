import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit';
import { loadPlanHeader } from '$lib/server/plans/header';
import { agreedSummary, isMeetingError, meetingOf } from '$lib/server/meetings';
import { requireMeetingsAccess } from '$lib/server/meetings/route';
import { speaksForPatient } from '$lib/server/access/guards';

/**
 * "Dette ble vi enige om": what a closed meeting agreed, for the patient in plain words, from the adopted
 * version (it never changes afterwards). The page resets to the root layout (nothing of the plan page around it,
 * so it prints clean), so it runs the meetings guard itself.
 */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const db = event.locals.db;
	const { user, access } = await requireMeetingsAccess(event, planId);
	const meeting = await meetingOf(db, planId, event.params.meetingId).catch((err: unknown) => {
		if (isMeetingError(err)) error(404, 'not found');
		throw err;
	});
	const header = await loadPlanHeader(db, planId);
	if (!header) error(404, 'not found');
	// The measures are the plan's goals-and-measures part: shown only where consent covers it (the meetings alone do not).
	const seesMeasures = access.docs.plan !== 'none';
	const summary = seesMeasures ? await agreedSummary(db, meeting) : null;
	const next = meeting.nextMeetingId ? await meetingOf(db, planId, meeting.nextMeetingId).catch(() => null) : null;
	await recordAudit(db, {
		actorId: user.id,
		action: 'meeting.read',
		planId,
		target: meeting.id,
		detail: { page: 'agreed' }
	});
	return {
		planId,
		meetingId: meeting.id,
		title: header.title,
		patientName: header.patient.name,
		toPatient: speaksForPatient(access),
		startsAt: meeting.startsAt.toISOString(),
		closed: meeting.status === 'closed',
		seesMeasures,
		summary: summary ? { decided: summary.decided, ongoing: summary.ongoing } : null,
		next: next ? { startsAt: next.startsAt.toISOString(), place: next.place, videoLink: next.videoLink } : null
	};
};
