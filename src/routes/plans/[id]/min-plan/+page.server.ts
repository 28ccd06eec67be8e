import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { isCoordinator, requirePlanAccess } from '$lib/server/access/guards';
import type { PlanAccess } from '$lib/server/access/plans';
import { loadPlanHeader } from '$lib/server/plans/header';
import { loadPlanContent } from '$lib/server/plans/content';
import { allServices } from '$lib/server/group/directory';
import { recordAudit } from '$lib/server/audit';
import { latestClosedMeetingId } from '$lib/server/meetings';
import { getRuntime } from '$lib/server/runtime';
import { actorOf } from '$lib/server/access/plans';
import { speaksForPatient } from '$lib/plan/rights';
import {
	addPatientGoal,
	addPatientResource,
	answerGoalProposal,
	formChangeBudget,
	MemberChangeError,
	type MemberChangeDeps,
	ratePatientGoal,
	rewordPatientGoal,
	rewordPatientResource
} from '$lib/server/patient-view';

/**
 * The patient's own view of the plan (issue 10): what matters to them, every goal with what is done about it,
 * their resources, the crisis plan's link and their group. The same guard as every plan page (403 without a
 * seat and consent); it reads only the parts consent covers, and the read is logged as the plan page's is.
 */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const { user, access } = await requirePlanAccess(event, planId);
	const db = event.locals.db;
	const header = await loadPlanHeader(db, planId);
	if (!header) error(404, 'not found');

	const kinds = (['voice', 'plan'] as const).filter((kind) => access.docs[kind] !== 'none');
	const [content, services] = await Promise.all([
		loadPlanContent((await getRuntime()).collab, planId, kinds),
		allServices(db)
	]);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: kinds } });

	const patient = speaksForPatient(actorOf(user.id, access));
	// The group as the group page shows it: to those whose consent covers the plan or its meetings.
	const coordinates = isCoordinator(access, user);
	const seesGroup = access.scopes.has('plan') || access.scopes.has('meetings') || coordinates;
	return {
		planId,
		title: header.title,
		patientName: header.patient.name,
		me: user.id,
		voice: content.voice,
		lifeAreas: content.lifeAreas,
		seesCrisis: access.docs.crisis !== 'none',
		// What the last meeting agreed, in plain words (issue 9), for those who see the meetings.
		agreedMeetingId: access.scopes.has('meetings') ? await latestClosedMeetingId(db, planId) : null,
		// The plan's pages (the whole plan, who may see it, who has looked), as on every page of the plan.
		navAccess: { scopes: [...access.scopes], isCoordinator: coordinates, speaksForPatient: patient },
		// Forms only for the patient (or guardian), and only where they write: the server checks again on each post.
		writes: { plan: patient && access.docs.plan === 'write', voice: patient && access.docs.voice === 'write' },
		people: Object.fromEntries(header.members.map((x) => [x.userId, x.name])),
		services: Object.fromEntries(services.map((s) => [s.id, s.name])),
		group: seesGroup
			? header.members
					.filter((x) => x.userId !== header.patient.id)
					.map((x) => ({ userId: x.userId, name: x.name, role: x.role, service: x.serviceName, phone: x.phone }))
			: null
	};
};

const field = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

/** Runs one change; a refusal re-renders the form with what was typed and a code the page says in words. */
async function change(
	event: RequestEvent,
	form: string,
	values: Record<string, string>,
	run: (deps: MemberChangeDeps, userId: string, access: PlanAccess) => Promise<unknown>,
	anchor: string
) {
	const { user, access } = await requirePlanAccess(event, event.params.id);
	try {
		await run({ db: event.locals.db, collab: (await getRuntime()).collab, budget: formChangeBudget }, user.id, access);
	} catch (err) {
		if (err instanceof MemberChangeError)
			return fail(err.status, { form, values, error: err.code, field: err.field ?? null });
		throw err;
	}
	// After a change, back to the page (a reload does not post again); the fragment finds the place, never any text.
	redirect(303, `/plans/${event.params.id}/min-plan#${anchor}`);
}

export const actions: Actions = {
	addGoal: async (event) => {
		const form = await event.request.formData();
		const values = { title: field(form, 'title'), lifeArea: field(form, 'lifeArea') };
		return change(
			event,
			'addGoal',
			values,
			(deps, userId, access) => addPatientGoal(deps, userId, access, event.params.id, values),
			'mine-mal'
		);
	},
	editGoal: async (event) => {
		const form = await event.request.formData();
		const values = { goalId: field(form, 'goalId'), title: field(form, 'title') };
		return change(
			event,
			'editGoal',
			values,
			(deps, userId, access) => rewordPatientGoal(deps, userId, access, event.params.id, values.goalId, values.title),
			`mal-${values.goalId}`
		);
	},
	answerProposal: async (event) => {
		const form = await event.request.formData();
		const values = { goalId: field(form, 'goalId'), answer: field(form, 'answer') };
		return change(
			event,
			'answerProposal',
			values,
			(deps, userId, access) => answerGoalProposal(deps, userId, access, event.params.id, values.goalId, values.answer),
			`mal-${values.goalId}`
		);
	},
	rate: async (event) => {
		const form = await event.request.formData();
		const values = { goalId: field(form, 'goalId'), rating: field(form, 'rating') };
		return change(
			event,
			'rate',
			values,
			(deps, userId, access) => ratePatientGoal(deps, userId, access, event.params.id, values.goalId, values.rating),
			`mal-${values.goalId}`
		);
	},
	addResource: async (event) => {
		const form = await event.request.formData();
		const values = { text: field(form, 'text') };
		return change(
			event,
			'addResource',
			values,
			(deps, userId, access) => addPatientResource(deps, userId, access, event.params.id, values.text),
			'mine-ressurser'
		);
	},
	editResource: async (event) => {
		const form = await event.request.formData();
		const values = { resourceId: field(form, 'resourceId'), text: field(form, 'text') };
		return change(
			event,
			'editResource',
			values,
			(deps, userId, access) =>
				rewordPatientResource(deps, userId, access, event.params.id, values.resourceId, values.text),
			`ressurs-${values.resourceId}`
		);
	}
};
