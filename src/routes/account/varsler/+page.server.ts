import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { users } from '$lib/server/db/schema';
import { NOTICE_KINDS, parsePreferencesForm, preferencesOf, savePreferences } from '$lib/server/notify';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [me] = await event.locals.db
		.select({ email: users.email, phone: users.phone })
		.from(users)
		.where(eq(users.id, user.id));
	return {
		kinds: [...NOTICE_KINDS],
		prefs: await preferencesOf(event.locals.db, user.id),
		hasEmail: !!me?.email,
		hasPhone: !!me?.phone
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const parsed = parsePreferencesForm(form);
		if ('field' in parsed) {
			// What was chosen stays chosen: the page shows the submitted values, the bad one marked.
			const values = Object.fromEntries(
				[...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v).slice(0, 16)])
			);
			return fail(400, { field: parsed.field, values });
		}
		await savePreferences(event.locals.db, user.id, parsed.prefs);
		return { saved: true };
	}
};
