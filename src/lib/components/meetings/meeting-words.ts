import { m } from '$lib/paraglide/messages';
import { formatDateTime } from '$lib/i18n/labels';
import { measureActionError } from '$lib/components/plan/measure-words';

// The stored codes (`server/db/schema.ts`), repeated here: components do not import server modules.
export type MeetingStatus = 'planned' | 'open' | 'closed' | 'cancelled';
export type AgendaKind =
	| 'patient_point'
	| 'overdue_measure'
	| 'waiting_measure'
	| 'goal_evaluation'
	| 'expiring_consent'
	| 'expiring_commitment'
	| 'open_question'
	| 'other';
export type Attendance = 'present' | 'status_note' | 'absent';

/** A meeting's time in words: "12. januar 2027, 10:00 (60 min)". */
export function meetingWhen(startsAt: string, durationMinutes: number): string {
	return m.meetings_when({ when: formatDateTime(startsAt), minutes: String(durationMinutes) });
}

const statuses: Record<MeetingStatus, () => string> = {
	planned: m.meetings_status_planned,
	open: m.meetings_status_open,
	closed: m.meetings_status_closed,
	cancelled: m.meetings_status_cancelled
};
export const meetingStatusLabel = (s: MeetingStatus) => statuses[s]();

const kinds: Record<AgendaKind, () => string> = {
	patient_point: m.meetings_agenda_kind_patient_point,
	overdue_measure: m.meetings_agenda_kind_overdue_measure,
	waiting_measure: m.meetings_agenda_kind_waiting_measure,
	goal_evaluation: m.meetings_agenda_kind_goal_evaluation,
	expiring_consent: m.meetings_agenda_kind_expiring_consent,
	expiring_commitment: m.meetings_agenda_kind_expiring_commitment,
	open_question: m.meetings_agenda_kind_open_question,
	other: m.meetings_agenda_kind_other
};
export const agendaKindLabel = (k: AgendaKind) => kinds[k]();

const attendance: Record<Attendance, () => string> = {
	present: m.meetings_attendance_present,
	status_note: m.meetings_attendance_status_note,
	absent: m.meetings_attendance_absent
};
export const attendanceLabel = (a: Attendance) => attendance[a]();

/** A refusal of a meeting form, in words (meeting codes, and the measure form's as `measure:<code>`). */
export function meetingErrorText(code: string): string {
	switch (code) {
		case 'date_required':
			return m.meetings_error_date_required();
		case 'time_required':
			return m.meetings_error_time_required();
		case 'duration_invalid':
			return m.meetings_error_duration();
		case 'place_or_link_required':
			return m.meetings_error_place_or_link();
		case 'link_not_https':
			return m.meetings_error_link_https();
		case 'too_long':
			return m.meetings_error_too_long();
		case 'text_required':
			return m.meetings_error_text_required();
		case 'not_planned':
			return m.meetings_error_not_planned();
		case 'closed':
			return m.meetings_error_closed();
		case 'next_required':
			return m.meetings_error_next_required();
		case 'next_before':
			return m.meetings_error_next_before();
		case 'forbidden':
			return m.meetings_error_forbidden();
		case 'not_found':
			return m.meetings_error_not_found();
		case 'invalid':
			return m.meetings_error_invalid();
		default:
			return code.startsWith('measure:')
				? measureActionError(code.slice('measure:'.length))
				: m.meetings_error_invalid();
	}
}
