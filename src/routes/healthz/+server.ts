import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	try {
		await locals.db.execute(sql`select 1`);
		return json({ ok: true, db: locals.engine });
	} catch {
		return json({ ok: false, db: locals.engine }, { status: 503 });
	}
};
