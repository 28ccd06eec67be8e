import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { planAccess } from '$lib/server/access/plans';
import { recordAudit } from '$lib/server/audit';
import { loadPlanHeader } from '$lib/server/plans/header';
import { loadPlanContent } from '$lib/server/plans/content';
import { allServices } from '$lib/server/group/directory';
import { getRuntime } from '$lib/server/runtime';
import { colorForUser } from '$lib/sync/colors';
import { DOC_KINDS } from '$lib/plan';
import {
	WALL_SIGNED_IN_HOURS,
	loadWallAgenda,
	loadWallMeeting,
	loadWallPresent,
	mayOpenMeeting,
	mayViewWall,
	openMeeting,
	wallSignedInUntil
} from '$lib/server/meetings/wall';
import { itemIndex, wallItems } from '$lib/components/wall/wall-items';

/**
 * The wall screen: one meeting's agenda over the live plan, for a shared screen. Outside the plan's layout (no
 * header or menu), so it checks access itself: a live seat and consent to both the meetings and the plan.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const { id: planId, meetingId } = event.params;
	const access = await planAccess(db, user.id, planId);
	if (!mayViewWall(access)) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId });
		error(403, 'forbidden');
	}
	const [header, meeting] = await Promise.all([loadPlanHeader(db, planId), loadWallMeeting(db, planId, meetingId)]);
	if (!header || !meeting) error(404, 'not found');

	const kinds = DOC_KINDS.filter((kind) => access!.docs[kind] !== 'none');
	const [agenda, present, services, content] = await Promise.all([
		loadWallAgenda(db, meeting.id),
		loadWallPresent(db, meeting.id),
		allServices(db),
		loadPlanContent((await getRuntime()).collab, planId, kinds)
	]);
	await recordAudit(db, {
		actorId: user.id,
		action: 'plan.read',
		planId,
		detail: { parts: kinds, meetingId: meeting.id }
	});

	return {
		// The root layout leaves out the site header for this page: nothing on the wall but the meeting.
		bare: true,
		plan: { id: planId, title: header.title },
		meeting: {
			id: meeting.id,
			status: meeting.status,
			startsAt: meeting.startsAt,
			place: meeting.place,
			signedInUntil: wallSignedInUntil(meeting)
		},
		signedInHours: WALL_SIGNED_IN_HOURS,
		agenda: agenda.map(({ id, kind, title, ref }) => ({ id, kind, title, ref })),
		item: itemIndex(event.url.searchParams.get('item'), wallItems(agenda, content).length),
		present,
		content,
		kinds,
		me: { id: user.id, name: user.name, color: colorForUser(user.id) },
		mayOpen: mayOpenMeeting(access),
		people: header.members.map((x) => ({ userId: x.userId, name: x.name })),
		services: services.map((s) => ({ id: s.id, name: s.name }))
	};
};

export const actions: Actions = {
	/** "Start møtet": the coordinator opens the planned meeting. */
	start: async (event) => {
		const user = requireUser(event);
		const db = event.locals.db;
		const { id: planId, meetingId } = event.params;
		const access = await planAccess(db, user.id, planId);
		if (!mayViewWall(access)) {
			await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId });
			error(403, 'forbidden');
		}
		const result = await openMeeting(db, { planId, meetingId, userId: user.id, access });
		if (result.ok) return { start: { done: true } };
		const status = result.code === 'forbidden' ? 403 : result.code === 'not_found' ? 404 : 409;
		return fail(status, { start: { error: result.code } });
	}
};
