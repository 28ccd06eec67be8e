import { fail } from '@sveltejs/kit';
import { desc } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { smsOutbox } from '$lib/server/db/schema';
import { failedNotifyJobs, retryNotifyJob } from '$lib/server/notify';

/** Lasting delivery failures and the SMS the recording transport kept. Ids, codes and counts only: no content exists to show. */
export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const db = event.locals.db;
	const failed = (await failedNotifyJobs(db)).map((j) => ({
		id: j.id,
		type: j.type,
		attempts: j.attempts,
		lastError: j.lastError ?? '',
		at: j.finishedAt ?? j.createdAt
	}));
	const sms = await db.select().from(smsOutbox).orderBy(desc(smsOutbox.createdAt)).limit(50);
	return { failed, sms };
};

export const actions: Actions = {
	retry: async (event) => {
		requireAdmin(event);
		const id = Number((await event.request.formData()).get('id'));
		if (!Number.isSafeInteger(id) || id <= 0) return fail(400, { field: 'id' });
		if (!(await retryNotifyJob(event.locals.db, id))) return fail(404, { field: 'id' });
		return { retried: id };
	}
};
