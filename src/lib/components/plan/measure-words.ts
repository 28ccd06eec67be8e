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
export function acceptedSentence(
	measure: Pick<MeasureContent, 'dueDate'>,
	service: string | undefined,
	person: string | undefined,
	toPatient: boolean,
	patientName: string
): string {
	const said = m.measure_yes_said({ service: service ?? m.measure_yes_someone() });
	if (!person) return said;
	const who = toPatient ? m.measure_yes_you() : patientName;
	const helps = measure.dueDate
		? m.measure_yes_helps_by({ person, who, due: formatDate(measure.dueDate) })
		: m.measure_yes_helps({ person, who });
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

/** A measure told to the patient in plain words: what is happening, and why it waits or was refused. */
export interface PatientMeasureWords {
	/** "NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 15. mars 2027." */
	said: string;
	/** Why it was refused, waits or was stopped; '' when there is none. */
	why: string;
	/** What the patient gets while it waits; '' when there is none. */
	meanwhile: string;
}

export function patientMeasureWords(
	measure: Pick<MeasureContent, 'status' | 'dueDate' | 'statusReason' | 'interimMeasure'>,
	service: string | undefined,
	person: string | undefined
): PatientMeasureWords {
	const who = service ?? m.measure_yes_someone();
	const due = measure.dueDate ? ` ${m.patient_view_measure_due({ due: formatDate(measure.dueDate) })}` : '';
	const why = measure.statusReason ? m.patient_view_measure_why({ reason: measure.statusReason }) : '';
	switch (measure.status) {
		case 'accepted':
			return { said: acceptedSentence(measure, service, person, true, ''), why: '', meanwhile: '' };
		case 'rejected':
			return { said: m.patient_view_measure_no({ service: who }), why, meanwhile: '' };
		case 'counter_proposed':
			return { said: m.patient_view_measure_counter({ service: who }), why, meanwhile: '' };
		case 'in_progress':
			return {
				said:
					(person
						? m.patient_view_measure_doing_person({ person, service: who })
						: m.patient_view_measure_doing({ service: who })) + due,
				why: '',
				meanwhile: ''
			};
		case 'on_hold':
			return {
				said: m.patient_view_measure_waiting(),
				why,
				meanwhile: measure.interimMeasure ? m.patient_view_measure_meanwhile({ interim: measure.interimMeasure }) : ''
			};
		case 'completed':
			return { said: m.patient_view_measure_done(), why: '', meanwhile: '' };
		case 'cancelled':
			return { said: m.patient_view_measure_stopped(), why, meanwhile: '' };
		default:
			return { said: m.patient_view_measure_asked({ service: who }) + due, why: '', meanwhile: '' };
	}
}
