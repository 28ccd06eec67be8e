/** Goals (mål): one per life area and wish, ordered by a fractional key across the whole plan. */
import * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { newId } from './ids';
import { asFragment, asMap, readDate, readOneOf, readString, readStringOrNull } from './normalise';
import {
	orderKeyAt,
	placementIndex,
	placementReference,
	sortedEntries,
	type OrderedEntry,
	type Placement
} from './ordered-map';
import { setRichTextFromParagraphs } from './rich-text';
import { goalsRoot, measuresRoot } from './roots';
import {
	EXPRESSED_BY,
	FIELD,
	GOAL_LEVELS,
	GOAL_STATUSES,
	LIFE_AREAS,
	LIMITS,
	RATING,
	type ExpressedBy,
	type GoalLevel,
	type GoalStatus,
	type LifeArea
} from './schema';
import { newShortText, readShortText, shortTextIs, writeShortText } from './short-text';
import { optionalDate, optionalRef, optionalText, requireLine, requireNewId, requireOneOf } from './validate';

/** A dated look at how a goal goes: its status then, a note, and optionally the patient's own rating 1–10. */
export interface GoalEvaluation {
	id: string;
	date: string;
	status: GoalStatus;
	note: string;
	rating: number | null;
	by: string | null;
	createdAt: string;
}

export interface NewEvaluation {
	id?: string;
	date: string;
	status: GoalStatus;
	note?: string;
	rating?: number | null;
	by?: string | null;
}

export interface Goal {
	id: string;
	lifeArea: LifeArea;
	title: string;
	expressedBy: ExpressedBy;
	/** The agreed level where services could pull different ways; null when none was agreed. */
	level: GoalLevel | null;
	status: GoalStatus;
	/** Oldest first (by date, then when written). */
	evaluations: GoalEvaluation[];
	/** The stored order key ('' if it was unreadable; such goals sort last). */
	order: string;
	createdAt: string;
	createdBy: string | null;
	/** A wording someone proposed for a goal the patient expressed, waiting for the patient to accept or decline it. */
	proposal: GoalProposal | null;
	/** Bind to the editor with `Collaboration.configure({ fragment })`; null only in a damaged document. */
	description: Y.XmlFragment | null;
}

export interface GoalProposal {
	title: string;
	/** Who proposed it (a user id); null if unreadable. */
	by: string | null;
}

export interface NewGoal {
	/** Caller-chosen id, for idempotent seeding; a random one otherwise. */
	id?: string;
	lifeArea: LifeArea;
	title: string;
	expressedBy: ExpressedBy;
	level?: GoalLevel | null;
	status?: GoalStatus;
	createdBy?: string | null;
	/** Initial description, one paragraph per string. */
	description?: readonly string[];
	at?: Placement;
}

export interface GoalPatch {
	title?: string;
	lifeArea?: LifeArea;
	status?: GoalStatus;
	expressedBy?: ExpressedBy;
	level?: GoalLevel | null;
}

/** Goals must at least name a life area; anything else damaged is given a safe default. */
function isGoalEntity(map: Y.Map<unknown>): boolean {
	return (LIFE_AREAS as readonly unknown[]).includes(map.get('lifeArea'));
}

function readLevel(value: unknown): GoalLevel | null {
	return (GOAL_LEVELS as readonly unknown[]).includes(value) ? (value as GoalLevel) : null;
}

function readRating(value: unknown): number | null {
	return typeof value === 'number' && Number.isInteger(value) && value >= RATING.min && value <= RATING.max
		? value
		: null;
}

/** Evaluations without a readable date are damaged and skipped. */
function readEvaluations(value: unknown): GoalEvaluation[] {
	const root = asMap(value);
	if (!root) return [];
	const out: GoalEvaluation[] = [];
	root.forEach((raw, id) => {
		const e = asMap(raw);
		const date = e ? readDate(e.get('date')) : null;
		if (!e || date === null) return;
		out.push({
			id,
			date,
			status: readOneOf(e.get('status'), GOAL_STATUSES, 'active'),
			note: readString(e.get('note'), LIMITS.note),
			rating: readRating(e.get('rating')),
			by: readStringOrNull(e.get('by'), LIMITS.ref),
			createdAt: readString(e.get('createdAt'), 40)
		});
	});
	return out.sort(
		(a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)
	);
}

function optionalLevel(value: unknown): GoalLevel | null {
	if (value === undefined || value === null || value === '') return null;
	return requireOneOf(value, GOAL_LEVELS, 'invalid_goal_level', 'level');
}

function readProposal(m: Y.Map<unknown>): GoalProposal | null {
	const title = readString(m.get(FIELD.proposedTitle), LIMITS.title);
	return title.length > 0 ? { title, by: readStringOrNull(m.get(FIELD.proposedBy), LIMITS.ref) } : null;
}

