import { isCalendarDate } from '../http/json-body';
import { LIMITS, periodInOrder } from './start-input';
import type { PlanDetails } from './lifecycle';

export type DetailsField = keyof PlanDetails;

export interface DetailsFormText {
	required(field: string): string;
	tooLong(field: string, max: number): string;
	invalidDate(field: string): string;
	periodOrder(): string;
}

export type ParsedDetails =
	| { ok: true; value: PlanDetails }
	| { ok: false; errors: Partial<Record<DetailsField, string>>; values: Record<string, string> };

/** The coordinator's form for the title, the period and the revision date; what was typed is echoed on errors. */
export function parseDetailsForm(
	form: FormData,
	text: DetailsFormText,
	labels: Record<DetailsField, string>
): ParsedDetails {
	const errors: Partial<Record<DetailsField, string>> = {};
	const values: Record<string, string> = {};
	const read = (key: DetailsField, max: number) => {
		const v = String(form.get(key) ?? '').trim();
		values[key] = v;
		if (v.length > max) errors[key] = text.tooLong(labels[key], max);
		return v;
	};
	const title = read('title', LIMITS.title);
	if (!title) errors.title = text.required(labels.title);
	const date = (key: Exclude<DetailsField, 'title'>) => {
		const v = read(key, 10);
		if (v && !isCalendarDate(v)) errors[key] = text.invalidDate(labels[key]);
		return v || null;
	};
	const value: PlanDetails = {
		title,
		periodStart: date('periodStart'),
		periodEnd: date('periodEnd'),
		revisionDate: date('revisionDate')
	};
	if (!errors.periodStart && !errors.periodEnd && !periodInOrder(value)) errors.periodEnd = text.periodOrder();
	if (Object.keys(errors).length) return { ok: false, errors, values };
	return { ok: true, value };
}
