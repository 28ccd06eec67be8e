/**
 * Input checks for mutations. They run before the transaction opens, so a refused mutation
 * has written nothing. Inputs are typed as `unknown` where they may come straight from a form.
 */
import { PlanValidationError, type PlanValidationCode } from './errors';
import { isValidId } from './ids';
import { LIMITS } from './schema';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters other than tab and newline have no business in plan text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isValidDate(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const m = DATE_PATTERN.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function requireString(value: unknown, field: string): string {
	if (typeof value !== 'string') {
		throw new PlanValidationError('invalid_type', `${field} must be text`, field);
	}
	return value.replace(CONTROL, '');
}

function capLength(text: string, max: number, field: string): string {
	if (text.length > max) {
		throw new PlanValidationError('too_long', `${field} is longer than ${max} characters`, field);
	}
	return text;
}

/** One line of required text: whitespace collapsed, trimmed, non-empty, capped. */
export function requireLine(value: unknown, field: string, emptyCode: PlanValidationCode, max: number): string {
	const text = requireString(value, field).replace(/\s+/g, ' ').trim();
	if (text.length === 0) throw new PlanValidationError(emptyCode, `${field} must not be empty`, field);
	return capLength(text, max, field);
}

/** One line of optional text ('' allowed); `undefined`/`null` read as ''. */
export function optionalLine(value: unknown, field: string, max: number): string {
	if (value === undefined || value === null) return '';
	return capLength(requireString(value, field).replace(/\s+/g, ' ').trim(), max, field);
}

/** Free text that may span lines, trimmed; `undefined`/`null` read as ''. */
export function optionalText(value: unknown, field: string, max: number): string {
	if (value === undefined || value === null) return '';
	return capLength(requireString(value, field).trim(), max, field);
}

export function requireOneOf<T extends string>(
	value: unknown,
	allowed: readonly T[],
	code: PlanValidationCode,
	field: string
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new PlanValidationError(code, `${field} must be one of ${allowed.join(', ')}`, field);
}

/** 'YYYY-MM-DD' or none; '' counts as none because that is what an empty date input sends. */
export function optionalDate(value: unknown, field: string): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (!isValidDate(value)) {
		throw new PlanValidationError('invalid_date', `${field} must be a date written YYYY-MM-DD`, field);
	}
	return value;
}

/** A reference to a row elsewhere (service, user): a short non-empty string, or none. */
export function optionalRef(value: unknown, field: string): string | null {
	if (value === undefined || value === null || value === '') return null;
	const ref = requireString(value, field).trim();
	if (ref.length === 0 || ref.length > LIMITS.ref) {
		throw new PlanValidationError('invalid_id', `${field} is not a valid reference`, field);
	}
	return ref;
}

/** A caller-chosen entity id (used for idempotent seeding and reproducible tests). */
export function requireNewId(value: unknown, taken: (id: string) => boolean): string {
	if (!isValidId(value)) {
		throw new PlanValidationError('invalid_id', 'id must be 1–64 characters of A–Z, a–z, 0–9, _ or -', 'id');
	}
	if (taken(value)) throw new PlanValidationError('duplicate_id', `id ${value} is already in use`, 'id');
	return value;
}

export function checkDueAfterStart(start: string | null, due: string | null): void {
	// ISO dates compare correctly as strings.
	if (start !== null && due !== null && due < start) {
		throw new PlanValidationError('due_before_start', 'the due date is before the start date', 'dueDate');
	}
}

const PHONE_PATTERN = /^\+?[0-9 ()-]{2,}$/;

export function optionalPhone(value: unknown, field: string): string {
	const phone = optionalLine(value, field, LIMITS.phone);
	if (phone !== '' && !PHONE_PATTERN.test(phone)) {
		throw new PlanValidationError('invalid_phone', `${field} is not a phone number`, field);
	}
	return phone;
}
