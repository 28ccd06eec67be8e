import { describe, expect, it } from 'vitest';
import {
	addDays,
	daysBetween,
	nextDay,
	osloDay,
	osloDayEnd,
	osloDayStart,
	osloLastDay,
	osloToday
} from '../../../src/lib/server/oslo-day';

const HOUR = 3_600_000;

describe('calendar days in Oslo', () => {
	it('starts a winter day at 23:00 UTC the day before and a summer day at 22:00 UTC', () => {
		expect(osloDayStart('2027-01-15').toISOString()).toBe('2027-01-14T23:00:00.000Z');
		expect(osloDayStart('2027-07-15').toISOString()).toBe('2027-07-14T22:00:00.000Z');
	});

	it('runs "until 31 March" to the end of that day in Norway, not in UTC', () => {
		expect(osloDayEnd('2027-03-31').toISOString()).toBe('2027-03-31T22:00:00.000Z');
		expect(osloDayEnd('2027-01-31').toISOString()).toBe('2027-01-31T23:00:00.000Z');
		expect(osloLastDay(osloDayEnd('2027-03-31'))).toBe('2027-03-31');
	});

	it('makes the day the clocks go forward 23 hours long (29 March 2026, 28 March 2027)', () => {
		expect(osloDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(osloDayEnd('2026-03-29').toISOString()).toBe('2026-03-29T22:00:00.000Z');
		expect(osloDayEnd('2026-03-29').getTime() - osloDayStart('2026-03-29').getTime()).toBe(23 * HOUR);
		expect(osloDayEnd('2027-03-28').getTime() - osloDayStart('2027-03-28').getTime()).toBe(23 * HOUR);
		// The days around it are whole days.
		expect(osloDayEnd('2026-03-28').getTime() - osloDayStart('2026-03-28').getTime()).toBe(24 * HOUR);
		expect(osloDayEnd('2026-03-30').getTime() - osloDayStart('2026-03-30').getTime()).toBe(24 * HOUR);
	});

	it('makes the day the clocks go back 25 hours long (25 October 2026, 31 October 2027)', () => {
		expect(osloDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
		expect(osloDayEnd('2026-10-25').toISOString()).toBe('2026-10-25T23:00:00.000Z');
		expect(osloDayEnd('2026-10-25').getTime() - osloDayStart('2026-10-25').getTime()).toBe(25 * HOUR);
		expect(osloDayEnd('2027-10-31').getTime() - osloDayStart('2027-10-31').getTime()).toBe(25 * HOUR);
	});

	it('tells the Oslo day of an instant, on both sides of local midnight and across the clock changes', () => {
		expect(osloDay(new Date('2027-03-31T21:59:59.999Z'))).toBe('2027-03-31');
		expect(osloDay(new Date('2027-03-31T22:00:00.000Z'))).toBe('2027-04-01');
		expect(osloDay(new Date('2026-10-25T22:30:00.000Z'))).toBe('2026-10-25'); // 23:30 CET
		expect(osloDay(new Date('2026-03-29T01:30:00.000Z'))).toBe('2026-03-29'); // 03:30 CEST, just after the jump
		expect(osloToday(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
		for (const day of ['2026-03-29', '2026-10-25', '2027-02-28', '2028-02-29', '2026-12-31']) {
			expect(osloDay(osloDayStart(day))).toBe(day);
			expect(osloLastDay(osloDayEnd(day))).toBe(day);
		}
	});

	it('counts the next day across months, years and leap days, and refuses what is not a date', () => {
		expect(nextDay('2026-12-31')).toBe('2027-01-01');
		expect(nextDay('2028-02-28')).toBe('2028-02-29');
		expect(nextDay('2027-02-28')).toBe('2027-03-01');
		expect(() => osloDayStart('2027-02-30')).toThrow(RangeError);
		expect(() => osloDayEnd('31.03.2027')).toThrow(RangeError);
	});

	it('starts the days around the 2027 clock changes at local midnight', () => {
		expect(osloDayStart('2027-01-15').toISOString()).toBe('2027-01-14T23:00:00.000Z');
		expect(osloDayStart('2027-07-15').toISOString()).toBe('2027-07-14T22:00:00.000Z');
		expect(osloDayStart('2027-03-28').toISOString()).toBe('2027-03-27T23:00:00.000Z');
		expect(osloDayStart('2027-03-29').toISOString()).toBe('2027-03-28T22:00:00.000Z');
		expect(osloDayStart('2027-10-31').toISOString()).toBe('2027-10-30T22:00:00.000Z');
		expect(osloDayStart('2027-11-01').toISOString()).toBe('2027-10-31T23:00:00.000Z');
		expect(osloDayEnd('2027-12-31').toISOString()).toBe('2027-12-31T23:00:00.000Z');
	});

	it('moves and counts days across months, leap days and the clock change', () => {
		expect(addDays('2026-03-20', 14)).toBe('2026-04-03');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
		expect(daysBetween('2026-03-20', '2026-04-03')).toBe(14);
		expect(daysBetween('2026-10-20', '2026-10-30')).toBe(10);
		expect(daysBetween('2026-04-03', '2026-03-20')).toBe(-14);
	});
});
