/** A refusal of a meeting action: a status, a stable code the page says in words, and the form field it is about. */
export class MeetingError extends Error {
	constructor(
		readonly status: number,
		readonly code: MeetingErrorCode,
		message: string,
		readonly field: string | null = null
	) {
		super(message);
		this.name = 'MeetingError';
	}
}

export type MeetingErrorCode =
	| 'forbidden'
	| 'not_found'
	| 'invalid'
	| 'date_required'
	| 'time_required'
	| 'duration_invalid'
	| 'place_or_link_required'
	| 'link_not_https'
	| 'too_long'
	| 'text_required'
	| 'not_planned'
	| 'closed'
	| 'next_required'
	| 'next_before';

export function isMeetingError(err: unknown): err is MeetingError {
	return err instanceof MeetingError;
}
