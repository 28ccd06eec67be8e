import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { listServices, saveService } from '$lib/server/admin/directory';
import { parseServiceForm } from '$lib/server/admin/forms';
import { serviceLabels } from '$lib/i18n/field-labels';
import { formErrorText } from '$lib/i18n/form-errors';
import { recordAudit } from '$lib/server/audit';
import { SERVICE_KINDS } from '$lib/vocabulary';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { services: await listServices(event.locals.db), kinds: SERVICE_KINDS };
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireAdmin(event);
		const parsed = parseServiceForm(await event.request.formData(), formErrorText, serviceLabels());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const id = await saveService(event.locals.db, null, parsed.value);
		await recordAudit(event.locals.db, { actorId: admin.id, action: 'admin.service_saved', target: id });
		redirect(303, `/admin/services/${id}?saved=1`);
	}
};
