/**
 * The plan as plain, comparable values at one moment, read through the model readers, and the difference
 * between two such moments: what history tells ("added a goal", "changed the measure's due date") and compares.
 * Only the documents a person may see are ever read, so a state never holds a part consent does not cover.
 */
import type * as Y from 'yjs';
import {
	fragmentToRichText,
	getOpenReturn,
	getWhatHelps,
	getWhatMatters,
	getWishes,
	listContacts,
	listGoals,
	listOwnResources,
	listWarningSigns,
	measuresByGoal,
	richTextToPlainText,
	type DocKind
} from '../../plan';

/** A goal's fields as history compares them (rich text as plain text). */
export interface GoalState {
	id: string;
	title: string;
	lifeArea: string;
	status: string;
	level: string | null;
	expressedBy: string;
	description: string;
	proposedTitle: string | null;
	evaluations: number;
}

export interface MeasureState {
	id: string;
	goalId: string;
	title: string;
	serviceId: string | null;
	personId: string | null;
	startDate: string | null;
	dueDate: string | null;
	startsAfter: string | null;
	status: string;
	statusReason: string;
	interimMeasure: string;
	description: string;
}

/** The text parts of the crisis plan and the patient's voice, each as plain text (lists one entry a line). */
export const TEXT_FIELDS = {
	voice: ['whatMatters', 'ownResources'],
	crisis: ['warningSigns', 'whatHelps', 'wishes', 'contacts', 'openReturn']
} as const;
export type TextField = (typeof TEXT_FIELDS)['voice' | 'crisis'][number];
/** The rich-text fields a person can put back as they were (lists are changed entry by entry on the plan page). */
export const RESTORABLE_TEXTS = ['whatMatters', 'whatHelps', 'wishes'] as const;
export type RestorableText = (typeof RESTORABLE_TEXTS)[number];
export const TEXT_DOC: Record<TextField, DocKind> = {
	whatMatters: 'voice',
	ownResources: 'voice',
	warningSigns: 'crisis',
	whatHelps: 'crisis',
	wishes: 'crisis',
	contacts: 'crisis',
	openReturn: 'crisis'
};

export const GOAL_FIELDS = [
	'title',
	'lifeArea',
	'status',
	'level',
	'expressedBy',
	'description',
	'proposedTitle',
	'evaluations'
] as const;
export const MEASURE_FIELDS = [
	'title',
	'goalId',
	'serviceId',
	'personId',
	'startDate',
	'dueDate',
	'startsAfter',
	'status',
	'statusReason',
	'interimMeasure',
	'description'
] as const;
export type GoalField = (typeof GOAL_FIELDS)[number];
export type MeasureField = (typeof MEASURE_FIELDS)[number];

/** A part that is null was not read (not visible to this person, or not asked for). */
export interface PlanState {
	goals: GoalState[] | null;
	measures: MeasureState[] | null;
	texts: Partial<Record<TextField, string>>;
}

export type PlanStateDocs = Partial<Record<DocKind, Y.Doc>>;

const plain = (fragment: Y.XmlFragment | null) => richTextToPlainText(fragmentToRichText(fragment)).trim();

/** One pass over the goals and one over the measures: read at every session edge, so never per-entity lookups. */
function readPlanDoc(doc: Y.Doc): Pick<PlanState, 'goals' | 'measures'> {
	const goals = listGoals(doc).map((g): GoalState => ({
		id: g.id,
		title: g.title,
		lifeArea: g.lifeArea,
		status: g.status,
		level: g.level,
		expressedBy: g.expressedBy,
		description: plain(g.description),
		proposedTitle: g.proposal?.title ?? null,
		evaluations: g.evaluations.length
	}));
	const measures: MeasureState[] = [];
	for (const list of measuresByGoal(doc).values()) {
		for (const x of list) {
			measures.push({
				id: x.id,
				goalId: x.goalId,
				title: x.title,
				serviceId: x.serviceId,
				personId: x.personId,
				startDate: x.startDate,
				dueDate: x.dueDate,
				startsAfter: x.startsAfter,
				status: x.status,
				statusReason: x.statusReason,
				interimMeasure: x.interimMeasure,
				description: plain(x.description)
			});
		}
	}
	return { goals, measures };
}

