import * as Y from 'yjs';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit';
import { mayViewWall } from '$lib/server/meetings/wall';
import { m } from '$lib/paraglide/messages';
import { getRuntime } from '$lib/server/runtime';
import { minutesAccess } from '$lib/server/access/plans';
import { allServices, staffByService } from '$lib/server/group/directory';
import { runMeasureAction, type MeasureAction } from '$lib/server/measures';
import { listAllMeasures, listGoals, planDocName } from '$lib/plan';
import { measureRights } from '$lib/plan/rights';
import { colorForUser } from '$lib/sync/colors';
import {
	absenceCounts,
	ABSENCE_WINDOW,
	addableKinds,
	addAgendaItem,
	adoptedVersionOf,
	cancelMeeting,
	closeMeeting,
	decidedMeasureIds,
	decideMeasure,
	generateAgenda,
	isMeetingError,
	listAgenda,
	listParticipants,
	listStatusNotes,
	meetingFormTime,
	meetingOf,
	MeetingError,
	moveAgendaItem,
	moveMeeting,
	readMinutes,
	recordAttendance,
	removeAgendaItem,
	renameAgendaItem,
	runsMeetings,
	saveStatusNote,
	writesMeetings,
	type Meeting
} from '$lib/server/meetings';
import { formField, refusedForm, requireMeetingsAccess } from '$lib/server/meetings/route';

async function meetingFor(event: Pick<RequestEvent, 'locals' | 'params'>, planId: string): Promise<Meeting> {
	try {
		return await meetingOf(event.locals.db, planId, event.params.meetingId!);
	} catch (err) {
		if (isMeetingError(err)) error(404, 'not found');
		throw err;
	}
}

/**
 * One meeting: when and where, who is invited (with attendance and how often each has been missing), status
 * notes, the agenda, the decisions and their measures, the live minutes, and for the coordinator moving,
 * cancelling and closing. Everything works as plain forms; the minutes editor comes with script.
 */
/** Generated agenda kinds whose title is a goal's or a measure's. */
const PLAN_CONTENT_KINDS: ReadonlySet<string> = new Set([
	'patient_point',
	'overdue_measure',
	'waiting_measure',
	'goal_evaluation'
]);

