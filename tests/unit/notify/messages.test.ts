import { describe, expect, it } from 'vitest';
import { digestEmail, noticeEmail, noticeSms } from '../../../src/lib/server/notify/messages';
import { NOTICE_KINDS, SCOPE_OF_KIND } from '../../../src/lib/server/notify/kinds';
import { backoffMs, errorCode } from '../../../src/lib/server/jobs/queue';
import { parsePreferencesForm } from '../../../src/lib/server/notify/preferences';

describe('external messages', () => {
	it('say only that something waits, with the link, in each language', () => {
		for (const locale of ['nb', 'nn', 'en'] as const) {
			const mail = noticeEmail('a@b.test', 'https://x.test/varsler/abc', locale);
			expect(mail.text).toContain('https://x.test/varsler/abc');
			expect(mail.subject).toMatch(/Fellesplan/);
			expect(noticeSms('https://x.test/varsler/abc', locale)).toMatch(
				/^Fellesplan: .*https:\/\/x\.test\/varsler\/abc$/
			);
		}
	});

	it('the digest counts by kind, and every kind has a scope rule', () => {
		const mail = digestEmail(
			'a@b.test',
			new Map([
				['measure.assigned', 2],
				['meeting.reminder', 1]
			]),
			'https://x.test/varsler',
			'nb'
		);
		expect(mail.text).toContain('3 ting');
		expect(mail.text).toContain('Et tiltak er gitt til meg eller tjenesten min: 2');
		expect(mail.text).toContain('Påminnelse dagen før et møte: 1');
		for (const k of NOTICE_KINDS) expect(k in SCOPE_OF_KIND).toBe(true);
	});
});

describe('the queue', () => {
	it('backs off exponentially up to a cap, and keeps only error codes', () => {
		expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 30_000, 3_600_000))).toEqual([
			30_000, 60_000, 120_000, 240_000, 480_000
		]);
		expect(backoffMs(20, 30_000, 3_600_000)).toBe(3_600_000);
		expect(
			errorCode(Object.assign(new Error('550 <jonas@example.test> refused'), { code: 'EENVELOPE', responseCode: 550 }))
		).toBe('EENVELOPE 550');
		expect(errorCode(new TypeError('x'))).toBe('TypeError');
	});
});

describe('the preferences form', () => {
	it('needs a valid choice for every kind and channel, and names the first bad field', () => {
		const form = new FormData();
		for (const k of NOTICE_KINDS) {
			form.set(`email:${k}`, 'digest');
			form.set(`sms:${k}`, 'off');
		}
		const ok = parsePreferencesForm(form);
		expect('prefs' in ok && ok.prefs['measure.assigned']).toEqual({ email: 'digest', sms: 'off' });
		form.set('sms:meeting.moved', 'sometimes');
		expect(parsePreferencesForm(form)).toEqual({ field: 'sms:meeting.moved' });
	});
});
