import { afterEach, describe, expect, it } from 'vitest';
import * as runtime from '../../../src/lib/paraglide/runtime';
import { intlLocale } from '../../../src/lib/i18n/intl-locale';
import { formatDate } from '../../../src/lib/i18n/labels';
import { formatDateTime, formatDay, joinList } from '../../../src/lib/i18n/instants';
import { waitMessage } from '../../../src/lib/i18n/wait';
import { m } from '../../../src/lib/paraglide/messages';

const originalGetLocale = runtime.getLocale;
const speak = (locale: runtime.Locale) => runtime.overwriteGetLocale(() => locale);
afterEach(() => runtime.overwriteGetLocale(originalGetLocale));

describe('intlLocale', () => {
	it('gives each UI language its own Intl tag', () => {
		expect(intlLocale('nb')).toBe('nb-NO');
		expect(intlLocale('nn')).toBe('nn-NO');
		expect(intlLocale('en')).toBe('en-GB');
	});

	it('follows the current locale by default', () => {
		speak('nn');
		expect(intlLocale()).toBe('nn-NO');
		speak('en');
		expect(intlLocale()).toBe('en-GB');
	});
});

describe('dates, times and lists in nynorsk', () => {
	// 13:05 UTC in winter is 14:05 in Oslo.
	const instant = new Date('2027-02-15T13:05:00Z');

	it('are written the Norwegian way, not the English', () => {
		speak('nn');
		expect(formatDate('2027-02-15')).toBe('15. februar 2027');
		expect(formatDay(instant)).toBe('15. februar 2027');
		expect(formatDateTime(instant)).toBe('15. februar 2027 kl. 14:05');
		expect(joinList(['kriseplanen', 'møta'])).toBe('kriseplanen og møta');
		expect(formatDate(null)).toBe('Ikkje sett');
	});

	it('while English stays English', () => {
		speak('en');
		expect(formatDate('2027-02-15')).toBe('15 February 2027');
		expect(joinList(['a', 'b'])).toBe('a and b');
	});
});

describe('nynorsk messages', () => {
	it('are plain nynorsk, with plurals', () => {
		expect(m.goals_heading({}, { locale: 'nn' })).toBe('Mål og tiltak');
		expect(m.voice_heading({}, { locale: 'nn' })).toBe('Kva er viktig for meg');
		expect(m.plan_member_until({ date: '1. mars 2027' }, { locale: 'nn' })).toBe('Med til 1. mars 2027');
		expect(waitMessage(1, 'nn')).toBe('For mange mislukka forsøk. Vent 1 sekund og prøv igjen.');
		expect(waitMessage(8, 'nn')).toBe('For mange mislukka forsøk. Vent 8 sekund og prøv igjen.');
		expect(waitMessage(600, 'nn')).toContain('Vent 10 minutt og');
	});
});
