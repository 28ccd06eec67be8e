import { describe, expect, it } from 'vitest';
import {
	isHerId,
	isHprNumber,
	isOrganisationNumber,
	maskNationalId,
	parseNationalId,
	syntheticNationalId,
	withCheckDigits
} from '../../../src/lib/identity/national-id';

describe('fødselsnummer and D-nummer', () => {
	it('reads a synthetic fødselsnummer (month + 80) with its birth date', () => {
		const id = syntheticNationalId('1995-03-14');
		expect(id).toMatch(/^1483\d{7}$/);
		expect(parseNationalId(id)).toEqual({ value: id, kind: 'fnr', synthetic: true, birthDate: '1995-03-14' });
	});

	it('refuses every number whose check digits are wrong', () => {
		const id = syntheticNationalId('1988-11-02');
		for (let pos = 9; pos <= 10; pos++) {
			for (let digit = 0; digit <= 9; digit++) {
				if (String(digit) === id[pos]) continue;
				const other = id.slice(0, pos) + digit + id.slice(pos + 1);
				expect(parseNationalId(other), other).toBeNull();
			}
		}
	});

	it('reads a D-nummer (day + 40)', () => {
		const id = syntheticNationalId('1990-05-20', { kind: 'dnr' });
		expect(id.slice(0, 2)).toBe('60');
		expect(parseNationalId(id)).toMatchObject({ kind: 'dnr', birthDate: '1990-05-20', synthetic: true });
	});

	it('refuses a day that does not exist even with valid check digits, and wrong lengths and letters', () => {
		const feb31 = Array.from({ length: 400 }, (_, i) => withCheckDigits(`318295${String(100 + i)}`)).find(Boolean);
		expect(feb31).toBeTruthy();
		expect(parseNationalId(feb31!)).toBeNull();
		expect(parseNationalId('123')).toBeNull();
		expect(parseNationalId('1483951000a')).toBeNull();
		expect(parseNationalId('')).toBeNull();
	});

	it('takes the century from the individual number', () => {
		expect(parseNationalId(syntheticNationalId('2004-07-01'))?.birthDate).toBe('2004-07-01');
		expect(parseNationalId(syntheticNationalId('1960-12-31'))?.birthDate).toBe('1960-12-31');
	});

	it('masks all but the birth date part', () => {
		expect(maskNationalId('14839512345')).toBe('148395 *****');
	});
});

describe('other identifiers', () => {
	it('checks organisation numbers by their mod-11 digit', () => {
		// 974760673 is Brønnøysundregistrene's own, published number.
		expect(isOrganisationNumber('974760673')).toBe(true);
		expect(isOrganisationNumber('974 760 673')).toBe(true);
		expect(isOrganisationNumber('974760674')).toBe(false);
		expect(isOrganisationNumber('97476067')).toBe(false);
	});

	it('takes HPR numbers and HER-ids as digits only', () => {
		expect(isHprNumber('9144889')).toBe(true);
		expect(isHprNumber('91448x9')).toBe(false);
		expect(isHerId('8094576')).toBe(true);
		expect(isHerId('0')).toBe(false);
	});
});
