export { mayManageConsent, giversFor } from './rights';
export { consentGrantees, type Grantees, type GranteePerson, type GranteeService } from './grantees';
export {
	consentProblems,
	recordConsent,
	ConsentRefused,
	NOTE_MAX,
	type ConsentRequest,
	type ConsentProblem,
	type ConsentField,
	type ConsentProblemCode
} from './record';
export { withdrawConsent, type WithdrawOutcome } from './withdraw';
export {
	listConsents,
	consentState,
	membersWithoutConsent,
	type ConsentRecord,
	type ConsentGrantee,
	type ConsentState
} from './list';
export { parseConsentForm, type ConsentFormValues, type ParsedConsentForm } from './form';
