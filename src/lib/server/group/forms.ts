import type { Access } from '../../vocabulary';
import { isCalendarDate } from '../http/json-body';
import { ASSIGNABLE_ROLES, OLD_SEAT_CHOICES, type AssignableRole, type OldSeatChoice } from '../../group/roles';

/**
 * The group page's forms, read field by field. Problems come back as codes per field (the page words them),
 * and what was typed comes back too, so nothing has to be written twice.
 */
export type FieldProblem = 'required' | 'too_long' | 'invalid' | 'email' | 'date';
export type FormResult<T> =
	| { ok: true; value: T; values: Record<string, string> }
	| { ok: false; errors: Record<string, FieldProblem>; values: Record<string, string> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function reader(form: FormData) {
	const values: Record<string, string> = {};
	const errors: Record<string, FieldProblem> = {};
	const text = (name: string, opts: { required?: boolean; max?: number } = {}) => {
		const v = String(form.get(name) ?? '').trim();
		values[name] = v;
		if (opts.required && !v) errors[name] = 'required';
		else if (v.length > (opts.max ?? 200)) errors[name] = 'too_long';
		return v;
	};
	const choice = <T extends string>(name: string, allowed: readonly T[]): T => {
		const v = text(name, { required: true });
		if (v && !(allowed as readonly string[]).includes(v)) errors[name] = 'invalid';
		return v as T;
	};
	const date = (name: string, opts: { required?: boolean } = {}): string | null => {
		const v = text(name, { required: opts.required, max: 10 });
		if (v && !isCalendarDate(v)) errors[name] = 'date';
		return v || null;
	};
	/** A choice between staff people in a service: `<userId>|<serviceId>`. */
	const staffSeat = (name: string) => {
		const v = text(name, { required: true, max: 80 });
		const [userId, serviceId] = v.split('|');
		if (v && (!userId || !serviceId)) errors[name] = 'invalid';
		return { userId: userId ?? '', serviceId: serviceId ?? '' };
	};
	const done = <T>(value: T): FormResult<T> =>
		Object.keys(errors).length ? { ok: false, errors, values } : { ok: true, value, values };
	return { text, choice, date, staffSeat, done, values };
}

const ACCESS = ['read', 'write'] as const;

export interface SeatForm {
	role: AssignableRole;
	serviceId: string | null;
	access: Access;
	committedUntil: string | null;
}

export function parseAddForm(form: FormData): FormResult<SeatForm & { userId: string; from: string | null }> {
	const r = reader(form);
	const userId = r.text('userId', { required: true, max: 64 });
	const role = r.choice('role', ASSIGNABLE_ROLES);
	const serviceId = r.text('serviceId', { max: 64 }) || null;
	const access = r.choice('access', ACCESS);
	const from = r.date('from');
	const committedUntil = r.date('committedUntil');
	return r.done({ userId, role, serviceId, access, from, committedUntil });
}

export function parseInviteForm(form: FormData): FormResult<SeatForm & { name: string; email: string }> {
	const r = reader(form);
	const name = r.text('name', { required: true });
	const email = r.text('email', { required: true, max: 320 }).toLowerCase();
	r.values.email = email;
	const role = r.choice('role', ASSIGNABLE_ROLES);
	const serviceId = r.text('serviceId', { max: 64 }) || null;
	const access = r.choice('access', ACCESS);
	const committedUntil = r.date('committedUntil');
	const result = r.done({ name, email, role, serviceId, access, committedUntil });
	if (email && !EMAIL.test(email))
		return { ok: false, errors: { ...(result.ok ? {} : result.errors), email: 'email' }, values: r.values };
	return result;
}

export function parseUpdateForm(form: FormData): FormResult<SeatForm & { seatId: string }> {
	const r = reader(form);
	const seatId = r.text('seatId', { required: true, max: 64 });
	const role = r.choice('role', ASSIGNABLE_ROLES);
	const serviceId = r.text('serviceId', { max: 64 }) || null;
	const access = r.choice('access', ACCESS);
	const committedUntil = r.date('committedUntil');
	return r.done({ seatId, role, serviceId, access, committedUntil });
}

export function parseHandoverForm(form: FormData): FormResult<{
	seatId: string;
	successorId: string;
	serviceId: string;
	role: AssignableRole;
	access: Access;
	overlapUntil: string | null;
	committedUntil: string | null;
}> {
	const r = reader(form);
	const seatId = r.text('seatId', { required: true, max: 64 });
	const successor = r.staffSeat('successor');
	const role = r.choice('role', ASSIGNABLE_ROLES);
	const access = r.choice('access', ACCESS);
	const overlapUntil = r.date('overlapUntil');
	const committedUntil = r.date('committedUntil');
	return r.done({
		seatId,
		successorId: successor.userId,
		serviceId: successor.serviceId,
		role,
		access,
		overlapUntil,
		committedUntil
	});
}

export function parseEndForm(form: FormData): FormResult<{ seatId: string }> {
	const r = reader(form);
	const seatId = r.text('seatId', { required: true, max: 64 });
	// Ending a seat takes a second, deliberate step: the box must be ticked (the page works without JavaScript).
	if (form.get('confirm') !== 'yes') return { ok: false, errors: { confirm: 'required' }, values: r.values };
	return r.done({ seatId });
}

export function parseOfferForm(
	form: FormData
): FormResult<{ toUserId: string; serviceId: string; oldSeat: OldSeatChoice }> {
	const r = reader(form);
	const successor = r.staffSeat('successor');
	const oldSeat = r.choice('oldSeat', OLD_SEAT_CHOICES);
	return r.done({ toUserId: successor.userId, serviceId: successor.serviceId, oldSeat });
}
