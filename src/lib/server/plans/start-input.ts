import { BadRequest, fields, isCalendarDate } from '../http/json-body';
import type { NewPatient } from './start';

/**
 * What starting a plan takes, read from a form (per-field messages in the reader's language) or a JSON body
 * (a 400 naming the field). The rules are the same and live here once.
 */
export const LIMITS = { name: 200, title: 200, phone: 40, email: 320, id: 64 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EARLIEST_BIRTH = '1900-01-01';

export type DateProblem = 'invalid' | 'future' | 'too_early';

/** A date of birth: a real day, not ahead of `today`, not before 1900. */
export function birthDateProblem(value: string, today: string): DateProblem | null {
	if (!isCalendarDate(value)) return 'invalid';
	if (value > today) return 'future';
	if (value < EARLIEST_BIRTH) return 'too_early';
	return null;
}

/** A name as stored: no runs of spaces (they would make "Jonas  Berg" look like another person). */
export const tidyName = (name: string) => name.replace(/\s+/g, ' ');

export const emailLooksValid = (email: string) => EMAIL.test(email);

/** The plan's dates: each optional while it is a draft, but the period may not end before it begins. */
export interface PlanDates {
	periodStart: string | null;
	periodEnd: string | null;
	revisionDate: string | null;
}
export const periodInOrder = (d: Pick<PlanDates, 'periodStart' | 'periodEnd'>) =>
	!d.periodStart || !d.periodEnd || d.periodStart <= d.periodEnd;

// ---------------------------------------------------------------------------------------------------------------
// JSON: POST /api/plans

export interface StartPlanRequest extends PlanDates {
	patient: { kind: 'existing'; id: string } | { kind: 'new'; person: NewPatient };
	title: string;
	serviceId: string | null;
	/** The caller says the new patient is not any registered person with the same name and date of birth. */
	confirmDistinct: boolean;
}

const optionalBoolean = (obj: Record<string, unknown>, key: string, name: string): boolean => {
	const v = obj[key];
	if (v === undefined || v === null) return false;
	if (typeof v !== 'boolean') throw new BadRequest(`"${name}" must be true or false.`, name);
	return v;
};

/** Reads the body of `POST /api/plans`; throws `BadRequest` naming the first field that is wrong. */
export function parseStartPlanBody(body: Record<string, unknown>, today: string): StartPlanRequest {
	const top = fields(body, [
		'patient',
		'title',
		'periodStart',
		'periodEnd',
		'revisionDate',
		'serviceId',
		'confirmDistinct'
	]);
	const patientObj = top.object('patient')!;
	let patient: StartPlanRequest['patient'];
	if ('id' in patientObj) {
		const other = Object.keys(patientObj).find((k) => k !== 'id');
		if (other)
			throw new BadRequest(
				`"patient" holds either "id" (a registered patient) or a new patient's details, not both: remove "patient.${other}".`,
				`patient.${other}`
			);
		patient = { kind: 'existing', id: fields(patientObj, ['id'], 'patient').string('id', { max: LIMITS.id })! };
	} else {
		const p = fields(patientObj, ['name', 'birthDate', 'phone', 'email', 'guardianActs'], 'patient');
		const name = tidyName(p.string('name', { max: LIMITS.name })!);
		const birthDate = p.date('birthDate')!;
		const problem = birthDateProblem(birthDate, today);
		if (problem === 'future') throw new BadRequest('"patient.birthDate" lies in the future.', 'patient.birthDate');
		if (problem) throw new BadRequest('"patient.birthDate" must be a date from 1900 on.', 'patient.birthDate');
		const phone = p.string('phone', { max: LIMITS.phone, optional: true });
		const email = p.string('email', { max: LIMITS.email, optional: true });
		if (email && !emailLooksValid(email))
			throw new BadRequest('"patient.email" is not an e-mail address.', 'patient.email');
		const guardianActs = optionalBoolean(patientObj, 'guardianActs', 'patient.guardianActs');
		patient = { kind: 'new', person: { name, birthDate, phone, email: email?.toLowerCase() ?? null, guardianActs } };
	}
	const title = top.string('title', { max: LIMITS.title })!;
	const dates: PlanDates = {
		periodStart: top.date('periodStart', { optional: true }),
		periodEnd: top.date('periodEnd', { optional: true }),
		revisionDate: top.date('revisionDate', { optional: true })
	};
	if (!periodInOrder(dates)) throw new BadRequest('"periodEnd" is before "periodStart".', 'periodEnd');
	const serviceId = top.string('serviceId', { max: LIMITS.id, optional: true });
	const confirmDistinct = optionalBoolean(body, 'confirmDistinct', 'confirmDistinct');
	if (confirmDistinct && patient.kind === 'existing')
		throw new BadRequest('"confirmDistinct" is only for a new patient, not with "patient.id".', 'confirmDistinct');
	return { patient, title, ...dates, serviceId, confirmDistinct };
}

// ---------------------------------------------------------------------------------------------------------------
// The form on /plans/new

export interface StartFormText {
	required(field: string): string;
	tooLong(field: string, max: number): string;
	invalidChoice(field: string): string;
	invalidEmail(): string;
	invalidDate(field: string): string;
	birthDateFuture(): string;
	birthDateTooEarly(): string;
	periodOrder(): string;
}

export type StartFormField =
	'name' | 'birthDate' | 'phone' | 'email' | 'title' | 'periodStart' | 'periodEnd' | 'revisionDate' | 'serviceId';

export interface StartForm extends PlanDates {
	person: NewPatient;
	title: string;
	serviceId: string | null;
	/** `'new'`, an id from the same-patient list, or null when no choice was made. */
	patientChoice: string | null;
	/** The same-patient list the person was shown (ids), so "someone else" covers exactly those. */
	seen: string[];
}

export type ParsedStartForm =
	| { ok: true; value: StartForm; values: Record<string, string> }
	| { ok: false; errors: Partial<Record<StartFormField, string>>; values: Record<string, string> };

/** Reads the start form; every problem is reported per field and everything typed is echoed back. */
export function parseStartForm(
	form: FormData,
	text: StartFormText,
	labels: Record<StartFormField, string>,
	today: string,
	serviceIds: string[]
): ParsedStartForm {
	const errors: Partial<Record<StartFormField, string>> = {};
	const values: Record<string, string> = {};
	const read = (key: StartFormField, opts: { required?: boolean; max?: number } = {}) => {
		const v = String(form.get(key) ?? '').trim();
		values[key] = v;
		if (opts.required && !v) errors[key] = text.required(labels[key]);
		else if (v.length > (opts.max ?? 200)) errors[key] = text.tooLong(labels[key], opts.max ?? 200);
		return v;
	};
	const readDate = (key: StartFormField, required = false) => {
		const v = read(key, { required, max: 10 });
		if (v && !isCalendarDate(v)) errors[key] = text.invalidDate(labels[key]);
		return v || null;
	};
	const name = tidyName(read('name', { required: true, max: LIMITS.name }));
	const birthDate = readDate('birthDate', true);
	if (birthDate && !errors.birthDate) {
		const problem = birthDateProblem(birthDate, today);
		if (problem === 'future') errors.birthDate = text.birthDateFuture();
		else if (problem) errors.birthDate = text.birthDateTooEarly();
	}
	const phone = read('phone', { max: LIMITS.phone });
	const email = read('email', { max: LIMITS.email }).toLowerCase();
	if (email && !errors.email && !emailLooksValid(email)) errors.email = text.invalidEmail();
	const guardianActs = form.get('guardianActs') === 'on';
	values.guardianActs = guardianActs ? 'on' : '';
	const title = read('title', { required: true, max: LIMITS.title });
	const dates: PlanDates = {
		periodStart: readDate('periodStart'),
		periodEnd: readDate('periodEnd'),
		revisionDate: readDate('revisionDate')
	};
	if (!errors.periodStart && !errors.periodEnd && !periodInOrder(dates)) errors.periodEnd = text.periodOrder();
	const serviceId = read('serviceId', { max: LIMITS.id });
	if (serviceId && !serviceIds.includes(serviceId)) errors.serviceId = text.invalidChoice(labels.serviceId);
	// Someone working in two municipal services says which one the coordinator role sits in.
	if (!serviceId && serviceIds.length > 1) errors.serviceId = text.required(labels.serviceId);
	const choice = String(form.get('patientChoice') ?? '').trim();
	const seen = String(form.get('seen') ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s && s.length <= LIMITS.id)
		.slice(0, 50);
	if (Object.keys(errors).length) return { ok: false, errors, values };
	return {
		ok: true,
		values,
		value: {
			person: { name, birthDate: birthDate!, phone: phone || null, email: email || null, guardianActs },
			title,
			...dates,
			serviceId: serviceId || (serviceIds.length === 1 ? serviceIds[0] : null),
			patientChoice: choice && choice.length <= LIMITS.id ? choice : null,
			seen
		}
	};
}