export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const db = event.locals.db;
	const { user, access } = await requireMeetingsAccess(event, planId);
	const meeting = await meetingFor(event, planId);
	const { collab } = await getRuntime();

	const [participants, notes, agenda, decided, minutes, version] = await Promise.all([
		listParticipants(db, planId, meeting.id),
		listStatusNotes(db, meeting.id),
		listAgenda(db, meeting.id),
		decidedMeasureIds(db, meeting.id),
		readMinutes(collab, meeting.id),
		adoptedVersionOf(db, meeting.id)
	]);
	const absence = await absenceCounts(
		db,
		planId,
		participants.map((p) => p.userId)
	);

	// Goals and measures from the live plan (for the decision form and the decided measures), when consent covers it.
	const seesPlan = access.docs.plan !== 'none';
	const doc = new Y.Doc();
	if (seesPlan) Y.applyUpdate(doc, await collab.readDocState(planDocName(planId)));
	const goals = seesPlan
		? listGoals(doc)
				.filter((g) => g.status !== 'cancelled')
				.map((g) => ({ id: g.id, title: g.title }))
		: [];
	const measures = seesPlan ? listAllMeasures(doc) : [];
	doc.destroy();
	const byId = new Map(measures.map((x) => [x.id, x]));
	const writes = writesMeetings(access) && access.docs.plan === 'write';
	const [services, staff] =
		writes && meeting.status !== 'closed' && meeting.status !== 'cancelled'
			? await Promise.all([allServices(db), user.kind === 'staff' ? staffByService(db) : []])
			: [[], []];
	const serviceNames = new Map((await allServices(db)).map((s) => [s.id, s.name]));
	const names = new Map(participants.map((p) => [p.userId, p.name]));
	for (const x of staff) names.set(x.userId, x.name);

	await recordAudit(db, { actorId: user.id, action: 'meeting.read', planId, target: meeting.id });
	const open = meeting.status === 'planned' || meeting.status === 'open';
	return {
		planId,
		me: { id: user.id, name: user.name, color: colorForUser(user.id) },
		meeting: {
			id: meeting.id,
			status: meeting.status,
			startsAt: meeting.startsAt.toISOString(),
			durationMinutes: meeting.durationMinutes,
			place: meeting.place,
			videoLink: meeting.videoLink,
			movedAt: meeting.movedAt?.toISOString() ?? null,
			closedAt: meeting.closedAt?.toISOString() ?? null,
			nextMeetingId: meeting.nextMeetingId,
			...meetingFormTime(meeting.startsAt)
		},
		versionId: version?.id ?? null,
		participants: participants.map((p) => ({ ...p, absence: absence[p.userId] })),
		absenceWindow: ABSENCE_WINDOW,
		notes: notes.map((n) => ({ ...n, updatedAt: n.updatedAt.toISOString() })),
		// A generated item about a goal or a measure carries its title; without consent to the plan's goals and
		// measures a member sees that there is such an item, not what it says.
		agenda: seesPlan
			? agenda
			: agenda.map((item) =>
					item.generated && PLAN_CONTENT_KINDS.has(item.kind) && item.ref !== 'voice'
						? { ...item, title: m.meetings_agenda_plan_item() }
						: item
				),
		decisions: decided
			.map((id) => byId.get(id))
			.filter((x) => !!x)
			.map((x) => ({
				id: x.id,
				title: x.title,
				status: x.status,
				dueDate: x.dueDate,
				service: x.serviceId ? (serviceNames.get(x.serviceId) ?? null) : null,
				serviceId: x.serviceId,
				personId: x.personId,
				person: x.personId ? (names.get(x.personId) ?? null) : null,
				// The owning service answers on the spot: the same right the plan page offers (`plan/rights.ts`).
				canAnswer:
					open && access.docs.plan === 'write' && x.status === 'requested' && measureRights(access.actor, x).answer,
				staff: staff.filter((s) => s.serviceId === x.serviceId).map((s) => ({ userId: s.userId, name: s.name }))
			})),
		minutes,
		minutesLevel: minutesAccess(access, meeting.status),
		goals,
		services: services.map((s) => ({
			id: s.id,
			name: s.name,
			staff: staff.filter((x) => x.serviceId === s.id).map((x) => ({ userId: x.userId, name: x.name }))
		})),
		may: {
			run: runsMeetings(access) && open,
			decide: writes && open && goals.length > 0,
			note: open && participants.some((p) => p.userId === user.id),
			addKinds: open ? addableKinds(access) : [],
			// The wall screen shows the plan too, so it needs the plan's consent as well as the meetings'.
			wall: open && mayViewWall(access)
		},
		myNote: notes.find((n) => n.userId === user.id)?.body ?? ''
	};
};

const MEETING_FIELDS = ['date', 'time', 'duration', 'place', 'videoLink'] as const;
const meetingValues = (form: FormData) =>
	Object.fromEntries(MEETING_FIELDS.map((f) => [f, formField(form, f)])) as Record<
		(typeof MEETING_FIELDS)[number],
		string
	>;

/** Runs one change of the meeting; a refusal re-renders the form with what was typed; success goes back to the page. */
async function change(
	event: RequestEvent,
	name: string,
	values: (form: FormData) => Record<string, string>,
	run: (ctx: {
		form: FormData;
		userId: string;
		access: Awaited<ReturnType<typeof requireMeetingsAccess>>['access'];
		values: Record<string, string>;
	}) => Promise<void | string>,
	anchor: string
) {
	const planId = event.params.id!;
	const { user, access } = await requireMeetingsAccess(event, planId);
	const form = await event.request.formData();
	const typed = values(form);
	let to: void | string;
	try {
		to = await run({ form, userId: user.id, access, values: typed });
	} catch (err) {
		return refusedForm(err, name, typed, { item: formField(form, 'item'), measureId: formField(form, 'measureId') });
	}
	redirect(303, to ?? `/plans/${planId}/moter/${event.params.meetingId}#${anchor}`);
}

const refusal = () => new MeetingError(403, 'forbidden', 'Not allowed here.');
const deps = async (event: RequestEvent) => ({ db: event.locals.db, collab: (await getRuntime()).collab });
const none = () => ({});

