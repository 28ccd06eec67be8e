import { m } from '$lib/paraglide/messages';
import type { PlanValidationCode } from '$lib/plan';

/** The plan model refuses bad input before writing anything; this says why, in the reader's language. */
export function editErrorMessage(code: PlanValidationCode): string {
	switch (code) {
		case 'empty_title':
		case 'empty_text':
		case 'empty_name':
		case 'empty_unit':
			return m.edit_error_empty();
		case 'too_long':
			return m.edit_error_too_long();
		case 'invalid_date':
			return m.edit_error_date();
		case 'due_before_start':
			return m.edit_error_due_before_start();
		case 'reason_required':
			return m.edit_error_reason_required();
		case 'invalid_phone':
			return m.edit_error_phone();
		default:
			return m.edit_error_other();
	}
}
