import { isCalendarDate } from '../http/json-body';
import { OSLO } from '../oslo-day';

/** `YYYY-MM-DDTHH:MM` as an Oslo wall-clock time (what `<input type="datetime-local">` sends) to an instant, or null. */
export function osloWallTime(value: string): Date | null {
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value);
	if (!m || !isCalendarDate(m[1])) return null;
	const [h, min] = [Number(m[2]), Number(m[3])];
	if (h > 23 || min > 59) return null;
	const [y, mo, d] = m[1].split('-').map(Number);
	const wall = Date.UTC(y, mo - 1, d, h, min);
	// The offset at the guess, then once more at the corrected instant (around a clock change the two differ).
	let instant = wall - offsetAt(new Date(wall));
	instant = wall - offsetAt(new Date(instant));
	return new Date(instant);
}

/** An instant as the Oslo wall clock shows it, `YYYY-MM-DDTHH:MM` (a datetime-local input's value). */
export function toOsloWallTime(instant: Date): string {
	const f = fields(instant);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${f.year}-${p(f.month)}-${p(f.day)}T${p(f.hour)}:${p(f.minute)}`;
}

const format = new Intl.DateTimeFormat('en-CA', {
	timeZone: OSLO,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

function fields(instant: Date): Record<string, number> {
	const out: Record<string, number> = {};
	for (const p of format.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
	return out;
}

function offsetAt(instant: Date): number {
	const f = fields(instant);
	return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(instant.getTime() / 1000) * 1000;
}