export const actions: Actions = {
	move: (event) =>
		change(
			event,
			'move',
			meetingValues,
			async ({ userId, access, values }) =>
				moveMeeting(event.locals.db, userId, access, event.params.id, event.params.meetingId, values as never),
			'when'
		),

	cancel: (event) =>
		change(
			event,
			'cancel',
			none,
			async ({ userId, access }) => {
				await cancelMeeting(event.locals.db, userId, access, event.params.id, event.params.meetingId);
				// A cancelled meeting's minutes are read-only: open editors become readers now.
				await (await getRuntime()).collab.revalidate({ planId: event.params.id });
			},
			'when'
		),

	note: (event) =>
		change(
			event,
			'note',
			(f) => ({ body: formField(f, 'body') }),
			async ({ userId, access, values }) =>
				saveStatusNote(event.locals.db, userId, access, event.params.id, event.params.meetingId, values.body),
			'notes'
		),

	agendaAdd: (event) =>
		change(
			event,
			'agendaAdd',
			(f) => ({ title: formField(f, 'title'), kind: formField(f, 'kind') }),
			async ({ userId, access, values }) => {
				await addAgendaItem(event.locals.db, userId, access, event.params.id, event.params.meetingId, {
					kind: values.kind,
					title: values.title
				});
			},
			'agenda'
		),

	agendaRename: (event) =>
		change(
			event,
			'agendaRename',
			(f) => ({ title: formField(f, 'title') }),
			async ({ form, userId, access, values }) =>
				renameAgendaItem(
					event.locals.db,
					userId,
					access,
					event.params.id,
					event.params.meetingId,
					formField(form, 'item'),
					values.title
				),
			'agenda'
		),

	agendaRemove: (event) =>
		change(
			event,
			'agendaRemove',
			none,
			async ({ form, userId, access }) =>
				removeAgendaItem(
					event.locals.db,
					userId,
					access,
					event.params.id,
					event.params.meetingId,
					formField(form, 'item')
				),
			'agenda'
		),

	agendaMove: (event) =>
		change(
			event,
			'agendaMove',
			none,
			async ({ form, userId, access }) =>
				moveAgendaItem(
					event.locals.db,
					userId,
					access,
					event.params.id,
					event.params.meetingId,
					formField(form, 'item'),
					formField(form, 'direction') === 'up' ? 'up' : 'down'
				),
			'agenda'
		),

	agendaRegenerate: (event) =>
		change(
			event,
			'agendaRegenerate',
			none,
			async ({ userId, access }) => {
				if (!runsMeetings(access)) throw refusal();
				await generateAgenda(await deps(event), userId, event.params.id, event.params.meetingId);
			},
			'agenda'
		),

	attendance: (event) =>
		change(
			event,
			'attendance',
			none,
			async ({ form, userId, access }) => {
				const entries: Record<string, string> = {};
				for (const [key, value] of form.entries())
					if (key.startsWith('attendance-') && typeof value === 'string' && value)
						entries[key.slice('attendance-'.length)] = value;
				await recordAttendance(event.locals.db, userId, access, event.params.id, event.params.meetingId, entries);
			},
			'participants'
		),

	decide: (event) =>
		change(
			event,
			'decide',
			(f) => ({
				goalId: formField(f, 'goalId'),
				title: formField(f, 'title'),
				serviceId: formField(f, 'serviceId'),
				personId: formField(f, 'personId'),
				dueDate: formField(f, 'dueDate')
			}),
			async ({ userId, access, values }) => {
				await decideMeasure(
					await deps(event),
					userId,
					access,
					event.params.id,
					event.params.meetingId,
					values as never
				);
			},
			'decisions'
		),

	answer: (event) =>
		change(
			event,
			'answer',
			(f) => ({
				personId: formField(f, 'personId'),
				reason: formField(f, 'reason'),
				counterTitle: formField(f, 'counterTitle')
			}),
			async ({ form, userId, access, values }) => {
				const action = formField(form, 'action') as MeasureAction;
				if (!['accept', 'decline', 'counter'].includes(action)) throw refusal();
				// Only a measure decided in this meeting is answered from here; the plan page answers the rest.
				const measureId = formField(form, 'measureId');
				if (
					!(await decidedMeasureIds(event.locals.db, event.params.meetingId)).includes(measureId) ||
					!writesMeetings(access)
				)
					throw refusal();
				await runMeasureAction(await deps(event), userId, event.params.id, measureId, {
					action,
					personId: values.personId || null,
					reason: values.reason || null,
					counter: action === 'counter' ? { title: values.counterTitle } : null
				});
			},
			'decisions'
		),

	close: (event) =>
		change(
			event,
			'close',
			meetingValues,
			async ({ userId, access, values }) => {
				await closeMeeting(await deps(event), userId, access, event.params.id, event.params.meetingId, values as never);
				return `/plans/${event.params.id}/moter/${event.params.meetingId}/enige`;
			},
			'close'
		)
};
