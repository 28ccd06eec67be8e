import { json } from '@sveltejs/kit';
import { healthReport } from '$lib/server/health';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** `{ ok, db, database, redis, node }`: see `healthReport`. 503 while the database does not answer. */
export const GET: RequestHandler = async ({ locals }) => {
	const report = await healthReport(locals.db, locals.engine, (await getRuntime()).collab);
	return json(report, { status: report.ok ? 200 : 503 });
};
