import { m } from '$lib/paraglide/messages';
import type { NoticeKind } from '$lib/server/notify/kinds';

/** A kind in a few general words (the preferences page, the digest): in the reader's language, or `locale`. */
export function kindLabel(kind: NoticeKind, locale?: 'nb' | 'nn' | 'en'): string {
	const o = locale ? { locale } : undefined;
	switch (kind) {
		case 'measure.assigned':
			return m.notify_kind_measure_assigned({}, o);
		case 'measure.status':
			return m.notify_kind_measure_status({}, o);
		case 'measure.due_soon':
			return m.notify_kind_measure_due_soon({}, o);
		case 'measure.overdue':
			return m.notify_kind_measure_overdue({}, o);
		case 'measure.answered':
			return m.notify_kind_measure_answered({}, o);
		case 'measure.waiting':
			return m.notify_kind_measure_waiting({}, o);
		case 'status_note.posted':
			return m.notify_kind_status_note_posted({}, o);
		case 'meeting.invited':
			return m.notify_kind_meeting_invited({}, o);
		case 'meeting.moved':
			return m.notify_kind_meeting_moved({}, o);
		case 'meeting.reminder':
			return m.notify_kind_meeting_reminder({}, o);
		case 'consent.expiring':
			return m.notify_kind_consent_expiring({}, o);
		case 'commitment.ending':
			return m.notify_kind_commitment_ending({}, o);
		case 'plan.revision_due':
			return m.notify_kind_plan_revision_due({}, o);
		case 'plan.no_coordinator':
			return m.notify_kind_plan_no_coordinator({}, o);
		case 'contacts.three_misses':
			return m.notify_kind_contacts_three_misses({}, o);
	}
}
