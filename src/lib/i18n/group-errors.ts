import { m } from '$lib/paraglide/messages';
import type { FieldProblem } from '$lib/server/group/forms';
import type { GroupProblem } from '$lib/server/group/errors';

/** Field names as the group page's forms show them, for "… må fylles ut". */
const fieldLabels: Record<string, () => string> = {
	userId: m.group_field_name,
	name: m.group_field_name,
	email: m.group_field_email,
	role: m.group_field_role,
	serviceId: m.group_field_service,
	access: m.group_field_access,
	from: m.group_field_from,
	committedUntil: m.group_field_until,
	successor: m.group_handover_successor,
	overlapUntil: m.group_handover_overlap,
	oldSeat: m.group_offer_old_seat,
	seatId: m.group_field_name
};

export function fieldProblemText(field: string, problem: FieldProblem): string {
	const label = (fieldLabels[field] ?? (() => field))();
	switch (problem) {
		case 'required':
			return field === 'confirm' ? m.group_error_confirm() : m.form_required({ field: label });
		case 'too_long':
			return m.form_too_long({ field: label, max: field === 'email' ? 320 : 200 });
		case 'email':
			return m.form_invalid_email();
		case 'date':
			return m.group_error_date();
		default:
			return m.form_invalid_choice({ field: label });
	}
}

const problems: Record<GroupProblem, () => string> = {
	seat_taken: m.group_error_seat_taken,
	not_found: m.group_error_not_found,
	not_in_service: m.group_error_not_in_service,
	unknown_service: m.group_error_unknown_service,
	protected_seat: m.group_error_protected,
	role_not_allowed: m.group_error_role,
	email_taken: m.group_error_email_taken,
	not_municipal: m.group_error_not_municipal,
	already_coordinator: m.group_error_already_coordinator,
	offer_gone: m.group_error_offer_gone,
	same_person: m.group_error_same_person,
	before_start: m.group_error_before_start,
	in_past: m.group_error_in_past
};

export const groupProblemText = (problem: GroupProblem) => problems[problem]();
