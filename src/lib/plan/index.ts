/** The plan model: the only way the app reads or writes `plan:<id>` and `voice:<id>` documents. */
export {
	ROOT,
	VOICE_ROOT,
	RETIRED_ROOT,
	FIELD,
	DOC_PREFIX,
	DOC_KINDS,
	ROOT_SHAPES,
	LIFE_AREAS,
	GOAL_STATUSES,
	EXPRESSED_BY,
	MEASURE_STATUSES,
	GOAL_LEVELS,
	WARNING_LEVELS,
	RATING,
	REASON_STATUSES,
	INTERIM_STATUSES,
	ANSWER_STATUSES,
	LIMITS,
	planDocName,
	crisisDocName,
	voiceDocName,
	parseDocName,
	MEETING_DOC_PREFIX,
	MEETING_ROOT,
	meetingDocName,
	parseLiveDocName
} from './schema';
export type {
	DocKind,
	LiveDocKind,
	ParsedLiveDocName,
	ParsedDocName,
	RootShape,
	LifeArea,
	GoalStatus,
	GoalLevel,
	WarningLevel,
	ExpressedBy,
	MeasureStatus
} from './schema';
export { readShortText, writeShortText, textDiff } from './short-text';

export { PlanValidationError, isPlanValidationError } from './errors';
export type { PlanValidationCode } from './errors';

export { newId, isValidId } from './ids';
export { keyBetween, isOrderKey, compareOrdered } from './order';
export type { Ordered } from './order';
export type { Placement } from './ordered-map';
export { isValidDate } from './validate';
export { planScope, crisisScope, voiceScope, scopeOf } from './roots';
export { depthOf, deepestDepth, isTooDeep } from './depth';

export {
	addGoal,
	updateGoal,
	moveGoal,
	removeGoal,
	listGoals,
	getGoal,
	goalsByLifeArea,
	getGoalDescription,
	addEvaluation,
	removeEvaluation,
	proposeGoalTitle,
	acceptProposedTitle,
	declineProposedTitle
} from './goals';
export type { Goal, GoalProposal, NewGoal, GoalPatch, GoalEvaluation, NewEvaluation } from './goals';

export {
	addMeasure,
	updateMeasure,
	moveMeasure,
	moveMeasureToGoal,
	removeMeasure,
	listMeasures,
	listAllMeasures,
	measuresByGoal,
	getMeasure,
	getMeasureDescription,
	pruneOrphanMeasures
} from './measures';
export type { Measure, NewMeasure, MeasurePatch } from './measures';

export type { TextEntry, NewTextEntry } from './text-list';

export {
	listWarningSigns,
	warningSignsByLevel,
	addWarningSign,
	updateWarningSign,
	setWarningSignLevel,
	moveWarningSign,
	removeWarningSign,
	getWhatHelps,
	getWishes,
	listContacts,
	addContact,
	updateContact,
	moveContact,
	removeContact,
	getOpenReturn,
	setOpenReturn,
	clearOpenReturn,
	readCrisisPlan
} from './crisis-plan';
export type {
	Contact,
	NewContact,
	ContactPatch,
	OpenReturn,
	CrisisPlan,
	WarningSign,
	NewWarningSign
} from './crisis-plan';

export {
	getWhatMatters,
	listOwnResources,
	addOwnResource,
	updateOwnResource,
	moveOwnResource,
	removeOwnResource,
	readVoice
} from './voice';
export type { Voice } from './voice';

export { setRichTextFromParagraphs, fragmentToRichText, isRichTextEmpty } from './rich-text';
export type { RichTextNode, RichTextMark, RichTextAttrValue } from './rich-text';
export { richTextToHtml, richTextToPlainText, escapeHtml, safeHref } from './rich-text-html';

export { renderPlan, renderGoals, renderCrisisPlan, renderVoice } from './render';
export type {
	PlanDocs,
	PlanContent,
	LifeAreaContent,
	GoalContent,
	MeasureContent,
	CrisisPlanContent,
	VoiceContent
} from './render';
