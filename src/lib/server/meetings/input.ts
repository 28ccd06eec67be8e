/** A meeting form as typed: every field checked here, on the server; a refusal names the field. */
import { isCalendarDate } from '../http/json-body';
import { MeetingError } from './errors';

export interface MeetingForm {
	date: string;
	time: string;
	duration: string;
	place: string;
	videoLink: string;
}

export interface MeetingTime {
	startsAt: Date;
	durationMinutes: number;
}

export interface MeetingPlace {
	place: string;
	videoLink: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MAX_PLACE = 300;
const MAX_LINK = 2000;

/** Date and time as a clock in Norway shows them, and a duration in minutes (15 to 480). */
export function readMeetingTime(form: Pick<MeetingForm, 'date' | 'time' | 'duration'>): MeetingTime {
	const date = form.date.trim();
	if (!date) throw new MeetingError(400, 'date_required', 'Choose a date.', 'date');
	if (!isCalendarDate(date)) throw new MeetingError(400, 'invalid', 'The date must be a date.', 'date');
	const time = form.time.trim();
	if (!time) throw new MeetingError(400, 'time_required', 'Choose a time.', 'time');
	const hm = TIME.exec(time);
	if (!hm) throw new MeetingError(400, 'invalid', 'The time must be hours and minutes.', 'time');
	const duration = form.duration.trim() === '' ? 60 : Number(form.duration);
	if (!Number.isInteger(duration) || duration < 15 || duration > 480)
		throw new MeetingError(400, 'duration_invalid', 'The duration is 15 to 480 minutes.', 'duration');
	return { startsAt: osloWallTime(date, Number(hm[1]), Number(hm[2])), durationMinutes: duration };
}

/** A room or address, a video link, or both; a link must be https. */
export function readMeetingPlace(form: Pick<MeetingForm, 'place' | 'videoLink'>): MeetingPlace {
	const place = form.place.replace(/\s+/g, ' ').trim();
	const videoLink = form.videoLink.trim();
	if (place.length > MAX_PLACE) throw new MeetingError(400, 'too_long', 'The place is too long.', 'place');
	if (!place && !videoLink)
		throw new MeetingError(400, 'place_or_link_required', 'Give a place or a video link.', 'place');
	if (videoLink) {
		if (videoLink.length > MAX_LINK) throw new MeetingError(400, 'too_long', 'The link is too long.', 'videoLink');
		let url: URL | null;
		try {
			url = new URL(videoLink);
		} catch {
			url = null;
		}
		if (!url || url.protocol !== 'https:' || !url.hostname || url.username || url.password)
			throw new MeetingError(400, 'link_not_https', 'The video link must start with https://.', 'videoLink');
	}
	return { place, videoLink };
}

const fields = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Europe/Oslo',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

function offsetAt(instant: number): number {
	const f: Record<string, number> = {};
	for (const p of fields.formatToParts(new Date(instant))) if (p.type !== 'literal') f[p.type] = Number(p.value);
	return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute) - Math.floor(instant / 60_000) * 60_000;
}

/** The instant Oslo's clocks show `date` `hh:mm` (a time the clocks skip lands an hour later). */
export function osloWallTime(date: string, hours: number, minutes: number): Date {
	const [y, m, d] = date.split('-').map(Number);
	const wall = Date.UTC(y, m - 1, d, hours, minutes);
	const guess = wall - offsetAt(wall);
	return new Date(wall - offsetAt(guess));
}

/** The date and time fields for a form, from an instant (Oslo's clock). */
export function meetingFormTime(startsAt: Date): { date: string; time: string } {
	const f: Record<string, string> = {};
	for (const p of fields.formatToParts(startsAt)) if (p.type !== 'literal') f[p.type] = p.value;
	return { date: `${f.year}-${f.month}-${f.day}`, time: `${f.hour}:${f.minute}` };
}
