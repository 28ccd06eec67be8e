import { m } from '$lib/paraglide/messages';
import { log } from '../log';
import type { Mailer, MailMessage } from './mailer';

/**
 * The invitation e-mail. It takes the link and nothing else, on purpose: an e-mail can be read by anyone with
 * access to the inbox, so it names no patient, no plan and no service — only that Fellesplan invites you. In
 * bokmål, then English, since we do not know the reader's language yet.
 */
export function invitationEmail(to: string, link: string): MailMessage {
	const nb = { locale: 'nb' as const };
	const en = { locale: 'en' as const };
	return {
		to,
		subject: `${m.invitation_email_subject({}, nb)} / ${m.invitation_email_subject({}, en)}`,
		text: [m.invitation_email_body({ link }, nb), '', '—', '', m.invitation_email_body({ link }, en), ''].join('\n')
	};
}

/** Sends the invitation when SMTP is set up. False when it is not, or sending failed: then the link is handed over. */
export async function sendInvitation(mailer: Mailer | null, to: string, link: string): Promise<boolean> {
	if (!mailer) return false;
	try {
		await mailer.send(invitationEmail(to, link));
		return true;
	} catch (err) {
		// Only the error code: SMTP messages quote addresses. The coordinator is shown the link instead.
		log.warn({ code: (err as { code?: string }).code ?? 'unknown' }, 'invitation e-mail not sent');
		return false;
	}
}
