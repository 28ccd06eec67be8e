import { describe, expect, test } from 'vitest';
import { compareOrdered, isOrderKey, keyBetween } from '../../../src/lib/plan';
import { mulberry32 } from './helpers';

function expectBetween(a: string | null, b: string | null): string {
	const k = keyBetween(a, b);
	expect(isOrderKey(k), `${k} is a valid key`).toBe(true);
	if (a !== null) expect(k > a, `${k} > ${a}`).toBe(true);
	if (b !== null) expect(k < b, `${k} < ${b}`).toBe(true);
	return k;
}

describe('keyBetween', () => {
	test('first key, and keys on either side of it', () => {
		const mid = expectBetween(null, null);
		expectBetween(null, mid);
		expectBetween(mid, null);
	});

	test('edge digits: next to the smallest and largest single digits', () => {
		expect(expectBetween(null, '1')).toBe('0V');
		expectBetween('z', null);
		expectBetween('zzz', null);
		expectBetween('y', 'z');
		expectBetween('0001', '0002');
		expectBetween('1', '11');
		expectBetween('A', 'A1');
	});

	test('500 inserts at the start, the end and a fixed middle spot stay strictly ordered', () => {
		let first = keyBetween(null, null);
		let last = first;
		for (let i = 0; i < 500; i++) {
			first = expectBetween(null, first);
			last = expectBetween(last, null);
		}
		// Always insert right after a fixed key: each new key goes between it and the previous new key.
		const anchor = keyBetween(null, null);
		let right = keyBetween(anchor, null);
		for (let i = 0; i < 500; i++) right = expectBetween(anchor, right);
		expect(first.length).toBeLessThan(200);
	});

	test('random inserts into a list keep it strictly sorted (property)', () => {
		const rand = mulberry32(7);
		const keys: string[] = [];
		for (let i = 0; i < 2000; i++) {
			const at = Math.floor(rand() * (keys.length + 1));
			const k = expectBetween(keys[at - 1] ?? null, keys[at] ?? null);
			keys.splice(at, 0, k);
		}
		for (let i = 1; i < keys.length; i++) expect(keys[i - 1] < keys[i]).toBe(true);
	});

	test('is deterministic, so concurrent inserts at one spot can collide (readers tie-break by id)', () => {
		expect(keyBetween('a', 'b')).toBe(keyBetween('a', 'b'));
	});

	test('rejects invalid or out-of-order bounds', () => {
		expect(() => keyBetween('b', 'a')).toThrow();
		expect(() => keyBetween('a', 'a')).toThrow();
		expect(() => keyBetween('a0', null)).toThrow(); // trailing zero digit leaves no room below
		expect(() => keyBetween('ä', null)).toThrow();
		expect(() => keyBetween(null, '')).toThrow();
	});
});

describe('isOrderKey', () => {
	test('accepts base-62 keys without a trailing zero', () => {
		expect(isOrderKey('V')).toBe(true);
		expect(isOrderKey('0V')).toBe(true);
		expect(isOrderKey('V0')).toBe(false);
		expect(isOrderKey('')).toBe(false);
		expect(isOrderKey('a-b')).toBe(false);
		expect(isOrderKey(5)).toBe(false);
		expect(isOrderKey('a'.repeat(2000))).toBe(false);
	});
});

describe('compareOrdered', () => {
	test('orders by key, then id, with missing keys last', () => {
		const items = [
			{ id: 'b', order: 'V' },
			{ id: 'z', order: null },
			{ id: 'a', order: 'V' },
			{ id: 'c', order: 'F' },
			{ id: 'y', order: null }
		];
		expect(items.sort(compareOrdered).map((i) => i.id)).toEqual(['c', 'a', 'b', 'y', 'z']);
	});

	test('does not depend on locale collation (uppercase sorts before lowercase)', () => {
		const items = [
			{ id: '1', order: 'a' },
			{ id: '2', order: 'B' }
		];
		expect(items.sort(compareOrdered).map((i) => i.id)).toEqual(['2', '1']);
	});
});
