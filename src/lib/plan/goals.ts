/** Goals (mål): one per life area and wish, ordered by a fractional key across the whole plan. */
import * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { newId } from './ids';
import { asFragment, readOneOf, readString, readStringOrNull } from './normalise';
import { orderKeyAt, placementIndex, placementReference, sortedEntries, type OrderedEntry, type Placement } from './ordered-map';
import { setRichTextFromParagraphs } from './rich-text';
import { goalsRoot, measuresRoot } from './roots';
import {
	EXPRESSED_BY,
	FIELD,
	GOAL_STATUSES,
	LIFE_AREAS,
	LIMITS,
	type ExpressedBy,
	type GoalStatus,
	type LifeArea
} from './schema';
import { optionalRef, requireLine, requireNewId, requireOneOf } from './validate';

export interface Goal {
	id: string;
	lifeArea: LifeArea;
	title: string;
	expressedBy: ExpressedBy;
	status: GoalStatus;
	/** The stored order key ('' if it was unreadable; such goals sort last). */
	order: string;
	createdAt: string;
	createdBy: string | null;
	/** Bind to the editor with `Collaboration.configure({ fragment })`; null only in a damaged document. */
	description: Y.XmlFragment | null;
}

export interface NewGoal {
	/** Caller-chosen id, for idempotent seeding; a random one otherwise. */
	id?: string;
	lifeArea: LifeArea;
	title: string;
	expressedBy: ExpressedBy;
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
}

/** Goals must at least name a life area; anything else damaged is given a safe default. */
function isGoalEntity(map: Y.Map<unknown>): boolean {
	return (LIFE_AREAS as readonly unknown[]).includes(map.get('lifeArea'));
}

function readGoal(entry: OrderedEntry): Goal {
	const m = entry.map;
	return {
		id: entry.id,
		lifeArea: m.get('lifeArea') as LifeArea,
		title: readString(m.get('title'), LIMITS.title),
		expressedBy: readOneOf(m.get('expressedBy'), EXPRESSED_BY, 'staff'),
		status: readOneOf(m.get('status'), GOAL_STATUSES, 'proposed'),
		order: entry.order ?? '',
		createdAt: readString(m.get('createdAt'), 40),
		createdBy: readStringOrNull(m.get('createdBy'), LIMITS.ref),
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
	const createdBy = optionalRef(input.createdBy, 'createdBy');
	const siblings = goalEntries(doc);
	const index = placementIndex(siblings, input.at);

	doc.transact(() => {
		const goal = new Y.Map<unknown>();
		root.set(id, goal);
		goal.set('lifeArea', lifeArea);
		goal.set('title', title);
		goal.set('expressedBy', expressedBy);
		goal.set('status', status);
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
	const changes: Array<[string, string]> = [];
	if (patch.title !== undefined) changes.push(['title', requireLine(patch.title, 'title', 'empty_title', LIMITS.title)]);
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
	if (effective.length === 0) return;
	doc.transact(() => {
		for (const [key, value] of effective) goal.set(key, value);
	}, origin);
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
