import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/access/guards';
import { badRequestResponse, readJsonObject } from '$lib/server/http/json-body';
import { MeasureActionError, readMeasureActionJson, runMeasureAction } from '$lib/server/measures';
import { getRuntime } from '$lib/server/runtime';

/**
 * `POST /api/plans/<id>/measures/<measureId>/status` with `{ action, personId?, reason?, interimMeasure?, counter? }`
 * → 200 `{ measure, counter? }`; 400 bad input, 403 not allowed, 404 unknown measure, 409 not from its status.
 */
export const POST: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	let input;
	try {
		input = readMeasureActionJson(await readJsonObject(event.request));
	} catch (err) {
		return badRequestResponse(err);
	}
	try {
		const result = await runMeasureAction(
			{ db: event.locals.db, collab: (await getRuntime()).collab },
			user.id,
			event.params.id,
			event.params.measureId,
			input
		);
		return json(result);
	} catch (err) {
		if (err instanceof MeasureActionError)
			return json(
				{ error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) },
				{ status: err.status }
			);
		throw err;
	}
};
