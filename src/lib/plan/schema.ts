/**
 * Names and vocabularies of the plan's documents. Every root name lives here so that
 * no other module (or component) ever calls `doc.getMap('...')` with a string of its own.
 */

/** The kinds of live document a plan is made of; each is its own Yjs document, split along access boundaries. */
export const DOC_KINDS = ['plan', 'crisis', 'voice'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const DOC_PREFIX = { plan: 'plan:', crisis: 'crisis:', voice: 'voice:' } as const satisfies Record<
	DocKind,
	string
>;

export function planDocName(planId: string): string {
	return DOC_PREFIX.plan + planId;
}

export function crisisDocName(planId: string): string {
	return DOC_PREFIX.crisis + planId;
}

export function voiceDocName(planId: string): string {
	return DOC_PREFIX.voice + planId;
}

export interface ParsedDocName {
	kind: DocKind;
	planId: string;
}

/** Plan ids are lower-case alphanumeric (see `newId`); anything else is not a document of ours. */
const PLAN_ID = /^[a-z0-9]{1,64}$/;

/**
 * `plan:<id>` → { kind: 'plan', planId }; null for anything that is not one of a plan's own documents. A meeting's
 * minutes (`meeting:<meetingId>`) are not a document of the plan: see `parseLiveDocName`.
 */
export function parseDocName(name: string): ParsedDocName | null {
	for (const kind of DOC_KINDS) {
		const prefix = DOC_PREFIX[kind];
		if (name.startsWith(prefix)) {
			const planId = name.slice(prefix.length);
			return PLAN_ID.test(planId) ? { kind, planId } : null;
		}
	}
	return null;
}

/**
 * A meeting's minutes: one live document per meeting, `meeting:<meetingId>`, outside the plan's own kinds (it is
 * not part of an adopted version, and its access follows the meeting: see `access/plans.ts` `docAccess`).
 */
export const MEETING_DOC_PREFIX = 'meeting:';

export function meetingDocName(meetingId: string): string {
	return MEETING_DOC_PREFIX + meetingId;
}

/** Every kind of live document the sync server serves: the plan's own, and a meeting's minutes. */
export type LiveDocKind = DocKind | 'meeting';

/** A live document name: `id` is the plan's id for the plan's kinds, the meeting's id for `meeting`. */
export type ParsedLiveDocName =
	{ kind: DocKind; id: string; planId: string } | { kind: 'meeting'; id: string; planId: null };

/** Any document the sync server serves; null for anything else. Meeting ids are `newId`s like plan ids. */
export function parseLiveDocName(name: string): ParsedLiveDocName | null {
	if (name.startsWith(MEETING_DOC_PREFIX)) {
		const id = name.slice(MEETING_DOC_PREFIX.length);
		return PLAN_ID.test(id) ? { kind: 'meeting', id, planId: null } : null;
	}
	const doc = parseDocName(name);
	return doc ? { kind: doc.kind, id: doc.planId, planId: doc.planId } : null;
}

/** Roots of `meeting:<meetingId>`. */
export const MEETING_ROOT = {
	/** Y.XmlFragment — the minutes (referat), rich text. */
	minutes: 'minutes'
} as const;

/** Roots of `plan:<planId>` (goals, measures) and of `crisis:<planId>` (the rest). */
export const ROOT = {
	/** Y.Map<goalId, Y.Map> — goal entities. */
	goals: 'goals',
	/** Y.Map<measureId, Y.Map> — measure entities, flat, each pointing at its goal by `goalId`. */
	measures: 'measures',
	/** crisis: Y.Map of scalar crisis-plan fields (`openReturn`). */
	crisis: 'crisis',
	/** Y.Map<id, Y.Map{text, order, level?}>. */
	warningSigns: 'crisisWarningSigns',
	/** Y.Map<id, Y.Map{name, role, phone, order}>. */
	contacts: 'crisisContacts',
	/** Y.XmlFragment. Singletons are roots, not lazily created children: two clients creating the same child concurrently would lose one's edits. */
	whatHelps: 'crisisWhatHelps',
	/** Y.XmlFragment. */
	wishes: 'crisisWishes'
} as const;

/** Roots of `voice:<planId>`. */
export const VOICE_ROOT = {
	/** Y.XmlFragment — "Hva er viktig for meg". */
	whatMatters: 'whatMatters',
	/** Y.Map<id, Y.Map{text, order}>. (The patient's goals are goals of the plan, `expressedBy: 'patient'`.) */
	ownResources: 'ownResources'
} as const;

/**
 * Roots documents once held and hold no longer. No writer touches them and the sync server refuses them as it
 * refuses any unknown root; only the data migration that emptied them reads them (`db/data-migrations`).
 */
export const RETIRED_ROOT = {
	/** voice: the patient's own goals as a separate text list, now goals of the plan expressed by the patient. */
	ownGoals: 'ownGoals'
} as const;

/** The shape of each root: a map of keys, or a rich-text fragment. A document holds these roots and no others. */
export type RootShape = 'map' | 'fragment';
export const ROOT_SHAPES: Readonly<Record<LiveDocKind, Readonly<Record<string, RootShape>>>> = {
	plan: {
		[ROOT.goals]: 'map',
		[ROOT.measures]: 'map'
	},
	crisis: {
		[ROOT.crisis]: 'map',
		[ROOT.warningSigns]: 'map',
		[ROOT.contacts]: 'map',
		[ROOT.whatHelps]: 'fragment',
		[ROOT.wishes]: 'fragment'
	},
	voice: {
		[VOICE_ROOT.whatMatters]: 'fragment',
		[VOICE_ROOT.ownResources]: 'map'
	},
	meeting: {
		[MEETING_ROOT.minutes]: 'fragment'
	}
};

/** Keys inside entity maps. */
export const FIELD = {
	order: 'order',
	description: 'description',
	title: 'title',
	evaluations: 'evaluations',
	proposedTitle: 'proposedTitle',
	proposedBy: 'proposedBy',
	openReturn: 'openReturn'
} as const;

/** Life areas in display order (BrukerPlan's areas). The codes are stable; labels belong to the UI. */
export const LIFE_AREAS = [
	'housing',
	'economy',
	'work_activity',
	'physical_health',
	'mental_health',
	'substance_use',
	'social_family',
	'leisure',
	// Not placed yet: a goal in the patient's words before the group has sorted it with them.
	'other'
] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];

