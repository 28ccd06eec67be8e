/**
 * Why a change to the group was refused, as a stable code the page and the API translate. `field` names the
 * form field (or JSON field) the problem belongs to, when it belongs to one.
 */
export type GroupProblem =
	/** The person already holds a seat in this group that has not ended. */
	| 'seat_taken'
	/** No such person, seat or plan (or the account is disabled). */
	| 'not_found'
	/** The person does not work in the chosen service. */
	| 'not_in_service'
	| 'unknown_service'
	/** The patient's seat and the coordinator's are not changed here (the coordinator role changes by offer). */
	| 'protected_seat'
	| 'role_not_allowed'
	/** An account with this e-mail exists already. */
	| 'email_taken'
	/** The coordinator must be staff of a municipal service (the law asks for a municipal coordinator). */
	| 'not_municipal'
	| 'already_coordinator'
	/** The offer was answered, replaced, or is not for this person. */
	| 'offer_gone'
	| 'same_person'
	| 'before_start'
	| 'in_past';

export class GroupError extends Error {
	constructor(
		readonly problem: GroupProblem,
		readonly field?: string
	) {
		super(problem);
		this.name = 'GroupError';
	}
}
