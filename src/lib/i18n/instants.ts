import { m } from '$lib/paraglide/messages';
import { intlLocale } from './intl-locale';

/** Instants (timestamps) as people in Norway read them: on Oslo's clock, whatever the server's or browser's zone. */
const ZONE = 'Europe/Oslo';

/** `3. mars 2026` */
export function formatDay(instant: Date): string {
	return new Intl.DateTimeFormat(intlLocale(), {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: ZONE
	}).format(instant);
}

/** `14:05` */
export function formatTime(instant: Date): string {
	return new Intl.DateTimeFormat(intlLocale(), { hour: '2-digit', minute: '2-digit', timeZone: ZONE }).format(instant);
}

/** `3. mars 2026 kl. 14:05` */
export function formatDateTime(instant: Date): string {
	return `${formatDay(instant)} ${m.log_at_time({ time: formatTime(instant) })}`;
}

/** The calendar day in Oslo, `YYYY-MM-DD`, to group a log by day. */
export function osloDayKey(instant: Date): string {
	return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: ZONE }).format(
		instant
	);
}

/** `kriseplanen og møtene`: a list the way the reader's language joins one. */
export function joinList(items: string[]): string {
	return new Intl.ListFormat(intlLocale(), { style: 'long', type: 'conjunction' }).format(items);
}
