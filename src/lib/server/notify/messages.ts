import { m } from '$lib/paraglide/messages';
import type { MailMessage } from '../mail/mailer';
import { NOTICE_KINDS, type NoticeKind } from './kinds';

export type MessageLocale = 'nb' | 'nn' | 'en';

export function messageLocale(value: string | null | undefined): MessageLocale {
	return value === 'nn' || value === 'en' ? value : 'nb';
}

/**
 * The content rule: an e-mail or SMS can be read by anyone near the inbox or the lock screen, so it says only that
 * something waits in Fellesplan, with a link (ids only) that needs a login. It takes the link and the language and
 * nothing else — not the kind, not the plan — so it cannot name a patient, a service or a measure.
 */
export function noticeEmail(to: string, link: string, locale: MessageLocale): MailMessage {
	return { to, subject: m.notify_email_subject({}, { locale }), text: m.notify_email_body({ link }, { locale }) };
}

export function noticeSms(link: string, locale: MessageLocale): string {
	return m.notify_sms_body({ link }, { locale });
}

/** The daily digest: how many things of each kind wait, nothing more. */
export function digestEmail(to: string, counts: Map<NoticeKind, number>, link: string, locale: MessageLocale): MailMessage {
	const lines = NOTICE_KINDS.filter((k) => counts.get(k)).map((k) => `– ${kindLabel(k, locale)}: ${counts.get(k)}`);
	const total = [...counts.values()].reduce((a, b) => a + b, 0);
	return { to, subject: m.notify_digest_subject({}, { locale }), text: [m.notify_digest_body({ count: total, link }, { locale }), '', ...lines, ''].join('\n') };
}

/** A kind in a few general words (the preferences page and the digest). */
export function kindLabel(kind: NoticeKind, locale?: MessageLocale): string {
	const o = locale ? { locale } : undefined;
	switch (kind) {
		case 'measure.assigned': return m.notify_kind_measure_assigned({}, o);
		case 'measure.status': return m.notify_kind_measure_status({}, o);
		case 'measure.due_soon': return m.notify_kind_measure_due_soon({}, o);
		case 'measure.overdue': return m.notify_kind_measure_overdue({}, o);
		case 'measure.answered': return m.notify_kind_measure_answered({}, o);
		case 'measure.waiting': return m.notify_kind_measure_waiting({}, o);
		case 'status_note.posted': return m.notify_kind_status_note_posted({}, o);
		case 'meeting.invited': return m.notify_kind_meeting_invited({}, o);
		case 'meeting.moved': return m.notify_kind_meeting_moved({}, o);
		case 'meeting.reminder': return m.notify_kind_meeting_reminder({}, o);
		case 'consent.expiring': return m.notify_kind_consent_expiring({}, o);
		case 'commitment.ending': return m.notify_kind_commitment_ending({}, o);
		case 'plan.revision_due': return m.notify_kind_plan_revision_due({}, o);
		case 'plan.no_coordinator': return m.notify_kind_plan_no_coordinator({}, o);
		case 'contacts.three_misses': return m.notify_kind_contacts_three_misses({}, o);
	}
}
