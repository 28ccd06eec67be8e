import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { EmailTakenError, getPerson, listServices, savePerson } from '$lib/server/admin/directory';
import { removeServiceMembership, setServiceMembership } from '$lib/server/admin/service-memberships';
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
	return {
		person,
		values: { ...person, disabled: !!person.disabledAt },
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
		const parsed = parsePersonForm(await event.request.formData(), formErrorText, personLabels(), {
			passwordRequired: false,
			serviceIds: services.map((s) => s.id)
		});
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		let endedSessions: string[];
		try {
			({ endedSessions } = await savePerson(db, event.params.id, parsed.value));
		} catch (e) {
			if (e instanceof EmailTakenError)
				return fail(400, {
					errors: { email: m.person_email_taken() },
					values: parsed.value as unknown as Record<string, string>
				});
			throw e;
		}
		// Ended sessions and a disabled account lose their open plan connections at once, not at the next page load.
		const { collab } = await getRuntime();
		for (const id of endedSessions) collab.endSession(id);
		if (parsed.value.disabled) await collab.revalidate({ userId: event.params.id });
		await recordAudit(db, { actorId: admin.id, action: 'admin.user_saved', target: event.params.id });
		return { saved: true };
	},

	/** Adds a service the person works in, with their title there (or changes the title of one they are in). */
	addService: async (event) => {
		const admin = requireAdmin(event);
		const db = event.locals.db;
		const form = await event.request.formData();
		const serviceId = String(form.get('serviceId') ?? '').trim();
		const title = String(form.get('title') ?? '').trim();
		const values = { serviceId, title };
		if (!serviceId)
			return fail(400, {
				membership: { values, errors: { 'membership-service': m.form_required({ field: m.person_service() }) } }
			});
		if (title.length > 200)
			return fail(400, {
				membership: { values, errors: { 'membership-title': m.form_too_long({ field: m.person_title(), max: 200 }) } }
			});
		const result = await setServiceMembership(db, { userId: event.params.id, serviceId, title });
		if (!result.ok) {
			if (result.problem === 'not_found') error(404, 'not found');
			return fail(400, {
				membership: { values, errors: { 'membership-service': m.form_invalid_choice({ field: m.person_service() }) } }
			});
		}
		await recordAudit(db, {
			actorId: admin.id,
			action: 'admin.user_saved',
			target: event.params.id,
			detail: { service: result.created ? 'added' : 'title_changed', serviceId }
		});
		return { membershipSaved: true };
	},

	removeService: async (event) => {
		const admin = requireAdmin(event);
		const db = event.locals.db;
		const serviceId = String((await event.request.formData()).get('serviceId') ?? '');
		if (await removeServiceMembership(db, { userId: event.params.id, serviceId })) {
			await recordAudit(db, {
				actorId: admin.id,
				action: 'admin.user_saved',
				target: event.params.id,
				detail: { service: 'removed', serviceId }
			});
		}
		return { membershipRemoved: true };
	}
};
