import { isCalendarDate } from './http/json-body';

/**
 * Calendar days as people in Norway mean them. A form's "until 31 March" runs to the end of that day in
 * Europe/Oslo, whatever the server's own time zone, so dates become instants here: a day starts at local midnight
 * and ends at the next day's midnight (exclusive). On the days the clocks change a day is 23 or 25 hours long.
 */
export const OSLO = 'Europe/Oslo';

const parts = new Intl.DateTimeFormat('en-CA', {
	timeZone: OSLO,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

function osloFields(instant: Date): Record<string, number> {
	const out: Record<string, number> = {};
	for (const p of parts.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
	return out;
}

/** How far Oslo's wall clock is ahead of UTC at `instant`, in milliseconds (1 or 2 hours). */
function osloOffsetMs(instant: Date): number {
	const f = osloFields(instant);
	const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
	return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

function parseDay(day: string): [number, number, number] {
	if (!isCalendarDate(day)) throw new RangeError(`not a calendar date: ${day}`);
	const [y, m, d] = day.split('-').map(Number);
	return [y, m, d];
}

/** The instant a calendar day begins in Oslo (local midnight). */
export function osloDayStart(day: string): Date {
	const [y, m, d] = parseDay(day);
	const wall = Date.UTC(y, m - 1, d);
	// The offset at a first guess can differ from the offset at midnight itself when the clocks change in between;
	// a second step settles it (midnight never falls in the hour the clocks skip, which is 02:00–03:00).
	const guess = wall - osloOffsetMs(new Date(wall));
	return new Date(wall - osloOffsetMs(new Date(guess)));
}

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
	const [y, m, d] = parseDay(day);
	return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The day after `day`, as a calendar date. */
export function nextDay(day: string): string {
	return addDays(day, 1);
}

/** Whole days from `from` to `to` (both calendar days). */
export function daysBetween(from: string, to: string): number {
	const [a, b] = [parseDay(from), parseDay(to)];
	return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000);
}

/** The instant a calendar day is over in Oslo: the next day's midnight. Store it as an exclusive end. */
export function osloDayEnd(day: string): Date {
	return osloDayStart(nextDay(day));
}

/** The calendar day in Oslo at `instant`. */
export function osloDay(instant: Date): string {
	const f = osloFields(instant);
	return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

/** Today, in Oslo. */
export function osloToday(now = new Date()): string {
	return osloDay(now);
}

/** The last day an exclusive end covers (`osloDayEnd('2027-03-31')` → `'2027-03-31'`). */
export function osloLastDay(end: Date): string {
	return osloDay(new Date(end.getTime() - 1));
}
