import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpSink {
	/** `smtp://127.0.0.1:<port>`: hand it to the app's SMTP mailer, as `SMTP_URL` would. */
	url: string;
	/** Every message received so far, parsed (headers decoded, body decoded) plus its raw source. */
	messages: { parsed: ParsedMail; raw: string; to: string[] }[];
	/** Resolves once `count` messages have arrived. */
	waitFor(count: number): Promise<void>;
	close(): Promise<void>;
}

/** A real SMTP server in this process that keeps what it is sent: the tests speak SMTP to it, no mocks. */
export async function startSmtpSink(): Promise<SmtpSink> {
	const messages: SmtpSink['messages'] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', async () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				messages.push({ parsed: await simpleParser(raw), raw, to: session.envelope.rcptTo.map((r) => r.address) });
				for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		messages,
		waitFor: (count) =>
			messages.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
