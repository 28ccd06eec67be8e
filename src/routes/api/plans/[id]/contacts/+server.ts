import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { badRequestResponse, fields, readJsonObject } from '$lib/server/http/json-body';
import { followUpAccess, FollowUpError, listContacts, recordContact } from '$lib/server/contacts';
import { getRuntime } from '$lib/server/runtime';

/**
 * `GET /api/plans/<id>/contacts[?measure=<measureId>]` → the contact log, newest first (plan scope reads).
 * `POST /api/plans/<id>/contacts` `{ kind, occurredAt?, measureId?, note? }` → 201 `{ id, flagged }` (staff with write
 * access). The same checks as the form: 400 `{ error, field }` naming the field, 403 not allowed.
 */
export const GET: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	const planId = event.params.id;
	const who = await followUpAccess(event.locals.db, user.id, planId);
	if (!who?.reads) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', planId });
		return apiError(403, 'forbidden', 'No access to this plan.');
	}
	const measureId = event.url.searchParams.get('measure') || null;
	const entries = await listContacts(event.locals.db, planId, { measureId });
	await recordAudit(event.locals.db, {
		actorId: user.id,
		action: 'contact.read',
		planId,
		detail: { via: 'api', ...(measureId ? { measureId } : {}) }
	});
	return json(
		entries.map((e) => ({
			id: e.id,
			kind: e.kind,
			occurredAt: e.occurredAt.toISOString(),
			measureId: e.measureId,
			note: e.note,
			recordedBy: e.recordedBy,
			service: e.serviceName,
			struck: e.struck ? { at: e.struck.at.toISOString(), by: e.struck.byName, reason: e.struck.reason } : null
		}))
	);
};

export const POST: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	let body: Record<string, unknown>;
	try {
		body = await readJsonObject(event.request);
		fields(body, ['kind', 'occurredAt', 'measureId', 'note']);
	} catch (err) {
		return badRequestResponse(err);
	}
	try {
		const result = await recordContact(
			{ db: event.locals.db, collab: (await getRuntime()).collab },
			user.id,
			event.params.id,
			body as never
		);
		return json(
			{ id: result.id, flagged: result.raised.map((r) => ({ measureId: r.measureId, count: r.count })) },
			{ status: 201 }
		);
	} catch (err) {
		if (err instanceof FollowUpError)
			return json(
				{
					error: err.status === 400 ? 'bad_request' : err.code,
					code: err.code,
					...(err.field ? { field: err.field } : {})
				},
				{ status: err.status }
			);
		throw err;
	}
};
