import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../../src/lib/server/http/json-body';
import { parseStartForm, parseStartPlanBody, type StartFormText } from '../../../src/lib/server/plans/start-input';
import { parseDetailsForm } from '../../../src/lib/server/plans/details-input';

const TODAY = '2026-11-22';
const text: StartFormText = {
	required: (f) => `required:${f}`,
	tooLong: (f, max) => `tooLong:${f}:${max}`,
	invalidChoice: (f) => `invalidChoice:${f}`,
	invalidEmail: () => 'invalidEmail',
	invalidDate: (f) => `invalidDate:${f}`,
	birthDateFuture: () => 'future',
	birthDateTooEarly: () => 'tooEarly',
	periodOrder: () => 'periodOrder'
};
const labels = {
	name: 'name',
	birthDate: 'birthDate',
	phone: 'phone',
	email: 'email',
	title: 'title',
	periodStart: 'periodStart',
	periodEnd: 'periodEnd',
	revisionDate: 'revisionDate',
	serviceId: 'serviceId'
};
const formOf = (o: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(o)) f.set(k, v);
	return f;
};

describe('the start form', () => {
	it('reads a patient without e-mail and a plan without dates', () => {
		const parsed = parseStartForm(
			formOf({ name: '  Kari   Nordmann ', birthDate: '1991-03-14', title: 'Plan for Kari', guardianActs: 'on' }),
			text,
			labels,
			TODAY,
			['svc']
		);
		expect(parsed).toMatchObject({
			ok: true,
			value: {
				person: { name: 'Kari Nordmann', birthDate: '1991-03-14', phone: null, email: null, guardianActs: true },
				title: 'Plan for Kari',
				periodStart: null,
				periodEnd: null,
				revisionDate: null,
				serviceId: 'svc',
				patientChoice: null,
				seen: []
			}
		});
	});

	it('reports every problem per field and echoes what was typed', () => {
		const parsed = parseStartForm(
			formOf({
				name: '',
				birthDate: '2030-01-01',
				email: 'nope',
				title: 'x'.repeat(201),
				periodStart: '2026-05-01',
				periodEnd: '2026-04-01',
				revisionDate: '2026-02-30',
				serviceId: 'other'
			}),
			text,
			labels,
			TODAY,
			['a', 'b']
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toEqual({
			name: 'required:name',
			birthDate: 'future',
			email: 'invalidEmail',
			title: 'tooLong:title:200',
			periodEnd: 'periodOrder',
			revisionDate: 'invalidDate:revisionDate',
			serviceId: 'invalidChoice:serviceId'
		});
		expect(parsed.values).toMatchObject({ birthDate: '2030-01-01', email: 'nope', periodStart: '2026-05-01' });
		expect(
			(
				parseStartForm(formOf({ name: 'A', birthDate: '1899-12-31', title: 'T' }), text, labels, TODAY, []) as {
					errors: object;
				}
			).errors
		).toEqual({ birthDate: 'tooEarly' });
	});

	it('asks which service when the starter works in two, and keeps the same-patient choice and what was seen', () => {
		expect(
			(
				parseStartForm(formOf({ name: 'A', birthDate: '1990-01-01', title: 'T' }), text, labels, TODAY, ['a', 'b']) as {
					errors: object;
				}
			).errors
		).toEqual({ serviceId: 'required:serviceId' });
		const parsed = parseStartForm(
			formOf({
				name: 'A',
				birthDate: '1990-01-01',
				title: 'T',
				serviceId: 'b',
				patientChoice: 'new',
				seen: 'id1, id2'
			}),
			text,
			labels,
			TODAY,
			['a', 'b']
		);
		expect(parsed).toMatchObject({ ok: true, value: { serviceId: 'b', patientChoice: 'new', seen: ['id1', 'id2'] } });
	});
});

describe('the details form', () => {
	it('requires a title, reads dates and keeps the period in order', () => {
		const dl = { title: 'title', periodStart: 'periodStart', periodEnd: 'periodEnd', revisionDate: 'revisionDate' };
		expect(
			parseDetailsForm(
				formOf({ title: ' Ny ', periodStart: '2026-01-01', periodEnd: '', revisionDate: '2026-06-01' }),
				text,
				dl
			)
		).toEqual({
			ok: true,
			value: { title: 'Ny', periodStart: '2026-01-01', periodEnd: null, revisionDate: '2026-06-01' }
		});
		expect(
			parseDetailsForm(
				formOf({ title: '', periodStart: '2026-02-01', periodEnd: '2026-01-01', revisionDate: 'soon' }),
				text,
				dl
			)
		).toMatchObject({
			ok: false,
			errors: { title: 'required:title', periodEnd: 'periodOrder', revisionDate: 'invalidDate:revisionDate' }
		});
	});
});

describe('the body of POST /api/plans', () => {
	const refused = (body: Record<string, unknown>) => {
		try {
			parseStartPlanBody(body, TODAY);
		} catch (err) {
			if (err instanceof BadRequest) return err.field;
			throw err;
		}
		throw new Error('not refused');
	};

	it('reads a new patient, an existing one, and the optional fields', () => {
		expect(
			parseStartPlanBody(
				{
					patient: { name: 'Kari  Nordmann', birthDate: '1991-03-14', email: 'Kari@Example.TEST', guardianActs: true },
					title: 'Plan',
					confirmDistinct: true
				},
				TODAY
			)
		).toEqual({
			patient: {
				kind: 'new',
				person: {
					name: 'Kari Nordmann',
					birthDate: '1991-03-14',
					phone: null,
					email: 'kari@example.test',
					guardianActs: true
				}
			},
			title: 'Plan',
			periodStart: null,
			periodEnd: null,
			revisionDate: null,
			serviceId: null,
			confirmDistinct: true
		});
		expect(
			parseStartPlanBody(
				{ patient: { id: 'abc' }, title: 'Plan', periodStart: '2026-01-01', periodEnd: '2026-12-31' },
				TODAY
			)
		).toMatchObject({ patient: { kind: 'existing', id: 'abc' }, periodEnd: '2026-12-31', confirmDistinct: false });
	});

	it('names the field that is wrong', () => {
		expect(refused({ patient: { name: 'A', birthDate: '1990-01-01' }, title: 'T', extra: 1 })).toBe('extra');
		expect(refused({ patient: { name: 'A', birthDate: '1990-01-01', guardianActs: 'yes' }, title: 'T' })).toBe(
			'patient.guardianActs'
		);
		expect(refused({ patient: { name: 'A', birthDate: TODAY.replace('2026', '2027') }, title: 'T' })).toBe(
			'patient.birthDate'
		);
		expect(refused({ patient: { id: 'abc' }, title: 'T', confirmDistinct: true })).toBe('confirmDistinct');
		expect(refused({ patient: { id: 'abc', birthDate: '1990-01-01' }, title: 'T' })).toBe('patient.birthDate');
		expect(refused({ patient: 'Kari', title: 'T' })).toBe('patient');
		expect(refused({ patient: { name: 'A', birthDate: '1990-01-01' }, title: 'T', revisionDate: 'tomorrow' })).toBe(
			'revisionDate'
		);
	});
});
