import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requirePlanAccess, speaksForPatient } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { requireFollowUpReader } from '$lib/server/contacts/guard';
import { FollowUpError, planMeasureTitles } from '$lib/server/contacts';
import {
	createApplication,
	DECISION_TEXT_MAX,
	listApplications,
	updateApplication,
	WHAT_MAX,
	BODY_MAX
} from '$lib/server/applications';
import { allServices } from '$lib/server/group/directory';
import { osloToday } from '$lib/server/oslo-day';

const requireReader = (event: RequestEvent) => requireFollowUpReader(event, 'applications');

export const load: PageServerLoad = async (event) => {
	const { user, access, who } = await requireReader(event);
	const db = event.locals.db;
	const planId = event.params.id;
	const { header } = await event.parent();
	const [list, titles, directory] = await Promise.all([
		listApplications(db, planId),
		planMeasureTitles((await getRuntime()).collab, planId),
		who.records ? allServices(db) : []
	]);
	await recordAudit(db, { actorId: user.id, action: 'application.read', planId });
	return {
		own: speaksForPatient(access),
		patientName: header.patient.name,
		records: who.records,
		applications: list,
		measures: [...titles].map(([id, title]) => ({ id, title })),
		services: directory,
		today: osloToday(),
		limits: { what: WHAT_MAX, body: BODY_MAX, decisionText: DECISION_TEXT_MAX },
		saved: event.url.searchParams.get('saved')
	};
};

interface ApplicationFormValues {
	what: string;
	serviceId: string;
	body: string;
	appliedOn: string;
	expectedOn: string;
	status: string;
	outcome: string;
	decidedOn: string;
	decisionText: string;
	measureIds: string[];
}

function valuesOf(form: FormData): ApplicationFormValues {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	return {
		what: text('what'),
		serviceId: text('serviceId'),
		body: text('body'),
		appliedOn: text('appliedOn'),
		expectedOn: text('expectedOn'),
		status: text('status'),
		outcome: text('outcome'),
		decidedOn: text('decidedOn'),
		decisionText: text('decisionText'),
		measureIds: form.getAll('measureIds').filter((x): x is string => typeof x === 'string')
	};
}

export const actions: Actions = {
	save: async (event) => {
		const { user } = await requirePlanAccess(event, event.params.id);
		const form = await event.request.formData();
		const applicationId = form.get('applicationId');
		const id = typeof applicationId === 'string' ? applicationId : '';
		const values = valuesOf(form);
		const ctx = { db: event.locals.db, collab: (await getRuntime()).collab };
		let savedId = id;
		try {
			if (id) await updateApplication(ctx, user.id, event.params.id, id, values);
			else savedId = (await createApplication(ctx, user.id, event.params.id, values)).id;
		} catch (err) {
			if (err instanceof FollowUpError)
				return fail(err.status, { save: { applicationId: id, values, error: err.code, field: err.field ?? null } });
			throw err;
		}
		redirect(303, `/plans/${event.params.id}/soknader?saved=${encodeURIComponent(savedId)}#application-${savedId}`);
	}
};
