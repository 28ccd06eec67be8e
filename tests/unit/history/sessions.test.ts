/** Working sessions of the update log, and word-level differences: the pure parts of history. */
import { describe, expect, it } from 'vitest';
import { groupSessions, SESSION_GAP_MS } from '../../../src/lib/server/history/timeline';
import { wordDiff } from '../../../src/lib/server/history/word-diff';
import type { LogRow } from '../../../src/lib/server/history/log';

const t0 = Date.parse('2026-11-22T10:00:00Z');
const row = (id: number, userId: string | null, minutes: number, kind: LogRow['kind'] = 'plan'): LogRow => ({
	id,
	userId,
	kind,
	createdAt: new Date(t0 + minutes * 60_000)
});

describe('working sessions', () => {
	it('joins one person’s consecutive updates less than 20 minutes apart, across documents', () => {
		const sessions = groupSessions([row(1, 'a', 0), row(2, 'a', 19, 'crisis'), row(3, 'a', 38), row(5, 'a', 57)]);
		expect(sessions.map((s) => [s.firstId, s.lastId, s.updates])).toEqual([[1, 5, 4]]);
		expect(sessions[0].kinds).toEqual(['plan', 'crisis']);
	});

	it('starts a new session after a gap of 20 minutes or more, or when someone else (or the server) writes in between', () => {
		const sessions = groupSessions([
			row(1, 'a', 0),
			row(2, 'a', SESSION_GAP_MS / 60_000),
			row(3, 'b', 21),
			row(4, null, 22),
			row(6, null, 23),
			row(7, 'a', 24)
		]);
		expect(sessions.map((s) => [s.userId, s.firstId, s.lastId])).toEqual([
			['a', 1, 1],
			['a', 2, 2],
			['b', 3, 3],
			[null, 4, 6],
			['a', 7, 7]
		]);
	});
});

describe('word differences', () => {
	it('marks the words put in and taken out, keeping the rest', () => {
		expect(wordDiff('Gå en tur hver dag', 'Gå en lang tur hver uke')).toEqual([
			{ op: 'same', text: 'Gå en ' },
			{ op: 'ins', text: 'lang ' },
			{ op: 'same', text: 'tur hver ' },
			{ op: 'del', text: 'dag' },
			{ op: 'ins', text: 'uke' }
		]);
	});

	it('handles empty sides and stays bounded on long texts', () => {
		expect(wordDiff('', 'Nytt')).toEqual([{ op: 'ins', text: 'Nytt' }]);
		expect(wordDiff('Gammelt', '')).toEqual([{ op: 'del', text: 'Gammelt' }]);
		const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
		const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
		const parts = wordDiff(a, b);
		expect(
			parts
				.filter((p) => p.op === 'del')
				.map((p) => p.text)
				.join('')
		).toBe(a);
		expect(
			parts
				.filter((p) => p.op === 'ins')
				.map((p) => p.text)
				.join('')
		).toBe(b);
	});
});
