import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { planApiAccess } from '$lib/server/access/guards';
import { BadRequest, badRequestResponse, fields, readJsonObject } from '$lib/server/http/json-body';
import { CONSENT_GIVERS, CONSENT_SCOPES } from '$lib/vocabulary';
import {
	ConsentRefused,
	consentGrantees,
	giversFor,
	mayManageConsent,
	NOTE_MAX,
	recordConsent,
	type ConsentProblem,
	type ConsentRequest
} from '$lib/server/consent';
import { getRuntime } from '$lib/server/runtime';

const MESSAGES: Record<string, string> = {
	'grantee:required': 'Give "userId" or "serviceId".',
	'grantee:not_member': 'is not a member of this plan’s group now.',
	'grantee:sees_all': 'sees the whole plan without consent (patient, guardian or coordinator).',
	'grantee:service_not_in_group': 'has no member in this plan’s group now.',
	'scopes:required': 'must name at least one part.',
	'until:before_from': 'is before "from".',
	'until:in_past': 'has already passed.',
	'givenBy:required': 'is required.',
	'givenBy:not_allowed': 'is not one you may record (the patient records "patient", a guardian "guardian").',
	'reviewDate:required': 'is required when "givenBy" is "staff_capacity".',
	'reviewDate:in_past': 'has already passed.',
	'note:too_long': `is longer than ${NOTE_MAX} characters.`
};

/** The 400 for the first problem, naming the field as the body spelled it. */
function problemResponse(problem: ConsentProblem, body: { userId: string | null; serviceId: string | null }): Response {
	const field = problem.field === 'grantee' ? (body.serviceId ? 'serviceId' : 'userId') : problem.field;
	const text = MESSAGES[`${problem.field}:${problem.code}`] ?? 'is not valid.';
	const message = /^[A-Z]/.test(text) ? text : `"${field}" ${text}`;
	return badRequestResponse(new BadRequest(message, field));
}

/**
 * `POST /api/plans/<id>/consents` — the patient, a guardian for them or the coordinator records a consent:
 * `{ "userId" | "serviceId", "scopes", "from"?, "until"?, "givenBy", "reviewDate"?, "note"? }` (days YYYY-MM-DD,
 * in Norway), or `{ "kind": "plan", "givenBy", … }` for the consent to the plan itself. `201 { "id" }`.
 */
export const POST: RequestHandler = async (event) => {
	const planId = event.params.id;
	const allowed = await planApiAccess(event, planId, mayManageConsent);
	if (allowed instanceof Response) return allowed;
	const access = allowed.access!;
	const db = event.locals.db;

	let request: ConsentRequest;
	let named: { userId: string | null; serviceId: string | null };
	try {
		const body = await readJsonObject(event.request);
		const f = fields(body, ['kind', 'userId', 'serviceId', 'scopes', 'from', 'until', 'givenBy', 'reviewDate', 'note']);
		const kind = f.oneOf('kind', ['plan', 'access'] as const, { optional: true }) ?? 'access';
		const userId = f.string('userId', { max: 64, optional: true });
		const serviceId = f.string('serviceId', { max: 64, optional: true });
		if (kind === 'access' && !!userId === !!serviceId)
			throw new BadRequest('Give exactly one of "userId" and "serviceId".', userId ? 'serviceId' : 'userId');
		if (kind === 'plan') {
			const extra = userId ? 'userId' : serviceId ? 'serviceId' : body.scopes !== undefined ? 'scopes' : null;
			if (extra) throw new BadRequest(`A consent to the plan itself has no "${extra}".`, extra);
		}
		named = { userId, serviceId };
		request = {
			kind,
			grantee: kind === 'plan' ? null : userId ? { userId } : { serviceId: serviceId! },
			scopes: kind === 'plan' ? [] : f.setOf('scopes', CONSENT_SCOPES),
			from: f.date('from', { optional: true }),
			until: f.date('until', { optional: true }),
			givenBy: f.oneOf('givenBy', CONSENT_GIVERS),
			reviewDate: f.date('reviewDate', { optional: true }),
			note: f.string('note', { max: NOTE_MAX, optional: true })
		};
	} catch (e) {
		return badRequestResponse(e);
	}

	const givers = giversFor(access, (await consentGrantees(db, planId)).patientHasGuardian);
	let id: string;
	try {
		id = await recordConsent(db, planId, allowed.user.id, request, { givers });
	} catch (e) {
		if (e instanceof ConsentRefused) return problemResponse(e.problems[0], named);
		throw e;
	}
	await (await getRuntime()).collab.revalidate({ planId });
	return json({ id }, { status: 201 });
};
