export {
	createApplication,
	updateApplication,
	listApplications,
	measureWaits,
	recentDecisions,
	DECISION_NEWS_DAYS,
	type ApplicationView,
	type MeasureWait
} from './store';
export {
	validateApplication,
	NEXT_STATUS,
	WHAT_MAX,
	BODY_MAX,
	DECISION_TEXT_MAX,
	type ApplicationInput
} from './input';
