import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { loadPlanContent } from '$lib/server/plans/content';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { colorForUser } from '$lib/sync/colors';
import { DOC_KINDS } from '$lib/plan';
import { actorFromData } from '$lib/plan/rights';
import { allServices, staffByService } from '$lib/server/group/directory';
import {
	addMeasureAsServer,
	followedMeasures,
	setFollowing,
	MEASURE_ACTIONS,
	MeasureActionError,
	runMeasureAction,
	type MeasureAction
} from '$lib/server/measures';
import { planAccess } from '$lib/server/access/plans';
import { contactCounts } from '$lib/server/contacts';
import { measureWaits } from '$lib/server/applications';
import { mayOpenMeeting, mayViewWall, wallMeetingToday } from '$lib/server/meetings/wall';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const planId = event.params.id;
	// The layout checked access (403 without a seat and consent) and loaded the header.
	const { header, planAccess: access } = await event.parent();

	// The current content, rendered on the server: the plan reads (and prints) before any script runs.
	const kinds = DOC_KINDS.filter((kind) => access.docs[kind] !== 'none');
	const content = await loadPlanContent((await getRuntime()).collab, planId, kinds);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: kinds } });

	const services = new Map<string, string>();
	for (const member of header.members)
		if (member.serviceId && member.serviceName) services.set(member.serviceId, member.serviceName);
	// A measure may go to any service of the directory: writers get the services. Who works where is staff's
	// business (patients and relatives find people only by their whole e-mail), so only staff get the names.
	const writes = access.docs.plan === 'write';
	const [directory, staff] = writes
		? await Promise.all([allServices(db), user.kind === 'staff' ? staffByService(db) : []])
		: [[], []];
	// Each measure's contact log count and the decision it waits on: part of the plan (consent to the plan covers it).
	const [counts, waits] = access.scopes.includes('plan')
		? await Promise.all([contactCounts(db, planId), measureWaits(db, planId)])
		: [null, null];
	// The measures this person follows ("Følg"): only with consent to the plan's goals and measures.
	const following = access.scopes.includes('plan') ? await followedMeasures(db, user.id, planId) : null;
	const staffOf = new Map<string, { userId: string; name: string }[]>();
	for (const x of staff)
		staffOf.set(x.serviceId, [...(staffOf.get(x.serviceId) ?? []), { userId: x.userId, name: x.name }]);
	// An open meeting today (or, for the coordinator, one planned for today): the page links to its wall screen.
	const wallAccess = { scopes: new Set(access.scopes), actor: actorFromData(access.actor) };
	const wallMeetingId = mayViewWall(wallAccess)
		? await wallMeetingToday(db, planId, { planned: mayOpenMeeting(wallAccess) })
		: null;
	return {
		wallMeetingId,
		scopes: access.scopes,
		content,
		me: { id: user.id, name: user.name, color: colorForUser(user.id) },
		actor: access.actor,
		access: access.docs,
		people: header.members.map((x) => ({
			userId: x.userId,
			name: x.name,
			serviceId: x.serviceId,
			serviceName: x.serviceName
		})),
		services: [...services].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'nb')),
		directory: directory.map((s) => ({ id: s.id, name: s.name, staff: staffOf.get(s.id) ?? [] })),
		measureLinks: counts && waits ? { planId, counts, waits } : null,
		following
	};
};

const field = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

export const actions: Actions = {
	/** Accept, decline, counter-propose, start, wait, complete, cancel: one measure, as the server (see `runMeasureAction`). */
	measure: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const measureId = field(form, 'measureId');
		const action = field(form, 'action') as MeasureAction;
		const values = {
			measureId,
			action,
			personId: field(form, 'personId'),
			reason: field(form, 'reason'),
			interimMeasure: field(form, 'interimMeasure'),
			counterTitle: field(form, 'counterTitle'),
			counterDueDate: field(form, 'counterDueDate')
		};
		if (!MEASURE_ACTIONS.includes(action)) return fail(400, { measure: { ...values, error: 'invalid' } });
		try {
			await runMeasureAction(
				{ db: event.locals.db, collab: (await getRuntime()).collab },
				user.id,
				event.params.id,
				measureId,
				{
					action,
					personId: values.personId || null,
					reason: values.reason || null,
					interimMeasure: values.interimMeasure || null,
					counter: action === 'counter' ? { title: values.counterTitle, dueDate: values.counterDueDate || null } : null
				}
			);
			return { measure: { measureId, action, done: true } };
		} catch (err) {
			if (err instanceof MeasureActionError) return fail(err.status, { measure: { ...values, error: err.code } });
			throw err;
		}
	},

	/** Follow or stop following a measure ("Følg" / "Følger"): told of its status changes. */
	follow: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const measureId = field(form, 'measureId');
		const follow = field(form, 'follow');
		if (follow !== 'true' && follow !== 'false') return fail(400, { follow: { measureId, error: 'invalid' } });
		try {
			const following = await setFollowing(
				{ db: event.locals.db, collab: (await getRuntime()).collab },
				user.id,
				event.params.id,
				measureId,
				follow === 'true'
			);
			return { follow: { measureId, following } };
		} catch (err) {
			if (err instanceof MeasureActionError) return fail(err.status, { follow: { measureId, error: err.code } });
			throw err;
		}
	},

	/** A new measure, in one step: title, owning service (any in the directory), person and due date. */
	addMeasure: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const values = {
			goalId: field(form, 'goalId'),
			title: field(form, 'title'),
			serviceId: field(form, 'serviceId'),
			personId: field(form, 'personId'),
			dueDate: field(form, 'dueDate')
		};
		const access = await planAccess(event.locals.db, user.id, event.params.id);
		try {
			const result = await addMeasureAsServer(
				{ db: event.locals.db, collab: (await getRuntime()).collab },
				user.id,
				access,
				event.params.id,
				values
			);
			return { addMeasure: { goalId: values.goalId, done: true, proposedService: result.proposedService } };
		} catch (err) {
			if (err instanceof MeasureActionError)
				return fail(err.status, { addMeasure: { ...values, error: err.code, field: err.field ?? null } });
			throw err;
		}
	}
};
