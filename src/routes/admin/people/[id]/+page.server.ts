import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { EmailTakenError, getPerson, listServices, savePerson } from '$lib/server/admin/directory';
import { parsePersonForm } from '$lib/server/admin/forms';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password-policy';
import { personLabels } from '$lib/i18n/field-labels';
import { formErrorText } from '$lib/i18n/form-errors';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const person = await getPerson(event.locals.db, event.params.id);
	if (!person) error(404, 'not found');
	const services = await listServices(event.locals.db);
	const seat = person.seats[0];
	return {
		person,
		values: { ...person, serviceId: seat?.serviceId ?? '', title: seat?.title ?? '', disabled: !!person.disabledAt },
		services: services.map((s) => ({ id: s.id, name: s.name })),
		minLength: MIN_PASSWORD_LENGTH,
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const admin = requireAdmin(event);
		const db = event.locals.db;
		if (!(await getPerson(db, event.params.id))) error(404, 'not found');
		const services = await listServices(db);
		const parsed = parsePersonForm(await event.request.formData(), formErrorText, personLabels(), { passwordRequired: false, serviceIds: services.map((s) => s.id) });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		let endedSessions: string[];
		try {
			({ endedSessions } = await savePerson(db, event.params.id, parsed.value));
		} catch (e) {
			if (e instanceof EmailTakenError) return fail(400, { errors: { email: m.person_email_taken() }, values: parsed.value as unknown as Record<string, string> });
			throw e;
		}
		// Ended sessions and a disabled account lose their open plan connections at once, not at the next page load.
		const { collab } = await getRuntime();
		for (const id of endedSessions) collab.endSession(id);
		if (parsed.value.disabled) await collab.revalidate({ userId: event.params.id });
		await recordAudit(db, { actorId: admin.id, action: 'admin.user_saved', target: event.params.id });
		return { saved: true };
	}
};