function readCrisisTexts(doc: Y.Doc): Partial<Record<TextField, string>> {
	const openReturn = getOpenReturn(doc);
	return {
		warningSigns: listWarningSigns(doc)
			.map((s) => `${s.level}: ${s.text}`)
			.join('\n'),
		whatHelps: plain(getWhatHelps(doc)),
		wishes: plain(getWishes(doc)),
		contacts: listContacts(doc)
			.map((c) => [c.name, c.role, c.phone].filter(Boolean).join(', '))
			.join('\n'),
		openReturn: openReturn ? [openReturn.unit, openReturn.until ?? '', openReturn.note].filter(Boolean).join(', ') : ''
	};
}

function readVoiceTexts(doc: Y.Doc): Partial<Record<TextField, string>> {
	return {
		whatMatters: plain(getWhatMatters(doc)),
		ownResources: listOwnResources(doc)
			.map((r) => r.text)
			.join('\n')
	};
}

/** The state of the documents given. Never throws on damaged documents (the readers do not). */
export function readPlanState(docs: PlanStateDocs): PlanState {
	const plan = docs.plan ? readPlanDoc(docs.plan) : { goals: null, measures: null };
	return {
		...plan,
		texts: { ...(docs.voice ? readVoiceTexts(docs.voice) : {}), ...(docs.crisis ? readCrisisTexts(docs.crisis) : {}) }
	};
}

export interface FieldChange<F extends string = string> {
	field: F;
	before: string | null;
	after: string | null;
}

export interface EntityChange<F extends string = string> {
	id: string;
	change: 'added' | 'changed' | 'removed';
	/** The title now, or as it was when removed. */
	title: string;
	/** Changed fields only (empty for added and removed). */
	fields: FieldChange<F>[];
}

export interface TextChange {
	field: TextField;
	before: string;
	after: string;
}

export interface PlanDiff {
	goals: EntityChange<GoalField>[];
	measures: EntityChange<MeasureField>[];
	texts: TextChange[];
}

const asText = (v: string | number | null): string | null => (v === null ? null : String(v));

function diffEntities<T extends { id: string; title: string }, F extends keyof T & string>(
	before: T[] | null,
	after: T[] | null,
	fields: readonly F[]
): EntityChange<F>[] {
	if (!before || !after) return [];
	const old = new Map(before.map((e) => [e.id, e]));
	const out: EntityChange<F>[] = [];
	for (const e of after) {
		const was = old.get(e.id);
		old.delete(e.id);
		if (!was) {
			out.push({ id: e.id, change: 'added', title: e.title, fields: [] });
			continue;
		}
		const changed = fields
			.filter((f) => was[f] !== e[f])
			.map((f) => ({
				field: f,
				before: asText(was[f] as string | number | null),
				after: asText(e[f] as string | number | null)
			}));
		if (changed.length > 0) out.push({ id: e.id, change: 'changed', title: e.title, fields: changed });
	}
	for (const was of old.values()) out.push({ id: was.id, change: 'removed', title: was.title, fields: [] });
	return out;
}

/** What changed from `before` to `after`, in plan order (removed ones last). Parts missing on either side are left out. */
export function diffPlanStates(before: PlanState, after: PlanState): PlanDiff {
	const texts: TextChange[] = [];
	for (const field of [...TEXT_FIELDS.voice, ...TEXT_FIELDS.crisis]) {
		const a = before.texts[field];
		const b = after.texts[field];
		if (a !== undefined && b !== undefined && a !== b) texts.push({ field, before: a, after: b });
	}
	return {
		goals: diffEntities(before.goals, after.goals, GOAL_FIELDS),
		measures: diffEntities(before.measures, after.measures, MEASURE_FIELDS),
		texts
	};
}

export function isEmptyDiff(diff: PlanDiff): boolean {
	return diff.goals.length === 0 && diff.measures.length === 0 && diff.texts.length === 0;
}
