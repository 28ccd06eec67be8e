import { createTransport } from 'nodemailer';
import { readConfig } from '../config';

/** An e-mail as Fellesplan sends them: plain text, to one person. */
export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

/** Where e-mail goes. SMTP in production; the tests hand in the same SMTP mailer pointed at a real SMTP sink. */
export interface Mailer {
	send(message: MailMessage): Promise<void>;
}

/** Sends over SMTP with nodemailer (`smtp://…` or `smtps://…`, credentials in the URL). */
export function smtpMailer(url: string, from: string): Mailer {
	const transport = createTransport(url);
	return {
		async send(message) {
			await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
		}
	};
}

let configured: Mailer | null | undefined;

/** The mailer `SMTP_URL` configures, or null when it is unset (then the coordinator hands invitation links over). */
export function getMailer(): Mailer | null {
	if (configured === undefined) {
		const config = readConfig();
		configured = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
	}
	return configured;
}
