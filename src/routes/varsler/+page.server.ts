import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { listNotices, markAllRead, markRead } from '$lib/server/notify';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The header's live socket invalidates this when the person's notices change.
	event.depends('app:notices');
	return { items: await listNotices(event.locals.db, user.id) };
};

export const actions: Actions = {
	read: async (event) => {
		const user = requireUser(event);
		const id = (await event.request.formData()).get('id');
		if (typeof id !== 'string' || id.length === 0 || id.length > 64) return fail(400, { field: 'id' });
		await markRead(event.locals.db, user.id, id);
		return { read: id };
	},
	readAll: async (event) => {
		const user = requireUser(event);
		await markAllRead(event.locals.db, user.id);
		return { readAll: true };
	}
};
