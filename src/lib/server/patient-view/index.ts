export {
	applyAsMember,
	FORM_CHANGES,
	formChangeBudget,
	MemberChangeError,
	type MemberChangeCode,
	type MemberChangeDeps
} from './apply';
export {
	addPatientGoal,
	addPatientResource,
	answerGoalProposal,
	ratePatientGoal,
	rewordPatientGoal,
	rewordPatientResource,
	type NewPatientGoal
} from './changes';
