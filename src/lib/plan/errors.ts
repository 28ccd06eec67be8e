/** Machine-readable reasons a mutation refused its input; the UI maps them to messages. */
export type PlanValidationCode =
	| 'invalid_type'
	| 'empty_title'
	| 'empty_text'
	| 'empty_name'
	| 'empty_unit'
	| 'too_long'
	| 'invalid_life_area'
	| 'invalid_goal_status'
	| 'invalid_expressed_by'
	| 'invalid_measure_status'
	| 'invalid_date'
	| 'due_before_start'
	| 'reason_required'
	| 'interim_required'
	| 'invalid_goal_level'
	| 'invalid_warning_level'
	| 'invalid_rating'
	| 'invalid_phone'
	| 'invalid_id'
	| 'duplicate_id'
	| 'unknown_goal'
	| 'unknown_reference'
	| 'not_found';

/** Thrown before any write, so a refused mutation never leaves the document half-written. */
export class PlanValidationError extends Error {
	readonly code: PlanValidationCode;
	/** Input field the problem is about, when there is one (for form errors). */
	readonly field: string | undefined;

	constructor(code: PlanValidationCode, message: string, field?: string) {
		super(message);
		this.name = 'PlanValidationError';
		this.code = code;
		this.field = field;
	}
}

export function isPlanValidationError(e: unknown): e is PlanValidationError {
	return e instanceof PlanValidationError;
}
