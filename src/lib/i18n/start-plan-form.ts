import { m } from '$lib/paraglide/messages';
import type { StartFormField, StartFormText } from '$lib/server/plans/start-input';
import type { DetailsField } from '$lib/server/plans/details-input';

/** Messages and field names for the start-plan and plan-details forms, in the reader's language. */
export const startFormText: StartFormText = {
	required: (field) => m.form_required({ field }),
	tooLong: (field, max) => m.form_too_long({ field, max }),
	invalidChoice: (field) => m.form_invalid_choice({ field }),
	invalidEmail: () => m.form_invalid_email(),
	invalidDate: (field) => m.start_invalid_date({ field }),
	birthDateFuture: () => m.start_birth_future(),
	birthDateTooEarly: () => m.start_birth_early(),
	periodOrder: () => m.start_period_order()
};

export const startLabels = (): Record<StartFormField, string> => ({
	name: m.start_name(),
	birthDate: m.start_birth_date(),
	phone: m.start_phone(),
	email: m.start_email(),
	title: m.start_plan_title(),
	periodStart: m.start_period_start(),
	periodEnd: m.start_period_end(),
	revisionDate: m.start_revision(),
	serviceId: m.start_service()
});

export const detailsLabels = (): Record<DetailsField, string> => ({
	title: m.start_plan_title(),
	periodStart: m.start_period_start(),
	periodEnd: m.start_period_end(),
	revisionDate: m.start_revision()
});
