import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { listPlansForUser } from '$lib/server/access/plans';
import { apiError } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { badRequestResponse, BadRequest, readJsonObject } from '$lib/server/http/json-body';
import { osloDay } from '$lib/server/oslo-day';
import { parseStartPlanBody } from '$lib/server/plans/start-input';
import { planStarter } from '$lib/server/plans/starters';
import { EmailInUse, SamePatientExists, startPlan, UnknownPatient } from '$lib/server/plans/start';

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return json({ error: 'unauthenticated', message: 'Not logged in.' }, { status: 401 });
	const plans = await listPlansForUser(locals.db, locals.user.id);
	await recordAudit(locals.db, { actorId: locals.user.id, action: 'plan.list', detail: { count: plans.length } });
	return json(plans);
};

/**
 * Starts a draft plan (see README, "Starting a plan"): `{ "patient": { "name", "birthDate", "email"?, "phone"?,
 * "guardianActs"? } | { "id" }, "title", "periodStart"?, "periodEnd"?, "revisionDate"?, "serviceId"?,
 * "confirmDistinct"? }` → 201 `{ "id", "patientId" }`. A registered patient with the same name and date of birth
 * gets a 409 listing them, unless the body names one (`patient.id`) or says it is someone else (`confirmDistinct`).
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	const starter = await planStarter(locals.db, user);
	if (!starter.allowed) {
		await recordAudit(locals.db, { actorId: user.id, action: 'plan.denied', detail: { start: true } });
		return apiError(403, 'forbidden', 'Only staff of a municipal service or an administrator may start a plan.');
	}
	try {
		const body = parseStartPlanBody(await readJsonObject(request), osloDay(new Date()));
		const serviceIds = starter.services.map((s) => s.id);
		if (body.serviceId && !serviceIds.includes(body.serviceId))
			throw new BadRequest('"serviceId" must be a municipal service you work in.', 'serviceId');
		if (!body.serviceId && serviceIds.length > 1)
			throw new BadRequest('"serviceId" is required: you work in more than one municipal service.', 'serviceId');
		const started = await startPlan(locals.db, user.id, {
			patient:
				body.patient.kind === 'existing'
					? body.patient
					: { kind: 'new', person: body.patient.person, distinctFrom: body.confirmDistinct ? 'any' : [] },
			title: body.title,
			periodStart: body.periodStart,
			periodEnd: body.periodEnd,
			revisionDate: body.revisionDate,
			serviceId: body.serviceId ?? serviceIds[0] ?? null
		});
		await recordAudit(locals.db, {
			actorId: user.id,
			action: 'plan.started',
			planId: started.planId,
			target: started.patientId,
			detail: { patientCreated: started.patientCreated, via: 'api' }
		});
		return json(
			{
				id: started.planId,
				patientId: started.patientId,
				...(started.hadOpenPlan ? { patientHasOtherOpenPlan: true } : {})
			},
			{ status: 201 }
		);
	} catch (err) {
		if (err instanceof SamePatientExists) {
			return json(
				{
					error: 'same_patient_exists',
					message:
						'A patient with this name and date of birth is already registered. Send "patient": { "id": "…" } to start the plan for one of them, or "confirmDistinct": true if this is a different person.',
					candidates: err.candidates.map((c) => ({
						id: c.id,
						name: c.name,
						birthDate: c.birthDate,
						hasOpenPlan: c.hasOpenPlan
					}))
				},
				{ status: 409 }
			);
		}
		if (err instanceof UnknownPatient)
			return json(
				{ error: 'bad_request', message: '"patient.id" is not a registered patient.', field: 'patient.id' },
				{ status: 400 }
			);
		if (err instanceof EmailInUse)
			return json(
				{ error: 'email_in_use', message: '"patient.email" already belongs to an account.', field: 'patient.email' },
				{ status: 409 }
			);
		return badRequestResponse(err);
	}
};
