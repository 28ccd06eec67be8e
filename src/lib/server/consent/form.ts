import { CONSENT_GIVERS, CONSENT_SCOPES, type ConsentGiver, type ConsentScope } from '../../vocabulary';
import { isCalendarDate } from '../http/json-body';
import type { ConsentField, ConsentRequest } from './record';

/** What was typed, echoed back on an error so nothing has to be typed again. */
export interface ConsentFormValues {
	kind: 'plan' | 'access';
	grantee: string;
	scopes: string[];
	from: string;
	until: string;
	givenBy: string;
	reviewDate: string;
	note: string;
}

export interface ParsedConsentForm {
	request: ConsentRequest;
	values: ConsentFormValues;
	/** Dates that are not dates: reported with the request's own problems. */
	invalidDates: ConsentField[];
}

/**
 * The consent page's form. The grantee is one select, `user:<id>` or `service:<id>`; a browser without date
 * inputs may send any text, so each date is checked and named when it is not one.
 */
export function parseConsentForm(form: FormData): ParsedConsentForm {
	const text = (key: string, max = 200) =>
		String(form.get(key) ?? '')
			.trim()
			.slice(0, max);
	const kind = form.get('kind') === 'plan' ? 'plan' : 'access';
	const values: ConsentFormValues = {
		kind,
		grantee: text('grantee'),
		scopes: form
			.getAll('scopes')
			.map(String)
			.filter((s) => (CONSENT_SCOPES as readonly string[]).includes(s)),
		from: text('from'),
		until: text('until'),
		givenBy: text('givenBy'),
		reviewDate: text('reviewDate'),
		// Longer than allowed is kept (to show the error), but not without bound.
		note: String(form.get('note') ?? '')
			.trim()
			.slice(0, 4000)
	};
	const invalidDates: ConsentField[] = [];
	const day = (field: 'from' | 'until' | 'reviewDate') => {
		const v = values[field];
		if (!v) return null;
		if (isCalendarDate(v)) return v;
		invalidDates.push(field);
		return null;
	};
	const [type, id] = values.grantee.split(':', 2);
	const grantee =
		kind === 'plan' || !id ? null : type === 'user' ? { userId: id } : type === 'service' ? { serviceId: id } : null;
	const request: ConsentRequest = {
		kind,
		grantee,
		scopes: values.scopes as ConsentScope[],
		from: day('from'),
		until: day('until'),
		givenBy: (CONSENT_GIVERS as readonly string[]).includes(values.givenBy) ? (values.givenBy as ConsentGiver) : null,
		reviewDate: day('reviewDate'),
		note: values.note || null
	};
	return { request, values, invalidDates };
}