function readGoal(entry: OrderedEntry): Goal {
	const m = entry.map;
	return {
		id: entry.id,
		lifeArea: m.get('lifeArea') as LifeArea,
		title: readShortText(m.get(FIELD.title), LIMITS.title),
		expressedBy: readOneOf(m.get('expressedBy'), EXPRESSED_BY, 'staff'),
		level: readLevel(m.get('level')),
		status: readOneOf(m.get('status'), GOAL_STATUSES, 'proposed'),
		evaluations: readEvaluations(m.get(FIELD.evaluations)),
		order: entry.order ?? '',
		createdAt: readString(m.get('createdAt'), 40),
		createdBy: readStringOrNull(m.get('createdBy'), LIMITS.ref),
		proposal: readProposal(m),
		description: asFragment(m.get(FIELD.description))
	};
}

function goalEntries(doc: Y.Doc): OrderedEntry[] {
	return sortedEntries(goalsRoot(doc), isGoalEntity);
}

/** All readable goals, in plan order (order key, then id). */
export function listGoals(doc: Y.Doc): Goal[] {
	return goalEntries(doc).map(readGoal);
}

export function getGoal(doc: Y.Doc, id: string): Goal | null {
	return listGoals(doc).find((g) => g.id === id) ?? null;
}

/** Goals grouped by life area, every area present, in `LIFE_AREAS` order. */
export function goalsByLifeArea(doc: Y.Doc): Array<{ lifeArea: LifeArea; goals: Goal[] }> {
	const goals = listGoals(doc);
	return LIFE_AREAS.map((lifeArea) => ({ lifeArea, goals: goals.filter((g) => g.lifeArea === lifeArea) }));
}

export function getGoalDescription(doc: Y.Doc, id: string): Y.XmlFragment | null {
	return getGoal(doc, id)?.description ?? null;
}

/** The raw entity of a readable goal, or a `not_found` error. */
function requireGoalEntity(doc: Y.Doc, id: string): Y.Map<unknown> {
	const entry = goalEntries(doc).find((e) => e.id === id);
	if (!entry) throw new PlanValidationError('not_found', `no goal with id ${id}`, 'id');
	return entry.map;
}

export function addGoal(doc: Y.Doc, input: NewGoal, origin?: unknown): string {
	const root = goalsRoot(doc);
	const id = input.id === undefined ? newId() : requireNewId(input.id, (k) => root.has(k));
	const lifeArea = requireOneOf(input.lifeArea, LIFE_AREAS, 'invalid_life_area', 'lifeArea');
	const title = requireLine(input.title, 'title', 'empty_title', LIMITS.title);
	const expressedBy = requireOneOf(input.expressedBy, EXPRESSED_BY, 'invalid_expressed_by', 'expressedBy');
	const status = requireOneOf(input.status ?? 'proposed', GOAL_STATUSES, 'invalid_goal_status', 'status');
	const level = optionalLevel(input.level);
	const createdBy = optionalRef(input.createdBy, 'createdBy');
	const siblings = goalEntries(doc);
	const index = placementIndex(siblings, input.at);

	doc.transact(() => {
		const goal = new Y.Map<unknown>();
		root.set(id, goal);
		goal.set('lifeArea', lifeArea);
		goal.set(FIELD.title, newShortText(title));
		goal.set('expressedBy', expressedBy);
		goal.set('level', level);
		goal.set('status', status);
		// Created with the goal: two people adding the first evaluation at once must not each create the map.
		goal.set(FIELD.evaluations, new Y.Map<unknown>());
		goal.set(FIELD.order, orderKeyAt(siblings, index));
		goal.set('createdAt', new Date().toISOString());
		if (createdBy !== null) goal.set('createdBy', createdBy);
		const description = new Y.XmlFragment();
		goal.set(FIELD.description, description);
		if (input.description && input.description.length > 0) {
			setRichTextFromParagraphs(description, input.description);
		}
	}, origin);
	return id;
}

export function updateGoal(doc: Y.Doc, id: string, patch: GoalPatch, origin?: unknown): void {
	const goal = requireGoalEntity(doc, id);
	const changes: Array<[string, string | null]> = [];
	const title = patch.title !== undefined ? requireLine(patch.title, 'title', 'empty_title', LIMITS.title) : null;
	if (patch.level !== undefined) changes.push(['level', optionalLevel(patch.level)]);
	if (patch.lifeArea !== undefined) {
		changes.push(['lifeArea', requireOneOf(patch.lifeArea, LIFE_AREAS, 'invalid_life_area', 'lifeArea')]);
	}
	if (patch.status !== undefined) {
		changes.push(['status', requireOneOf(patch.status, GOAL_STATUSES, 'invalid_goal_status', 'status')]);
	}
	if (patch.expressedBy !== undefined) {
		changes.push(['expressedBy', requireOneOf(patch.expressedBy, EXPRESSED_BY, 'invalid_expressed_by', 'expressedBy')]);
	}
	// Unchanged values are not rewritten: every write is an update that travels and is persisted.
	const effective = changes.filter(([key, value]) => goal.get(key) !== value);
	const retitle = title !== null && !shortTextIs(goal, FIELD.title, title);
	if (effective.length === 0 && !retitle) return;
	doc.transact(() => {
		if (retitle) writeShortText(goal, FIELD.title, title);
		for (const [key, value] of effective) goal.set(key, value);
	}, origin);
}

