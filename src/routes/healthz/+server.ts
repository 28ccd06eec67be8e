import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';

/** For load balancers and operators: is the database reachable, which engine, and which Node runs the app. */
export const GET: RequestHandler = async ({ locals }) => {
	const body = { db: locals.engine, node: process.version };
	try {
		await locals.db.execute(sql`select 1`);
		return json({ ok: true, ...body });
	} catch {
		return json({ ok: false, ...body }, { status: 503 });
	}
};
