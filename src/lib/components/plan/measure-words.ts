import { m } from '$lib/paraglide/messages';
import { formatDate } from '$lib/i18n/labels';
import type { MeasureContent } from '$lib/plan';

/** What the server's measure form action returns about one measure (values kept, so nothing typed is lost). */
export interface MeasureFormResult {
	measureId: string;
	action: string;
	error?: string;
	done?: boolean;
	personId?: string;
	reason?: string;
	interimMeasure?: string;
	counterTitle?: string;
	counterDueDate?: string;
}

/** "NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 15. mars 2027." */
export function acceptedSentence(measure: Pick<MeasureContent, 'dueDate'>, service: string | undefined, person: string | undefined, toPatient: boolean, patientName: string): string {
	const said = m.measure_yes_said({ service: service ?? m.measure_yes_someone() });
	if (!person) return said;
	const who = toPatient ? m.measure_yes_you() : patientName;
	const helps = measure.dueDate ? m.measure_yes_helps_by({ person, who, due: formatDate(measure.dueDate) }) : m.measure_yes_helps({ person, who });
	return `${said} ${helps}`;
}

/** A refusal of a measure action, in words. */
export function measureActionError(code: string): string {
	switch (code) {
		case 'reason_required':
			return m.measure_error_reason_required();
		case 'interim_required':
			return m.measure_error_interim_required();
		case 'person_required':
			return m.measure_error_person_required();
		case 'person_not_in_service':
			return m.measure_error_person_not_in_service();
		case 'counter_required':
			return m.measure_error_counter_required();
		case 'not_allowed':
		case 'forbidden':
			return m.measure_error_not_allowed();
		case 'wrong_status':
			return m.measure_error_wrong_status();
		case 'not_found':
			return m.measure_error_not_found();
		default:
			return m.edit_error_other();
	}
}
