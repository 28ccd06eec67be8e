import { SERVICE_KINDS, USER_KINDS, type ServiceKind, type UserKind } from '../../vocabulary';
import { MIN_PASSWORD_LENGTH } from '../auth/password-policy';

/** Form parsing for the admin pages: every problem is reported per field, and what was typed is echoed back. */
export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

export interface ErrorText {
	required(field: string): string;
	tooLong(field: string, max: number): string;
	invalidChoice(field: string): string;
	invalidEmail(): string;
	passwordShort(min: number): string;
}

function reader(form: FormData, errors: FieldErrors, text: ErrorText, values: Record<string, string>) {
	return (name: string, opts: { label: string; required?: boolean; max?: number }) => {
		const v = String(form.get(name) ?? '').trim();
		values[name] = v;
		if (opts.required && !v) errors[name] = text.required(opts.label);
		else if (v.length > (opts.max ?? 200)) errors[name] = text.tooLong(opts.label, opts.max ?? 200);
		return v;
	};
}

export interface ServiceInput {
	name: string;
	kind: ServiceKind;
	organisation: string;
	offers: string;
	phone: string | null;
	email: string | null;
	address: string | null;
}

export function parseServiceForm(
	form: FormData,
	text: ErrorText,
	labels: Record<keyof ServiceInput, string>
): Parsed<ServiceInput> {
	const errors: FieldErrors = {};
	const values: Record<string, string> = {};
	const read = reader(form, errors, text, values);
	const name = read('name', { label: labels.name, required: true });
	const kind = read('kind', { label: labels.kind, required: true });
	const organisation = read('organisation', { label: labels.organisation, required: true });
	const offers = read('offers', { label: labels.offers, max: 2000 });
	const phone = read('phone', { label: labels.phone, max: 40 });
	const email = read('email', { label: labels.email, max: 320 });
	const address = read('address', { label: labels.address, max: 300 });
	if (kind && !SERVICE_KINDS.includes(kind as ServiceKind)) errors.kind = text.invalidChoice(labels.kind);
	if (email && !EMAIL.test(email)) errors.email = text.invalidEmail();
	if (Object.keys(errors).length) return { ok: false, errors, values };
	return {
		ok: true,
		value: {
			name,
			kind: kind as ServiceKind,
			organisation,
			offers,
			phone: phone || null,
			email: email || null,
			address: address || null
		}
	};
}

export interface PersonInput {
	name: string;
	email: string;
	phone: string | null;
	kind: UserKind;
	isAdmin: boolean;
	disabled: boolean;
	serviceId: string | null;
	title: string;
	password: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parsePersonForm(
	form: FormData,
	text: ErrorText,
	labels: Record<'name' | 'email' | 'phone' | 'kind' | 'title' | 'password', string>,
	opts: { passwordRequired: boolean; serviceIds: string[] }
): Parsed<PersonInput> {
	const errors: FieldErrors = {};
	const values: Record<string, string> = {};
	const read = reader(form, errors, text, values);
	const name = read('name', { label: labels.name, required: true });
	const email = read('email', { label: labels.email, required: true, max: 320 }).toLowerCase();
	const phone = read('phone', { label: labels.phone, max: 40 });
	const kind = read('kind', { label: labels.kind, required: true });
	const serviceId = read('serviceId', { label: '' });
	const title = read('title', { label: labels.title });
	const password = String(form.get('password') ?? '');
	if (email && !errors.email && !EMAIL.test(email)) errors.email = text.invalidEmail();
	if (kind && !USER_KINDS.includes(kind as UserKind)) errors.kind = text.invalidChoice(labels.kind);
	if (serviceId && !opts.serviceIds.includes(serviceId)) errors.serviceId = text.invalidChoice(labels.title);
	if ((opts.passwordRequired || password) && password.length < MIN_PASSWORD_LENGTH)
		errors.password = text.passwordShort(MIN_PASSWORD_LENGTH);
	if (Object.keys(errors).length) return { ok: false, errors, values };
	return {
		ok: true,
		value: {
			name,
			email,
			phone: phone || null,
			kind: kind as UserKind,
			isAdmin: form.get('isAdmin') === 'on',
			disabled: form.get('disabled') === 'on',
			serviceId: serviceId || null,
			title,
			password: password || null
		}
	};
}