/**
 * Proposes a wording for a goal the patient expressed: staff cannot reword the patient's goal, only propose
 * (`rights.ts`). A newer proposal replaces an older one.
 */
export function proposeGoalTitle(doc: Y.Doc, id: string, title: string, by: string, origin?: unknown): void {
	const goal = requireGoalEntity(doc, id);
	if (goal.get('expressedBy') !== 'patient')
		throw new PlanValidationError(
			'invalid_expressed_by',
			'only a goal the patient expressed takes a proposed wording',
			'id'
		);
	const clean = requireLine(title, 'title', 'empty_title', LIMITS.title);
	const proposer = optionalRef(by, 'proposedBy');
	doc.transact(() => {
		goal.set(FIELD.proposedTitle, clean);
		goal.set(FIELD.proposedBy, proposer);
	}, origin);
}

/** The patient accepts the proposed wording: it becomes the title, and the proposal is cleared, in one update. */
export function acceptProposedTitle(doc: Y.Doc, id: string, origin?: unknown): void {
	const goal = requireGoalEntity(doc, id);
	const proposal = readProposal(goal);
	if (!proposal) throw new PlanValidationError('not_found', 'the goal has no proposed wording', 'id');
	doc.transact(() => {
		if (!shortTextIs(goal, FIELD.title, proposal.title)) writeShortText(goal, FIELD.title, proposal.title);
		goal.set(FIELD.proposedTitle, null);
		goal.set(FIELD.proposedBy, null);
	}, origin);
}

/** The patient keeps their own words: the proposal is cleared. */
export function declineProposedTitle(doc: Y.Doc, id: string, origin?: unknown): void {
	const goal = requireGoalEntity(doc, id);
	if (!readProposal(goal)) return;
	doc.transact(() => {
		goal.set(FIELD.proposedTitle, null);
		goal.set(FIELD.proposedBy, null);
	}, origin);
}

function requireRating(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const n = typeof value === 'string' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < RATING.min || n > RATING.max) {
		throw new PlanValidationError(
			'invalid_rating',
			`rating must be a whole number from ${RATING.min} to ${RATING.max}`,
			'rating'
		);
	}
	return n;
}

/** Adds a dated evaluation to a goal. Returns its id. */
export function addEvaluation(doc: Y.Doc, goalId: string, input: NewEvaluation, origin?: unknown): string {
	const goal = requireGoalEntity(doc, goalId);
	const existing = asMap(goal.get(FIELD.evaluations));
	const id = input.id === undefined ? newId() : requireNewId(input.id, (k) => !!existing?.has(k));
	const date = optionalDate(input.date, 'date');
	if (date === null)
		throw new PlanValidationError('invalid_date', 'an evaluation needs a date written YYYY-MM-DD', 'date');
	const status = requireOneOf(input.status, GOAL_STATUSES, 'invalid_goal_status', 'status');
	const note = optionalText(input.note, 'note', LIMITS.note);
	const rating = requireRating(input.rating);
	const by = optionalRef(input.by, 'by');
	doc.transact(() => {
		let evaluations = existing;
		if (!evaluations) {
			// A goal from before evaluations existed gets its map now.
			evaluations = new Y.Map<unknown>();
			goal.set(FIELD.evaluations, evaluations);
		}
		const entry = new Y.Map<unknown>();
		evaluations.set(id, entry);
		entry.set('date', date);
		entry.set('status', status);
		entry.set('note', note);
		entry.set('rating', rating);
		entry.set('by', by);
		entry.set('createdAt', new Date().toISOString());
	}, origin);
	return id;
}

export function removeEvaluation(doc: Y.Doc, goalId: string, id: string, origin?: unknown): boolean {
	const evaluations = asMap(requireGoalEntity(doc, goalId).get(FIELD.evaluations));
	if (!evaluations?.has(id)) return false;
	doc.transact(() => evaluations.delete(id), origin);
	return true;
}

export function moveGoal(doc: Y.Doc, id: string, to: Placement, origin?: unknown): void {
	const goal = requireGoalEntity(doc, id);
	if (placementReference(to) === id) return; // next to itself: already there
	const siblings = goalEntries(doc).filter((e) => e.id !== id);
	const index = placementIndex(siblings, to);
	doc.transact(() => {
		goal.set(FIELD.order, orderKeyAt(siblings, index));
	}, origin);
}

function measureIdsOfGoal(measures: Y.Map<unknown>, goalId: string): string[] {
	const ids: string[] = [];
	measures.forEach((value, measureId) => {
		if (value instanceof Y.Map && value.get('goalId') === goalId) ids.push(measureId);
	});
	return ids;
}

/** Removes the goal and its measures in one transaction. Returns false if there was nothing to remove. */
export function removeGoal(doc: Y.Doc, id: string, origin?: unknown): boolean {
	const root = goalsRoot(doc);
	if (!root.has(id)) return false;
	const measures = measuresRoot(doc);
	doc.transact(() => {
		for (const measureId of measureIdsOfGoal(measures, id)) measures.delete(measureId);
		root.delete(id);
	}, origin);
	return true;
}
