import type { ConsentScope } from '../../vocabulary';

/**
 * Every kind of notification. A kind names an event, never its content: the words are rendered in the app from
 * the kind and the plan as it is when read, and an external message (e-mail, SMS) says only that something waits.
 */
export const NOTICE_KINDS = [
	'measure.assigned',
	'measure.status',
	'measure.due_soon',
	'measure.overdue',
	'measure.answered',
	'measure.waiting',
	'status_note.posted',
	'meeting.invited',
	'meeting.moved',
	'meeting.reminder',
	'consent.expiring',
	'commitment.ending',
	'plan.revision_due',
	'plan.no_coordinator',
	'contacts.three_misses'
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export function isNoticeKind(value: unknown): value is NoticeKind {
	return (NOTICE_KINDS as readonly unknown[]).includes(value);
}

/**
 * The consent scope the recipient must hold for a kind, checked before anything is created or sent and again when
 * the list is read. `null`: any live seat with some consent (housekeeping about the plan itself).
 */
export const SCOPE_OF_KIND: Record<NoticeKind, ConsentScope | null> = {
	'measure.assigned': 'plan',
	'measure.status': 'plan',
	'measure.due_soon': 'plan',
	'measure.overdue': 'plan',
	'measure.answered': 'plan',
	'measure.waiting': 'plan',
	'status_note.posted': 'meetings',
	'meeting.invited': 'meetings',
	'meeting.moved': 'meetings',
	'meeting.reminder': 'meetings',
	'consent.expiring': null,
	'commitment.ending': null,
	'plan.revision_due': null,
	'plan.no_coordinator': null,
	'contacts.three_misses': 'plan'
};

/** Until a person chooses: e-mail at once, no SMS (a phone number is not consent to texts). */
export const DEFAULT_DELIVERY = { email: 'now', sms: 'off' } as const;

/** Where in the app a notice points: paths with ids only (the anchors are the headings' ids on the plan page). */
export const link = {
	measure: (planId: string, measureId: string) => `/plans/${planId}#measure-${measureId}-title`,
	meeting: (planId: string, meetingId: string) => `/plans/${planId}/moter/${meetingId}`,
	consent: (planId: string) => `/plans/${planId}/consent`,
	group: (planId: string) => `/plans/${planId}/group`,
	plan: (planId: string) => `/plans/${planId}`
};
