import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/lib/server/config';

describe('mail configuration', () => {
	it('sends no e-mail unless SMTP_URL is set, and names the sender', () => {
		expect(readConfig({}).smtpUrl).toBeUndefined();
		expect(readConfig({ SMTP_URL: '' }).smtpUrl).toBeUndefined();
		expect(readConfig({}).mailFrom).toMatch(/^Fellesplan </);
		expect(
			readConfig({ SMTP_URL: 'smtps://u:p@mail.example:465', MAIL_FROM: 'Fellesplan <ip@kommune.example>' })
		).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example:465', mailFrom: 'Fellesplan <ip@kommune.example>' });
	});
});
