/**
 * Norwegian identifiers: fødselsnummer and D-nummer (11 digits, two mod-11 check digits), organisation numbers
 * (9 digits, one mod-11 check digit) and HPR numbers (the health personnel register). Pure and browser-safe, so a
 * form can say what is wrong before it is sent.
 *
 * Synthetic numbers, as the national test data uses them, add 80 to the month (a D-nummer's day keeps its +40);
 * they pass the same check digits and never belong to a real person. The demo data uses only those.
 */

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const ORG = [3, 2, 7, 6, 5, 4, 3, 2];

/** The mod-11 check digit over `digits` with `weights`, or null where none exists (a remainder of 1). */
function mod11(digits: readonly number[], weights: readonly number[]): number | null {
	const sum = weights.reduce((s, w, i) => s + w * digits[i], 0);
	const k = 11 - (sum % 11);
	if (k === 11) return 0;
	return k === 10 ? null : k;
}

export type NationalIdKind = 'fnr' | 'dnr';

export interface NationalId {
	/** The 11 digits, without spaces. */
	value: string;
	kind: NationalIdKind;
	/** A synthetic test number (month + 80): never a real person's. */
	synthetic: boolean;
	/** `YYYY-MM-DD`. */
	birthDate: string;
}

/** The century from the individual number and the two-digit year, as the register assigns them. */
function birthYear(yy: number, individual: number): number | null {
	if (individual <= 499) return 1900 + yy;
	if (individual <= 749 && yy >= 54) return 1800 + yy;
	if (individual >= 500 && yy <= 39) return 2000 + yy;
	if (individual >= 900 && yy >= 40) return 1900 + yy;
	return null;
}

/**
 * Reads a fødselsnummer or D-nummer (spaces allowed), checking both check digits and that it names a real day.
 * Returns null for anything else.
 */
export function parseNationalId(input: string): NationalId | null {
	const value = input.replace(/\s+/g, '');
	if (!/^\d{11}$/.test(value)) return null;
	const d = [...value].map(Number);
	if (mod11(d, K1) !== d[9] || mod11(d, K2) !== d[10]) return null;
	let day = d[0] * 10 + d[1];
	let month = d[2] * 10 + d[3];
	const kind: NationalIdKind = day > 40 ? 'dnr' : 'fnr';
	if (kind === 'dnr') day -= 40;
	const synthetic = month > 80;
	if (synthetic) month -= 80;
	const year = birthYear(d[4] * 10 + d[5], d[6] * 100 + d[7] * 10 + d[8]);
	if (year === null || month < 1 || month > 12 || day < 1) return null;
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCMonth() !== month - 1) return null;
	const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	return { value, kind, synthetic, birthDate };
}

export const isNationalId = (input: string): boolean => parseNationalId(input) !== null;

/** The nine digits with their two check digits appended, or null where no check digit exists for them. */
export function withCheckDigits(nine: string): string | null {
	const d = [...nine].map(Number);
	const k1 = mod11(d, K1);
	if (k1 === null) return null;
	const k2 = mod11([...d, k1], K2);
	return k2 === null ? null : `${nine}${k1}${k2}`;
}

/**
 * A synthetic fødselsnummer or D-nummer (month + 80) for a birth date, for demo and test data: the first individual
 * number from `from` up that gives valid check digits.
 */
export function syntheticNationalId(birthDate: string, opts: { kind?: NationalIdKind; from?: number } = {}): string {
	const [y, m, dd] = birthDate.split('-').map(Number);
	const day = opts.kind === 'dnr' ? dd + 40 : dd;
	const base = `${String(day).padStart(2, '0')}${String(m + 80).padStart(2, '0')}${String(y % 100).padStart(2, '0')}`;
	const from = opts.from ?? 100;
	for (let individual = y >= 2000 ? Math.max(from, 500) : from; individual <= 999; individual++) {
		const value = withCheckDigits(base + String(individual).padStart(3, '0'));
		if (value && parseNationalId(value)?.birthDate === birthDate) return value;
	}
	throw new Error(`no synthetic number for ${birthDate}`);
}

/** As shown to anyone but those who registered it: the birth date part, the rest hidden. */
export function maskNationalId(value: string): string {
	return `${value.slice(0, 6)} *****`;
}

/** An organisation number (Enhetsregisteret): 9 digits, the last a mod-11 check digit. */
export function isOrganisationNumber(input: string): boolean {
	const value = input.replace(/\s+/g, '');
	if (!/^\d{9}$/.test(value)) return false;
	const d = [...value].map(Number);
	return mod11(d, ORG) === d[8];
}

/** An HPR number (helsepersonellregisteret): digits only, 4 to 9 of them; the register gives no check digit. */
export function isHprNumber(input: string): boolean {
	return /^\d{4,9}$/.test(input.trim());
}

/** A HER-id (an address in the health network's address register): a positive whole number. */
export function isHerId(input: string): boolean {
	return /^[1-9]\d{0,9}$/.test(input.trim());
}
