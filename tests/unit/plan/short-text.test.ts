import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readShortText, textDiff, writeShortText } from '../../../src/lib/plan';

describe('short text (titles as Y.Text)', () => {
	test.each([
		['abc', 'abc', { index: 3, remove: 0, insert: '' }],
		['Søknad om bolig', 'Søknad om kommunal bolig', { index: 10, remove: 0, insert: 'kommunal ' }],
		['abcdef', 'abXef', { index: 2, remove: 2, insert: 'X' }],
		['aaa', 'aa', { index: 2, remove: 1, insert: '' }],
		['', 'ny', { index: 0, remove: 0, insert: 'ny' }]
	])('textDiff(%j, %j) replaces only the changed middle', (from, to, diff) => {
		expect(textDiff(from, to)).toEqual(diff);
	});

	test('never splits an emoji (a surrogate pair)', () => {
		const { index, remove, insert } = textDiff('a😀b', 'a😃b');
		expect(index).toBe(1);
		expect(remove).toBe(2);
		expect(insert).toBe('😃');
	});

	test('reads plain strings and Y.Text, caps them, and reads anything else as empty', () => {
		const doc = new Y.Doc();
		const map = doc.getMap<unknown>('m');
		map.set('legacy', 'Gammel');
		writeShortText(map, 'shared', 'Ny tittel');
		map.set('number', 42);
		expect(readShortText(map.get('legacy'), 100)).toBe('Gammel');
		expect(readShortText(map.get('shared'), 2)).toBe('Ny');
		expect(readShortText(map.get('number'), 100)).toBe('');
		expect(map.get('shared')).toBeInstanceOf(Y.Text);
	});
});
