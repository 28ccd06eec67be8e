import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { EmailTakenError, listPeople, listServices, savePerson } from '$lib/server/admin/directory';
import { parsePersonForm } from '$lib/server/admin/forms';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password-policy';
import { personLabels } from '$lib/i18n/field-labels';
import { formErrorText } from '$lib/i18n/form-errors';
import { recordAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const [people, services] = await Promise.all([listPeople(event.locals.db), listServices(event.locals.db)]);
	return { people, services: services.map((s) => ({ id: s.id, name: s.name })), minLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireAdmin(event);
		const db = event.locals.db;
		const services = await listServices(db);
		const parsed = parsePersonForm(await event.request.formData(), formErrorText, personLabels(), {
			passwordRequired: true,
			serviceIds: services.map((s) => s.id)
		});
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		try {
			const { userId: id } = await savePerson(db, null, parsed.value);
			await recordAudit(db, { actorId: admin.id, action: 'admin.user_saved', target: id });
			redirect(303, `/admin/people/${id}?saved=1`);
		} catch (e) {
			if (e instanceof EmailTakenError) {
				const { password: _password, ...values } = parsed.value;
				return fail(400, {
					errors: { email: m.person_email_taken() },
					values: { ...values, serviceId: values.serviceId ?? '' }
				});
			}
			throw e;
		}
	}
};