/** FHIR Goal.lifecycleStatus, trimmed to what a group uses. */
export const GOAL_STATUSES = ['proposed', 'active', 'achieved', 'on_hold', 'cancelled'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** FHIR Goal.expressedBy, reduced to the three kinds of author the plan distinguishes. */
export const EXPRESSED_BY = ['patient', 'relative', 'staff'] as const;
export type ExpressedBy = (typeof EXPRESSED_BY)[number];

/** The agreed level of a goal where services could pull different ways (substance use, above all). */
export const GOAL_LEVELS = ['abstinence', 'reduction', 'stabilisation', 'harm_reduction'] as const;
export type GoalLevel = (typeof GOAL_LEVELS)[number];

/**
 * How far along a warning sign is, as crisis plans stage them: early signs, when it gets worse, acute danger. In
 * this order everywhere. A sign stored without a level (plans from before levels) is an early sign.
 */
export const WARNING_LEVELS = ['early', 'worse', 'acute'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** A patient's own rating of how a goal goes, in an evaluation. */
export const RATING = { min: 1, max: 10 } as const;

/**
 * FHIR Task statuses a measure moves through: requested → accepted | rejected | counter_proposed (the owning
 * service's answer) → in_progress ↔ on_hold → completed, or cancelled by the coordinator. The codes are stored.
 */
export const MEASURE_STATUSES = [
	'requested',
	'accepted',
	'rejected',
	'counter_proposed',
	'in_progress',
	'on_hold',
	'completed',
	'cancelled'
] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** Statuses that say why: a refusal, a wait or a cancellation without a reason is what the plan exists to end. */
export const REASON_STATUSES: readonly MeasureStatus[] = ['rejected', 'on_hold', 'cancelled'];
/** A measure that waits needs an interim measure, so the patient is not left with nothing meanwhile. */
export const INTERIM_STATUSES: readonly MeasureStatus[] = ['on_hold'];
/** The owning service's answers, written only by the server's actions (the gate refuses them from clients). */
export const ANSWER_STATUSES: readonly MeasureStatus[] = ['accepted', 'rejected', 'counter_proposed'];

/** Length caps: enforced on write, and readers truncate so a hostile client cannot blow up a page. */
export const LIMITS = {
	title: 300,
	shortText: 1000,
	reason: 2000,
	note: 2000,
	name: 200,
	role: 200,
	phone: 40,
	ref: 100,
	/**
	 * Shared types nested inside each other, counted from the root (a root is 1, a goal 2, its description 3, a paragraph in it 4, the paragraph's text 5).
	 * Rich text needs two levels per nested list; 32 leaves room for a dozen. Deeper structure overflows the call
	 * stack when it is deleted or rendered, so the sync server refuses it and editors will not mount it.
	 */
	depth: 32
} as const;
