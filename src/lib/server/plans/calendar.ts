/**
 * Plan periods, revision dates and commitments are calendar days (`YYYY-MM-DD`), kept in Norway: "today" is the
 * day on the wall in Oslo, not the UTC day, so a warning does not flip at one o'clock in the night.
 */
const OSLO = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day `at` falls on in Norway. */
export function calendarDay(at: Date): string {
	const parts = Object.fromEntries(OSLO.formatToParts(at).map((p) => [p.type, p.value]));
	return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both calendar days). */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
