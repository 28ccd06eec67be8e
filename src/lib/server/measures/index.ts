export {
	runMeasureAction,
	MeasureActionError,
	MEASURE_ACTIONS,
	type MeasureAction,
	type MeasureActionInput,
	type MeasureActionResult,
	type CounterProposal
} from './actions';
export { addMeasureAsServer, type NewMeasureForm } from './add';
export { readMeasureActionJson } from './input';
export { memberServiceIds, openServiceProposals, settleServiceProposal, type ServiceProposal } from './services';
export { setFollowing, followedMeasures } from './follow';
