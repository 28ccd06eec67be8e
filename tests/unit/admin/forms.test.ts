import { describe, expect, it } from 'vitest';
import { parsePersonForm, parseServiceForm, type ErrorText } from '../../../src/lib/server/admin/forms';

const text: ErrorText = {
	required: (f) => `${f} required`,
	tooLong: (f, max) => `${f} > ${max}`,
	invalidChoice: (f) => `${f} invalid`,
	invalidEmail: () => 'bad email',
	passwordShort: (min) => `password < ${min}`
};
const serviceLabels = {
	name: 'Name',
	kind: 'Kind',
	organisation: 'Org',
	offers: 'Offers',
	phone: 'Phone',
	email: 'Email',
	address: 'Address'
};
const personLabels = {
	name: 'Name',
	email: 'Email',
	phone: 'Phone',
	kind: 'Kind',
	title: 'Title',
	password: 'Password'
};
const form = (o: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(o)) f.set(k, v);
	return f;
};

describe('service form', () => {
	it('accepts a complete service and trims it', () => {
		const r = parseServiceForm(
			form({ name: ' NAV Fjordvik ', kind: 'nav', organisation: 'Fjordvik kommune', email: '' }),
			text,
			serviceLabels
		);
		expect(r).toEqual({
			ok: true,
			value: {
				name: 'NAV Fjordvik',
				kind: 'nav',
				organisation: 'Fjordvik kommune',
				offers: '',
				phone: null,
				email: null,
				address: null
			}
		});
	});

	it('reports every bad field and echoes what was typed', () => {
		const r = parseServiceForm(
			form({ name: '', kind: 'casino', organisation: 'x'.repeat(201), email: 'not-an-email' }),
			text,
			serviceLabels
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual({
			name: 'Name required',
			kind: 'Kind invalid',
			organisation: 'Org > 200',
			email: 'bad email'
		});
		expect(r.values.email).toBe('not-an-email');
	});
});

describe('person form', () => {
	const base = {
		name: 'Kari Vik',
		email: 'Kari@Example.no',
		kind: 'staff',
		serviceId: 's1',
		title: 'Sykepleier',
		password: 'long-enough-pw'
	};

	it('accepts a new staff member with a known service', () => {
		const r = parsePersonForm(form(base), text, personLabels, { passwordRequired: true, serviceIds: ['s1'] });
		expect(r.ok && r.value).toMatchObject({
			email: 'kari@example.no',
			kind: 'staff',
			serviceId: 's1',
			isAdmin: false,
			password: 'long-enough-pw'
		});
	});

	it('refuses an unknown service, a short password and an unknown kind', () => {
		const r = parsePersonForm(
			form({ ...base, serviceId: 'nope', password: 'short', kind: 'boss' }),
			text,
			personLabels,
			{ passwordRequired: true, serviceIds: ['s1'] }
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['kind', 'password', 'serviceId']);
	});

	it('keeps the password when editing and the field is empty', () => {
		const r = parsePersonForm(form({ ...base, password: '' }), text, personLabels, {
			passwordRequired: false,
			serviceIds: ['s1']
		});
		expect(r.ok && r.value.password).toBeNull();
	});
});
