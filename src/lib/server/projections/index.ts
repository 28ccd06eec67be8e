export {
	projectDocument,
	projectStale,
	projectedThrough,
	rebuildProjections,
	type ProjectOutcome,
	type MeasureChange
} from './project';
export { Projector, type ProjectorOptions } from './projector';
export { readPlanRows, type GoalRow, type MeasureRow } from './read-plan';
export {
	TASK_SCOPES,
	OPEN_STATUSES,
	isTaskScope,
	readablePlans,
	myTasks,
	serviceTasks,
	servicesOf,
	coordinatorOverview,
	tasksFor,
	asTask,
	auditTaskRead,
	planIdsOf,
	type Task,
	type TaskRow,
	type TaskScope,
	type PlanDue,
	type CoordinatorOverview
} from './tasks';
