import { describe, expect, it } from 'vitest';
import { chosenLocale, norwegianPreference, requestLocale } from '../../../src/lib/i18n/request-locale';

describe('the written Norwegian a browser asks for', () => {
	it.each([
		['nn-NO,nn;q=0.9,no;q=0.8,nb;q=0.7,en;q=0.5', 'nn'],
		['nn', 'nn'],
		['NN-no', 'nn'],
		['nb-NO,nb;q=0.9,no;q=0.8,nn;q=0.7,en;q=0.5', 'nb'],
		['no', 'nb'],
		['no-NO', 'nb'],
		['nb', 'nb'],
		// Weights decide, not the order they are written in.
		['nb;q=0.5, nn;q=0.8', 'nn'],
		['nn ; q=0.4, no ; q=0.6', 'nb'],
		// English first, then Norwegian: the Norwegian it names.
		['en-US,en;q=0.9,nn;q=0.8', 'nn'],
		['en-GB,en;q=0.9,nb;q=0.8,nn;q=0.7', 'nb'],
		// Equal weights: the first one.
		['nn;q=0.8,nb;q=0.8', 'nn']
	])('%s → %s', (header, expected) => {
		expect(norwegianPreference(header)).toBe(expected);
	});

	it.each([
		[null],
		[undefined],
		[''],
		['en-GB,en;q=0.9'],
		['*'],
		['de,sv;q=0.9,da;q=0.8'],
		['nn;q=0'],
		['nn;q=abc'],
		['nnn'],
		['nob']
	])('%s → nothing (bokmål, the base locale, follows)', (header) => {
		expect(norwegianPreference(header)).toBeUndefined();
	});

	it('passes over a tag refused with q=0 for the next Norwegian one', () => {
		expect(norwegianPreference('nn;q=0, no;q=0.3')).toBe('nb');
	});
});

describe('the language of a request', () => {
	it('is the person’s own pick when the cookie holds one', () => {
		expect(chosenLocale('PARAGLIDE_LOCALE=nn')).toBe('nn');
		expect(chosenLocale('session=abc; PARAGLIDE_LOCALE=en; other=1')).toBe('en');
		expect(requestLocale('PARAGLIDE_LOCALE=en', 'nn-NO,nn')).toBe('en');
		expect(requestLocale('PARAGLIDE_LOCALE=nb', 'nn-NO,nn')).toBe('nb');
		expect(requestLocale('PARAGLIDE_LOCALE=nn', 'en-GB')).toBe('nn');
	});

	it('falls back to the browser when the cookie is absent or holds no language we have', () => {
		expect(chosenLocale(null)).toBeUndefined();
		expect(chosenLocale('PARAGLIDE_LOCALE=de')).toBeUndefined();
		expect(chosenLocale('XPARAGLIDE_LOCALE=nn')).toBeUndefined();
		expect(requestLocale('PARAGLIDE_LOCALE=de', 'nn-NO')).toBe('nn');
		expect(requestLocale(null, 'nn-NO')).toBe('nn');
		expect(requestLocale('', 'no')).toBe('nb');
	});

	it('leaves an English browser without a pick to the base locale', () => {
		expect(requestLocale(null, 'en-GB,en;q=0.9')).toBeUndefined();
	});
});
