import { m } from '$lib/paraglide/messages';
import type { MailMessage } from '../mail/mailer';
import { kindLabel } from '$lib/components/notify/kind-label';
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
export function digestEmail(
	to: string,
	counts: Map<NoticeKind, number>,
	link: string,
	locale: MessageLocale
): MailMessage {
	const lines = NOTICE_KINDS.filter((k) => counts.get(k)).map((k) => `– ${kindLabel(k, locale)}: ${counts.get(k)}`);
	const total = [...counts.values()].reduce((a, b) => a + b, 0);
	return {
		to,
		subject: m.notify_digest_subject({}, { locale }),
		text: [m.notify_digest_body({ count: total, link }, { locale }), '', ...lines, ''].join('\n')
	};
}
