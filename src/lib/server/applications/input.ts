import {
	APPLICATION_STATUSES,
	DECISION_OUTCOMES,
	type ApplicationStatus,
	type DecisionOutcome
} from '../../vocabulary';
import { isCalendarDate } from '../http/json-body';
import { FollowUpError } from '../contacts/access';

export const WHAT_MAX = 120;
export const BODY_MAX = 120;
export const DECISION_TEXT_MAX = 500;

/** What a form or JSON body sends about an application, as text (a member's client may send anything). */
export interface ApplicationInput {
	what?: unknown;
	serviceId?: unknown;
	body?: unknown;
	appliedOn?: unknown;
	expectedOn?: unknown;
	status?: unknown;
	outcome?: unknown;
	decidedOn?: unknown;
	decisionText?: unknown;
	measureIds?: unknown;
}

export interface ValidApplication {
	what: string;
	serviceId: string | null;
	body: string | null;
	appliedOn: string | null;
	expectedOn: string | null;
	status: ApplicationStatus;
	outcome: DecisionOutcome | null;
	decidedOn: string | null;
	decisionText: string | null;
	measureIds: string[];
}

/** Which status may follow which (keeping the status is always allowed: a correction). */
export const NEXT_STATUS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
	prepared: ['sent', 'withdrawn'],
	sent: ['decided', 'withdrawn'],
	decided: ['appealed'],
	appealed: ['decided', 'withdrawn'],
	withdrawn: []
};

const text = (v: unknown, field: string): string => {
	if (v == null) return '';
	if (typeof v !== 'string') throw new FollowUpError(400, 'invalid', field);
	return v.replace(/\r\n?/g, '\n').trim();
};
const day = (v: unknown, field: string): string | null => {
	const s = text(v, field);
	if (!s) return null;
	if (!isCalendarDate(s)) throw new FollowUpError(400, 'invalid_date', field);
	return s;
};

/**
 * Checks every field; throws a 400 naming the first bad one. `today` is the Oslo calendar day; `services` the
 * directory's ids and `measureIds` the plan's measures, so an id must be one of ours.
 */
export function validateApplication(
	input: ApplicationInput,
	known: { services: ReadonlySet<string>; measureIds: ReadonlySet<string>; today: string }
): ValidApplication {
	const what = text(input.what, 'what');
	if (!what) throw new FollowUpError(400, 'required', 'what');
	if (what.length > WHAT_MAX) throw new FollowUpError(400, 'too_long', 'what');
	const serviceId = text(input.serviceId, 'serviceId') || null;
	const body = text(input.body, 'body') || null;
	if (serviceId && !known.services.has(serviceId)) throw new FollowUpError(400, 'unknown_service', 'serviceId');
	if (body && body.length > BODY_MAX) throw new FollowUpError(400, 'too_long', 'body');
	if (!serviceId && !body) throw new FollowUpError(400, 'to_whom_required', 'serviceId');
	if (serviceId && body) throw new FollowUpError(400, 'one_recipient', 'body');
	const status = text(input.status, 'status') || 'prepared';
	if (!(APPLICATION_STATUSES as readonly string[]).includes(status)) throw new FollowUpError(400, 'invalid', 'status');
	const appliedOn = day(input.appliedOn, 'appliedOn');
	if (status !== 'prepared' && !appliedOn) throw new FollowUpError(400, 'applied_required', 'appliedOn');
	if (appliedOn && appliedOn > known.today) throw new FollowUpError(400, 'future_date', 'appliedOn');
	const expectedOn = day(input.expectedOn, 'expectedOn');
	if (expectedOn && appliedOn && expectedOn < appliedOn) throw new FollowUpError(400, 'before_applied', 'expectedOn');
	const outcomeText = text(input.outcome, 'outcome');
	if (outcomeText && !(DECISION_OUTCOMES as readonly string[]).includes(outcomeText))
		throw new FollowUpError(400, 'invalid', 'outcome');
	const outcome = (outcomeText || null) as DecisionOutcome | null;
	const decidedOn = day(input.decidedOn, 'decidedOn');
	const decisionText = text(input.decisionText, 'decisionText') || null;
	if (decisionText && decisionText.length > DECISION_TEXT_MAX) throw new FollowUpError(400, 'too_long', 'decisionText');
	// A decision belongs to a decided (or appealed) application, and then it is needed whole: outcome and date.
	const hasDecision = status === 'decided' || status === 'appealed';
	if (hasDecision && !outcome) throw new FollowUpError(400, 'outcome_required', 'outcome');
	if (hasDecision && !decidedOn) throw new FollowUpError(400, 'decided_required', 'decidedOn');
	if (!hasDecision && (outcome || decidedOn)) throw new FollowUpError(400, 'not_decided', 'outcome');
	if (decidedOn && decidedOn > known.today) throw new FollowUpError(400, 'future_date', 'decidedOn');
	if (decidedOn && appliedOn && decidedOn < appliedOn) throw new FollowUpError(400, 'before_applied', 'decidedOn');
	const ids = input.measureIds == null ? [] : Array.isArray(input.measureIds) ? input.measureIds : [input.measureIds];
	const measureIds: string[] = [];
	for (const id of ids) {
		if (typeof id !== 'string') throw new FollowUpError(400, 'unknown_measure', 'measureIds');
		if (!id) continue;
		if (!known.measureIds.has(id)) throw new FollowUpError(400, 'unknown_measure', 'measureIds');
		if (!measureIds.includes(id)) measureIds.push(id);
	}
	return {
		what,
		serviceId,
		body,
		appliedOn,
		expectedOn,
		status: status as ApplicationStatus,
		outcome: hasDecision ? outcome : null,
		decidedOn: hasDecision ? decidedOn : null,
		decisionText: hasDecision ? decisionText : null,
		measureIds
	};
}
