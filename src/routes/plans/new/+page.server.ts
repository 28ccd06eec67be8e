import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';
import { osloDay } from '$lib/server/oslo-day';
import { findSamePatient, type SamePatient } from '$lib/server/plans/same-patient';
import { parseStartForm } from '$lib/server/plans/start-input';
import { planStarter } from '$lib/server/plans/starters';
import { EmailInUse, SamePatientExists, startPlan, UnknownPatient, type PatientChoice } from '$lib/server/plans/start';
import { startFormText, startLabels } from '$lib/i18n/start-plan-form';
import { m } from '$lib/paraglide/messages';

/** Only staff of a municipal service, or an administrator, may start a plan. */
async function requireStarter(event: Pick<RequestEvent, 'locals'>) {
	const user = requireUser(event);
	const starter = await planStarter(event.locals.db, user);
	if (!starter.allowed) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', detail: { start: true } });
		error(403, 'forbidden');
	}
	return { user, starter };
}

export const load: PageServerLoad = async (event) => {
	const { starter } = await requireStarter(event);
	return { services: starter.services, today: osloDay(new Date()) };
};

/** What the page shows of a possible same person: name, date of birth, an open plan, and only the plans the starter may see. */
const forPage = (same: SamePatient[]) =>
	same.map((s) => ({
		id: s.id,
		name: s.name,
		birthDate: s.birthDate,
		hasOpenPlan: s.hasOpenPlan,
		visiblePlans: s.visiblePlans
	}));

export const actions: Actions = {
	default: async (event) => {
		const { user, starter } = await requireStarter(event);
		const db = event.locals.db;
		const parsed = parseStartForm(
			await event.request.formData(),
			startFormText,
			startLabels(),
			osloDay(new Date()),
			starter.services.map((s) => s.id)
		);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const input = parsed.value;

		// Nothing is written while a registered person may be this one, until the starter has said who it is.
		const same = await findSamePatient(db, input.person, user.id);
		const ids = same.map((s) => s.id);
		let patient: PatientChoice | null = null;
		if (same.length === 0) patient = { kind: 'new', person: input.person, distinctFrom: [] };
		else if (input.patientChoice === 'new' && ids.every((id) => input.seen.includes(id)))
			patient = { kind: 'new', person: input.person, distinctFrom: input.seen };
		else if (input.patientChoice && ids.includes(input.patientChoice))
			patient = { kind: 'existing', id: input.patientChoice };
		// A choice made about another list (the name or date changed since) does not count.
		const askAgain = (list: SamePatient[]) =>
			fail(409, {
				values: parsed.values,
				same: forPage(list),
				chooseError: input.patientChoice && list.length ? m.start_same_choose() : null
			});
		if (!patient) return askAgain(same);

		let started;
		try {
			started = await startPlan(db, user.id, {
				patient,
				title: input.title,
				periodStart: input.periodStart,
				periodEnd: input.periodEnd,
				revisionDate: input.revisionDate,
				serviceId: input.serviceId
			});
		} catch (err) {
			if (err instanceof SamePatientExists) return askAgain(err.candidates);
			if (err instanceof UnknownPatient) return askAgain(await findSamePatient(db, input.person, user.id));
			if (err instanceof EmailInUse)
				return fail(400, { errors: { email: m.start_email_in_use() }, values: parsed.values });
			throw err;
		}
		await recordAudit(db, {
			actorId: user.id,
			action: 'plan.started',
			planId: started.planId,
			target: started.patientId,
			detail: { patientCreated: started.patientCreated, via: 'form' }
		});
		redirect(303, `/plans/${started.planId}`);
	}
};
