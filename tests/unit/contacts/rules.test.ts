import { describe, expect, it } from 'vitest';
import { flaggedRuns, missRuns, type StreakEntry } from '../../../src/lib/server/contacts/rules';
import { osloWallTime, toOsloWallTime } from '../../../src/lib/server/contacts/oslo-time';
import type { ContactKind } from '../../../src/lib/vocabulary';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute));
const entry = (kind: ContactKind, minute: number, measureId: string | null = null, struck = false): StreakEntry => ({
	kind,
	occurredAt: at(minute),
	createdAt: at(minute),
	measureId,
	struck
});

describe('misses in a row', () => {
	it('counts misses since the last contact, in the order they happened, whatever order they were written', () => {
		const entries = [entry('no_show', 3), entry('met', 0), entry('door_not_opened', 2), entry('no_show', 1)];
		expect(missRuns(entries).plan).toMatchObject({ count: 3, since: at(1), last: at(3) });
		expect(flaggedRuns(entries)).toHaveLength(1);
		expect(flaggedRuns([...entries, entry('home_visit', 4)])).toEqual([]);
	});

	it('an SMS is neither a miss nor a contact; a struck entry does not count', () => {
		expect(missRuns([entry('no_show', 1), entry('sms', 2), entry('no_show', 3)]).plan?.count).toBe(2);
		expect(flaggedRuns([entry('no_show', 1), entry('no_show', 2, null, true), entry('no_show', 3)])).toEqual([]);
		expect(
			flaggedRuns([entry('no_show', 1), entry('met', 2, null, true), entry('no_show', 3), entry('no_show', 4)])
		).toHaveLength(1);
	});

	it('keeps one run per measure, from the entries that name it', () => {
		const runs = missRuns([
			entry('no_show', 1, 'a'),
			entry('met', 2),
			entry('no_show', 3, 'a'),
			entry('phone', 4, 'b'),
			entry('no_show', 5, 'a')
		]);
		expect(runs.plan?.count).toBe(1);
		expect(runs.measures).toMatchObject([{ measureId: 'a', count: 3 }]);
	});
});

describe('Oslo wall time', () => {
	it('reads a datetime-local value as Oslo time, summer and winter, and writes it back', () => {
		expect(osloWallTime('2026-07-01T12:30')?.toISOString()).toBe('2026-07-01T10:30:00.000Z');
		expect(osloWallTime('2026-12-01T12:30')?.toISOString()).toBe('2026-12-01T11:30:00.000Z');
		expect(toOsloWallTime(new Date('2026-12-01T11:30:00Z'))).toBe('2026-12-01T12:30');
		for (const bad of ['2026-02-30T10:00', '2026-01-01T24:00', '2026-01-01', 'i går'])
			expect(osloWallTime(bad)).toBeNull();
	});
});
