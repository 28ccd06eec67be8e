import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { getService, saveService } from '$lib/server/admin/directory';
import { parseServiceForm } from '$lib/server/admin/forms';
import { serviceLabels } from '$lib/i18n/field-labels';
import { formErrorText } from '$lib/i18n/form-errors';
import { recordAudit } from '$lib/server/audit';
import { SERVICE_KINDS } from '$lib/vocabulary';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const service = await getService(event.locals.db, event.params.id);
	if (!service) error(404, 'not found');
	return { service, kinds: SERVICE_KINDS, saved: event.url.searchParams.has('saved') };
};

export const actions: Actions = {
	save: async (event) => {
		const admin = requireAdmin(event);
		if (!(await getService(event.locals.db, event.params.id))) error(404, 'not found');
		const parsed = parseServiceForm(await event.request.formData(), formErrorText, serviceLabels());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		await saveService(event.locals.db, event.params.id, parsed.value);
		await recordAudit(event.locals.db, { actorId: admin.id, action: 'admin.service_saved', target: event.params.id });
		return { saved: true };
	}
};
