import { describe, expect, it } from 'vitest';
import { addDays, calendarDay, daysBetween } from '../../../src/lib/server/plans/calendar';

describe('calendar days in Norway', () => {
	it('takes the day on the wall in Oslo, winter and summer', () => {
		expect(calendarDay(new Date('2026-03-10T22:59:00Z'))).toBe('2026-03-10'); // 23:59 CET
		expect(calendarDay(new Date('2026-03-10T23:00:00Z'))).toBe('2026-03-11'); // midnight CET
		expect(calendarDay(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01'); // 23:59 CEST
		expect(calendarDay(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
	});

	it('counts days across months, leap days and the clock change', () => {
		expect(addDays('2026-03-20', 14)).toBe('2026-04-03');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
		expect(daysBetween('2026-03-20', '2026-04-03')).toBe(14);
		expect(daysBetween('2026-10-20', '2026-10-30')).toBe(10);
	});
});
