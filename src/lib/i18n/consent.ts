import { m } from '$lib/paraglide/messages';
import { roleLabel, scopeLabel } from './labels';
import { joinList } from './instants';

const givers: Record<string, () => string> = {
	patient: m.consent_giver_patient,
	guardian: m.consent_giver_guardian,
	staff_capacity: m.consent_giver_staff_capacity
};

export const giverLabel = (code: string) => (givers[code] ?? (() => code))();

const SCOPE_ORDER = ['voice', 'plan', 'crisis', 'meetings'];

/** What a consent covers, in words: `kriseplanen og møtene`. */
export function scopesText(scopes: readonly string[]): string {
	return joinList([...scopes].sort((a, b) => SCOPE_ORDER.indexOf(a) - SCOPE_ORDER.indexOf(b)).map(scopeLabel));
}

/** `Kriseplanen` for a checkbox label. */
export const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

export type GranteeLike =
	| { type: 'user'; name: string; role: string | null; serviceName: string | null }
	| { type: 'service'; name: string }
	| null;

/** `Ahmed Karimi (NAV Fjordvik)`, `Silje Berg (Pårørende)`, `Alle fra NAV Fjordvik`, or the plan itself. */
export function granteeText(grantee: GranteeLike): string {
	if (!grantee) return m.consent_plan_label();
	if (grantee.type === 'service') return m.consent_service_all({ service: grantee.name });
	const context = grantee.serviceName ?? (grantee.role ? roleLabel(grantee.role) : null);
	return context ? m.consent_who_with({ name: grantee.name, context }) : grantee.name;
}

const problems: Record<string, () => string> = {
	'grantee:required': () => m.consent_error_grantee_required(),
	'grantee:not_member': () => m.consent_error_not_member(),
	'grantee:sees_all': () => m.consent_error_sees_all(),
	'grantee:service_not_in_group': () => m.consent_error_service_not_in_group(),
	'scopes:required': () => m.consent_error_scopes_required(),
	'until:before_from': () => m.consent_error_until_before_from(),
	'until:in_past': () => m.consent_error_until_in_past(),
	'givenBy:required': () => m.consent_error_given_by_required(),
	'givenBy:not_allowed': () => m.consent_error_given_by_not_allowed(),
	'reviewDate:required': () => m.consent_error_review_required(),
	'reviewDate:in_past': () => m.consent_error_review_in_past()
};

/** The message for one problem with a consent form (`record.ts` names the field and the code). */
export function consentProblemText(field: string, code: string, noteMax: number): string {
	if (code === 'too_long') return m.consent_error_note_too_long({ max: noteMax });
	if (code === 'invalid_date') return m.consent_error_date();
	return (problems[`${field}:${code}`] ?? m.consent_error_given_by_not_allowed)();
}
