/** History of a plan: timeline, the plan at any point, comparisons, and restoring as a new change. */
export { adoptPlanVersion, listPlanVersions } from './versions';
export type { AdoptVersionInput, PlanVersionListing } from './versions';
export { loadTimeline, groupSessions, SESSION_GAP_MS, SESSIONS_PER_PAGE } from './timeline';
export type { Session, Timeline, TimelineSession } from './timeline';
export { parsePoint, pointParam, docsAtPoint, parseOsloDateTime, osloDateTimeValue } from './points';
export type { HistoryPoint } from './points';
export { loadLog, docsAtUpdate, docsOfVersion, lastUpdateAt, updateInfo, destroyDocs } from './log';
export { readPlanState, diffPlanStates, isEmptyDiff, RESTORABLE_TEXTS, TEXT_DOC } from './state';
export type {
	PlanState,
	PlanDiff,
	EntityChange,
	FieldChange,
	TextChange,
	TextField,
	RestorableText,
	GoalField,
	MeasureField
} from './state';
export { wordDiff } from './word-diff';
export type { DiffPart } from './word-diff';
export { restoreFromHistory, parseRestoreTarget, restoreDocKind } from './restore';
export type { RestoreTarget } from './restore';
export { historyKinds } from './access';
export { compareStates, stateAt, namesOf } from './compare';
export type { Comparison, ShownEntity, ShownField } from './compare';
