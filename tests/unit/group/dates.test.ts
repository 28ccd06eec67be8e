import { describe, expect, it } from 'vitest';
import { endOfOsloDay, osloDate, startOfOsloDay } from '../../../src/lib/server/group/dates';

describe('calendar days in Oslo', () => {
	it('starts a day at local midnight, winter and summer', () => {
		expect(startOfOsloDay('2027-01-15').toISOString()).toBe('2027-01-14T23:00:00.000Z');
		expect(startOfOsloDay('2027-07-15').toISOString()).toBe('2027-07-14T22:00:00.000Z');
	});

	it('gets the days around the change of summer time right', () => {
		// Summer time begins 28 March 2027 at 02:00 and ends 31 October 2027 at 03:00.
		expect(startOfOsloDay('2027-03-28').toISOString()).toBe('2027-03-27T23:00:00.000Z');
		expect(startOfOsloDay('2027-03-29').toISOString()).toBe('2027-03-28T22:00:00.000Z');
		expect(startOfOsloDay('2027-10-31').toISOString()).toBe('2027-10-30T22:00:00.000Z');
		expect(startOfOsloDay('2027-11-01').toISOString()).toBe('2027-10-31T23:00:00.000Z');
	});

	it('ends a day where the next begins, and tells which day an instant falls on', () => {
		expect(endOfOsloDay('2027-03-31').toISOString()).toBe('2027-03-31T22:00:00.000Z');
		expect(endOfOsloDay('2027-12-31').toISOString()).toBe('2027-12-31T23:00:00.000Z');
		expect(osloDate(new Date('2027-03-31T21:59:59Z'))).toBe('2027-03-31');
		expect(osloDate(new Date('2027-03-31T22:00:00Z'))).toBe('2027-04-01');
		expect(osloDate(new Date('2027-01-01T22:59:59Z'))).toBe('2027-01-01');
	});
});
