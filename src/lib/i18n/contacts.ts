import { m } from '$lib/paraglide/messages';
import { formatDate } from './labels';

/** The contact log and applications in words (codes from `server/db/schema.ts`). */
const kinds: Record<string, () => string> = {
	phone: m.contact_kind_phone,
	sms: m.contact_kind_sms,
	home_visit: m.contact_kind_home_visit,
	met: m.contact_kind_met,
	no_show: m.contact_kind_no_show,
	door_not_opened: m.contact_kind_door_not_opened
};
export const contactKindLabel = (code: string) => (kinds[code] ?? (() => code))();

const outcomes: Record<string, () => string> = {
	granted: m.decision_granted,
	partly: m.decision_partly,
	refused: m.decision_refused
};
export const outcomeLabel = (code: string | null) =>
	code ? (outcomes[code] ?? (() => code))() : m.applications_outcome_none();

const statuses: Record<string, () => string> = {
	prepared: m.application_status_prepared,
	sent: m.application_status_sent,
	decided: m.application_status_decided,
	withdrawn: m.application_status_withdrawn,
	appealed: m.application_status_appealed
};
export const applicationStatusLabel = (code: string) => (statuses[code] ?? (() => code))();

/** A run of misses, worded so the coordinator looks at the pattern (plan-wide, or on one measure). */
export function missRunText(run: {
	count: number;
	since: string;
	measureId: string | null;
	measureTitle: string | null;
}): string {
	const date = formatDate(run.since);
	if (!run.measureId) return m.contacts_flag_plan({ count: run.count, date });
	return run.measureTitle
		? m.contacts_flag_measure({ title: run.measureTitle, count: run.count, date })
		: m.contacts_flag_measure_untitled({ count: run.count, date });
}

/** What a measure waiting on an application shows. */
export function waitText(w: {
	what: string;
	to: string;
	status: string;
	appliedOn: string | null;
	outcome: string | null;
	decidedOn: string | null;
}): string {
	if (w.status === 'decided' && w.outcome)
		return m.applications_decided_badge({
			date: formatDate(w.decidedOn),
			outcome: outcomeLabel(w.outcome),
			what: w.what
		});
	if (w.status === 'appealed' && w.outcome)
		return m.applications_appealed_badge({
			what: w.what,
			date: formatDate(w.decidedOn),
			outcome: outcomeLabel(w.outcome)
		});
	if (w.status === 'prepared') return m.applications_waiting_prepared({ what: w.what, to: w.to });
	return m.applications_waiting({ what: w.what, date: formatDate(w.appliedOn), to: w.to });
}

const contactErrors: Record<string, () => string> = {
	invalid_kind: m.contacts_error_invalid_kind,
	invalid_time: m.contacts_error_invalid_time,
	future_time: m.contacts_error_future_time,
	too_old: m.contacts_error_too_old,
	unknown_measure: m.contacts_error_unknown_measure,
	reason_required: m.contacts_error_reason_required,
	reason_too_long: m.contacts_error_reason_too_long,
	already_struck: m.contacts_error_already_struck,
	forbidden: m.contacts_error_forbidden,
	not_yours: m.contacts_error_not_yours
};
export function contactErrorText(code: string, noteMax: number): string {
	if (code === 'note_too_long') return m.contacts_error_note_too_long({ max: noteMax });
	return (contactErrors[code] ?? m.contacts_error_other)();
}

const applicationErrors: Record<string, () => string> = {
	required: m.applications_error_required,
	too_long: m.applications_error_too_long,
	unknown_service: m.applications_error_unknown_service,
	to_whom_required: m.applications_error_to_whom_required,
	one_recipient: m.applications_error_one_recipient,
	invalid_date: m.applications_error_invalid_date,
	applied_required: m.applications_error_applied_required,
	future_date: m.applications_error_future_date,
	before_applied: m.applications_error_before_applied,
	outcome_required: m.applications_error_outcome_required,
	decided_required: m.applications_error_decided_required,
	not_decided: m.applications_error_not_decided,
	wrong_status: m.applications_error_wrong_status,
	not_found: m.applications_error_not_found,
	unknown_measure: m.contacts_error_unknown_measure,
	invalid: m.applications_error_invalid,
	forbidden: m.contacts_error_forbidden
};
export const applicationErrorText = (code: string) => (applicationErrors[code] ?? m.contacts_error_other)();
