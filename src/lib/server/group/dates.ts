/**
 * The group's dates are calendar days in Norway ("med til 31. mars"); seats start and end at instants. These
 * turn one into the other in Europe/Oslo, so a seat that ends "after 31 March" ends at midnight there, summer
 * time or not.
 */
const ZONE = 'Europe/Oslo';

const wallClock = new Intl.DateTimeFormat('en-CA', {
	timeZone: ZONE,
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit'
});

/** Minutes Oslo is ahead of UTC at `instant` (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
	const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
	const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
	return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar day (YYYY-MM-DD) it is in Oslo at `instant`. */
export function osloDate(instant: Date): string {
	const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
	return `${p.year}-${p.month}-${p.day}`;
}

/** The instant a calendar day begins in Oslo. */
export function startOfOsloDay(day: string): Date {
	const [y, m, d] = day.split('-').map(Number);
	const midnightUtc = Date.UTC(y, m - 1, d);
	let instant = new Date(midnightUtc - offsetMinutes(new Date(midnightUtc)) * 60_000);
	// Around a change of summer time the first guess can be an hour off: correct it with the offset there.
	instant = new Date(midnightUtc - offsetMinutes(instant) * 60_000);
	return instant;
}

/** The instant a calendar day is over in Oslo (the next day's start): "til og med 31. mars". */
export function endOfOsloDay(day: string): Date {
	const [y, m, d] = day.split('-').map(Number);
	const next = new Date(Date.UTC(y, m - 1, d + 1));
	return startOfOsloDay(next.toISOString().slice(0, 10));
}
