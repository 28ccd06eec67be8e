import { m } from '$lib/paraglide/messages';
import { formatDateTime } from '$lib/i18n/instants';
import type { NoticeKind } from '$lib/server/notify/kinds';

/** What the list knows of one notice (the server's `NoticeItem`). */
export interface NoticeView {
	kind: NoticeKind;
	measureTitle: string | null;
	meetingStartsAt: Date | null;
	statusNoteMissing: boolean;
}

/** A notice in words, made when it is read from the kind and the plan as it is now. */
export function noticeText(n: NoticeView): string {
	const title = n.measureTitle ?? m.notify_measure_gone();
	const when = n.meetingStartsAt ? formatDateTime(n.meetingStartsAt) : m.notify_meeting_unknown();
	switch (n.kind) {
		case 'measure.assigned':
			return m.notify_text_measure_assigned({ title });
		case 'measure.status':
			return m.notify_text_measure_status({ title });
		case 'measure.due_soon':
			return m.notify_text_measure_due_soon({ title });
		case 'measure.overdue':
			return m.notify_text_measure_overdue({ title });
		case 'measure.answered':
			return m.notify_text_measure_answered({ title });
		case 'measure.waiting':
			return m.notify_text_measure_waiting({ title });
		case 'status_note.posted':
			return m.notify_text_status_note_posted({ when });
		case 'meeting.invited':
			return m.notify_text_meeting_invited({ when });
		case 'meeting.moved':
			return m.notify_text_meeting_moved({ when });
		case 'meeting.reminder':
			return n.statusNoteMissing
				? `${m.notify_text_meeting_reminder({ when })} ${m.notify_text_meeting_note_request()}`
				: m.notify_text_meeting_reminder({ when });
		case 'consent.expiring':
			return m.notify_text_consent_expiring();
		case 'commitment.ending':
			return m.notify_text_commitment_ending();
		case 'plan.revision_due':
			return m.notify_text_plan_revision_due();
		case 'plan.no_coordinator':
			return m.notify_text_plan_no_coordinator();
		case 'contacts.three_misses':
			return m.notify_text_contacts_three_misses();
	}
}
