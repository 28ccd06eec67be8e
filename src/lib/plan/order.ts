/**
 * Fractional order keys. A key is a base-62 fraction in (0, 1), written without the leading "0."
 * and never ending in the zero digit, so there is always room for another key on either side.
 * Keys compare with plain `<` (the digits are in ASCII order); equal keys are broken by entity id.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
/** Generous: inserting 5000 times at the very front of one list still fits. Caps hostile input. */
const MAX_KEY_LENGTH = 1024;
const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

export function isOrderKey(value: unknown): value is string {
	return typeof value === 'string' && value.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(value);
}

function digitOf(ch: string): number {
	const c = ch.charCodeAt(0);
	if (c <= 57) return c - 48; // 0-9
	if (c <= 90) return c - 55; // A-Z
	return c - 61; // a-z
}

/**
 * A key strictly between `a` and `b` (`null` = open end). Deterministic, so two clients inserting at
 * the same spot at once get the same key; readers then order them by id.
 */
export function keyBetween(a: string | null, b: string | null): string {
	if (a !== null && !isOrderKey(a)) throw new Error(`keyBetween: invalid lower key ${JSON.stringify(a)}`);
	if (b !== null && !isOrderKey(b)) throw new Error(`keyBetween: invalid upper key ${JSON.stringify(b)}`);
	if (a !== null && b !== null && a >= b) throw new Error(`keyBetween: ${a} is not below ${b}`);

	let lo = a ?? '';
	let hi = b;
	let prefix = '';
	for (;;) {
		if (hi !== null) {
			// Copy the shared prefix (lo is read as padded with zero digits).
			let n = 0;
			while (n < hi.length && (lo[n] ?? '0') === hi[n]) n++;
			prefix += hi.slice(0, n);
			lo = lo.slice(n);
			hi = hi.slice(n);
		}
		const dl = lo.length > 0 ? digitOf(lo[0]) : 0;
		const dh = hi !== null ? digitOf(hi[0]) : BASE;
		if (dh - dl > 1) return prefix + DIGITS[(dl + dh) >> 1];
		// Adjacent digits: a one-digit prefix of a longer upper key already lies between.
		if (hi !== null && hi.length > 1) return prefix + hi[0];
		// Otherwise keep lo's digit and look for room further right, with no upper bound there.
		prefix += DIGITS[dl];
		lo = lo.slice(1);
		hi = null;
	}
}

export interface Ordered {
	id: string;
	/** `null` when the stored key is missing or invalid: such entries sort last. */
	order: string | null;
}

/** Total order used by every reader: by key, invalid keys last, then by id (string code units, not locale). */
export function compareOrdered(a: Ordered, b: Ordered): number {
	if (a.order !== b.order) {
		if (a.order === null) return 1;
		if (b.order === null) return -1;
		return a.order < b.order ? -1 : 1;
	}
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
