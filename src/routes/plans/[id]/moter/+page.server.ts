import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { listMeetings, planMeeting, runsMeetings } from '$lib/server/meetings';
import { formField, refusedForm, requireMeetingsAccess } from '$lib/server/meetings/route';

/** The plan's meetings: upcoming and past, and (for the coordinator) a form to plan the next one. */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const { user, access } = await requireMeetingsAccess(event, planId);
	const { upcoming, past } = await listMeetings(event.locals.db, planId, user.id);
	await recordAudit(event.locals.db, { actorId: user.id, action: 'meeting.read', planId, detail: { page: 'list' } });
	const row = (x: (typeof upcoming)[number]) => ({
		...x,
		startsAt: x.startsAt.toISOString(),
		movedAt: x.movedAt?.toISOString() ?? null
	});
	return { planId, upcoming: upcoming.map(row), past: past.map(row), canPlan: runsMeetings(access) };
};

const MEETING_FIELDS = ['date', 'time', 'duration', 'place', 'videoLink'] as const;

export const actions: Actions = {
	plan: async (event) => {
		const planId = event.params.id;
		const { user, access } = await requireMeetingsAccess(event, planId);
		const form = await event.request.formData();
		const values = Object.fromEntries(MEETING_FIELDS.map((f) => [f, formField(form, f)])) as Record<
			(typeof MEETING_FIELDS)[number],
			string
		>;
		let id: string;
		try {
			id = await planMeeting(
				{ db: event.locals.db, collab: (await getRuntime()).collab },
				user.id,
				access,
				planId,
				values
			);
		} catch (err) {
			return refusedForm(err, 'plan', values);
		}
		redirect(303, `/plans/${planId}/moter/${id}`);
	}
};
