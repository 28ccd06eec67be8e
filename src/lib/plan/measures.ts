/**
 * Measures (tiltak): what, who and when, each belonging to one goal and owned by one service and
 * one person. Stored flat in one map with a `goalId`, so a measure keeps its id and history when it
 * is moved to another goal. A measure whose goal is gone (a concurrent delete) is invisible to readers.
 */
import * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { listGoals } from './goals';
import { newId } from './ids';
import { asFragment, readDate, readOneOf, readString, readStringOrNull } from './normalise';
import {
	orderKeyAt,
	placementIndex,
	placementReference,
	sortedEntries,
	type OrderedEntry,
	type Placement
} from './ordered-map';
import { setRichTextFromParagraphs } from './rich-text';
import { measuresRoot } from './roots';
import { FIELD, INTERIM_STATUSES, LIMITS, MEASURE_STATUSES, REASON_STATUSES, type MeasureStatus } from './schema';
import { newShortText, readShortText, shortTextIs, writeShortText } from './short-text';
import {
	checkDueAfterStart,
	optionalDate,
	optionalRef,
	optionalText,
	requireLine,
	requireNewId,
	requireOneOf
} from './validate';

export interface Measure {
	id: string;
	goalId: string;
	title: string;
	/** Organisation unit (service) that owns the measure. */
	serviceId: string | null;
	/** The named person responsible within that service. */
	personId: string | null;
	startDate: string | null;
	dueDate: string | null;
	/** Another measure this one starts after, so the patient does not meet too many new people at once. */
	startsAfter: string | null;
	status: MeasureStatus;
	/** Why it was declined, waits or was cancelled. */
	statusReason: string;
	/** What the patient gets meanwhile, while it waits. */
	interimMeasure: string;
	/** The measure this one is a service's counter-proposal to. */
	counterOf: string | null;
	/** Who answered for the owning service (accepted, declined, counter-proposed), and when. */
	answeredBy: string | null;
	answeredAt: string | null;
	/** Order key within the goal ('' if unreadable). */
	order: string;
	createdAt: string;
	createdBy: string | null;
	description: Y.XmlFragment | null;
}

export interface NewMeasure {
	id?: string;
	goalId: string;
	title: string;
	serviceId?: string | null;
	personId?: string | null;
	startDate?: string | null;
	dueDate?: string | null;
	startsAfter?: string | null;
	status?: MeasureStatus;
	statusReason?: string;
	interimMeasure?: string;
	counterOf?: string | null;
	createdBy?: string | null;
	description?: readonly string[];
	/** Position among the goal's measures. */
	at?: Placement;
}

export interface MeasurePatch {
	title?: string;
	serviceId?: string | null;
	personId?: string | null;
	startDate?: string | null;
	dueDate?: string | null;
	startsAfter?: string | null;
	status?: MeasureStatus;
	statusReason?: string;
	interimMeasure?: string;
	/** Written by the server's answer actions only. */
	answeredBy?: string | null;
	answeredAt?: string | null;
}

function readMeasure(entry: OrderedEntry, goalId: string): Measure {
	const m = entry.map;
	return {
		id: entry.id,
		goalId,
		title: readShortText(m.get(FIELD.title), LIMITS.title),
		serviceId: readStringOrNull(m.get('serviceId'), LIMITS.ref),
		personId: readStringOrNull(m.get('personId'), LIMITS.ref),
		startDate: readDate(m.get('startDate')),
		dueDate: readDate(m.get('dueDate')),
		startsAfter: readStringOrNull(m.get('startsAfter'), LIMITS.ref),
		status: readOneOf(m.get('status'), MEASURE_STATUSES, 'requested'),
		statusReason: readString(m.get('statusReason'), LIMITS.reason),
		interimMeasure: readString(m.get('interimMeasure'), LIMITS.reason),
		counterOf: readStringOrNull(m.get('counterOf'), LIMITS.ref),
		answeredBy: readStringOrNull(m.get('answeredBy'), LIMITS.ref),
		answeredAt: readStringOrNull(m.get('answeredAt'), 40),
		order: entry.order ?? '',
		createdAt: readString(m.get('createdAt'), 40),
		createdBy: readStringOrNull(m.get('createdBy'), LIMITS.ref),
		description: asFragment(m.get(FIELD.description))
	};
}

function entriesOfGoal(doc: Y.Doc, goalId: string): OrderedEntry[] {
	return sortedEntries(measuresRoot(doc), (m) => m.get('goalId') === goalId);
}

/** The goal id of a stored measure, if the measure is readable and its goal exists. */
function liveGoalIdOf(doc: Y.Doc, id: string): string | null {
	const value = measuresRoot(doc).get(id);
	if (!(value instanceof Y.Map)) return null;
	const goalId = value.get('goalId');
	if (typeof goalId !== 'string') return null;
	return listGoals(doc).some((g) => g.id === goalId) ? goalId : null;
}

/** The goal's measures in order; [] when the goal does not exist. */
export function listMeasures(doc: Y.Doc, goalId: string): Measure[] {
	if (!listGoals(doc).some((g) => g.id === goalId)) return [];
	return entriesOfGoal(doc, goalId).map((e) => readMeasure(e, goalId));
}

/** Measures of every existing goal in one pass, keyed by goal id, each list in order. */
export function measuresByGoal(doc: Y.Doc): Map<string, Measure[]> {
	const byGoal = new Map<string, Measure[]>(listGoals(doc).map((g) => [g.id, []]));
	for (const entry of sortedEntries(measuresRoot(doc))) {
		const goalId = entry.map.get('goalId');
		if (typeof goalId !== 'string') continue;
		byGoal.get(goalId)?.push(readMeasure(entry, goalId));
	}
	return byGoal;
}

/** Every visible measure, by goal order and then measure order (for "my tasks" and projections). */
export function listAllMeasures(doc: Y.Doc): Measure[] {
	return [...measuresByGoal(doc).values()].flat();
}

export function getMeasure(doc: Y.Doc, id: string): Measure | null {
	const goalId = liveGoalIdOf(doc, id);
	if (goalId === null) return null;
	const entry = entriesOfGoal(doc, goalId).find((e) => e.id === id);
	return entry ? readMeasure(entry, goalId) : null;
}

export function getMeasureDescription(doc: Y.Doc, id: string): Y.XmlFragment | null {
	return getMeasure(doc, id)?.description ?? null;
}

function requireMeasureEntity(doc: Y.Doc, id: string): { map: Y.Map<unknown>; goalId: string } {
	const goalId = liveGoalIdOf(doc, id);
	if (goalId === null) throw new PlanValidationError('not_found', `no measure with id ${id}`, 'id');
	return { map: measuresRoot(doc).get(id) as Y.Map<unknown>, goalId };
}

function requireKnownGoal(doc: Y.Doc, goalId: unknown): string {
	if (typeof goalId !== 'string' || !listGoals(doc).some((g) => g.id === goalId)) {
		throw new PlanValidationError('unknown_goal', `no goal with id ${String(goalId)}`, 'goalId');
	}
	return goalId;
}

/** A declined, waiting or cancelled measure must say why; a waiting one also what happens meanwhile. */
function checkReason(status: MeasureStatus, reason: string, interim: string): void {
	if (REASON_STATUSES.includes(status) && reason.length === 0) {
		throw new PlanValidationError('reason_required', `a measure that is ${status} needs a reason`, 'statusReason');
	}
	if (INTERIM_STATUSES.includes(status) && interim.length === 0) {
		throw new PlanValidationError(
			'interim_required',
			`a measure that is ${status} needs an interim measure`,
			'interimMeasure'
		);
	}
}

/** A reference to another measure of the plan (starts after, counter-proposal of): it must exist and not be itself. */
function optionalMeasureRef(doc: Y.Doc, value: unknown, field: string, self: string): string | null {
	const ref = optionalRef(value, field);
	if (ref === null) return null;
	if (ref === self || !(measuresRoot(doc).get(ref) instanceof Y.Map)) {
		throw new PlanValidationError('unknown_reference', `${field} does not name another measure of this plan`, field);
	}
	return ref;
}

export function addMeasure(doc: Y.Doc, input: NewMeasure, origin?: unknown): string {
	const root = measuresRoot(doc);
	const id = input.id === undefined ? newId() : requireNewId(input.id, (k) => root.has(k));
	const goalId = requireKnownGoal(doc, input.goalId);
	const title = requireLine(input.title, 'title', 'empty_title', LIMITS.title);
	const serviceId = optionalRef(input.serviceId, 'serviceId');
	const personId = optionalRef(input.personId, 'personId');
	const startDate = optionalDate(input.startDate, 'startDate');
	const dueDate = optionalDate(input.dueDate, 'dueDate');
	checkDueAfterStart(startDate, dueDate);
	const status = requireOneOf(input.status ?? 'requested', MEASURE_STATUSES, 'invalid_measure_status', 'status');
	const statusReason = optionalText(input.statusReason, 'statusReason', LIMITS.reason);
	const interimMeasure = optionalText(input.interimMeasure, 'interimMeasure', LIMITS.reason);
	checkReason(status, statusReason, interimMeasure);
	const startsAfter = optionalMeasureRef(doc, input.startsAfter, 'startsAfter', id);
	const counterOf = optionalMeasureRef(doc, input.counterOf, 'counterOf', id);
	const createdBy = optionalRef(input.createdBy, 'createdBy');
	const siblings = entriesOfGoal(doc, goalId);
	const index = placementIndex(siblings, input.at);

	doc.transact(() => {
		const measure = new Y.Map<unknown>();
		root.set(id, measure);
		measure.set('goalId', goalId);
		measure.set(FIELD.title, newShortText(title));
		measure.set('serviceId', serviceId);
		measure.set('personId', personId);
		measure.set('startDate', startDate);
		measure.set('dueDate', dueDate);
		measure.set('startsAfter', startsAfter);
		measure.set('status', status);
		measure.set('statusReason', statusReason);
		measure.set('interimMeasure', interimMeasure);
		measure.set('counterOf', counterOf);
		measure.set(FIELD.order, orderKeyAt(siblings, index));
		measure.set('createdAt', new Date().toISOString());
		if (createdBy !== null) measure.set('createdBy', createdBy);
		const description = new Y.XmlFragment();
		measure.set(FIELD.description, description);
		if (input.description && input.description.length > 0) {
			setRichTextFromParagraphs(description, input.description);
		}
	}, origin);
	return id;
}

export function updateMeasure(doc: Y.Doc, id: string, patch: MeasurePatch, origin?: unknown): void {
	const { map } = requireMeasureEntity(doc, id);
	const current = getMeasure(doc, id) as Measure;
	const changes: Array<[string, string | null]> = [];
	const title = patch.title !== undefined ? requireLine(patch.title, 'title', 'empty_title', LIMITS.title) : null;
	if (patch.serviceId !== undefined) changes.push(['serviceId', optionalRef(patch.serviceId, 'serviceId')]);
	if (patch.personId !== undefined) changes.push(['personId', optionalRef(patch.personId, 'personId')]);

	const startDate = patch.startDate !== undefined ? optionalDate(patch.startDate, 'startDate') : current.startDate;
	const dueDate = patch.dueDate !== undefined ? optionalDate(patch.dueDate, 'dueDate') : current.dueDate;
	// Only a change to a date is checked against the other, so an old inconsistency never blocks a title edit.
	if (patch.startDate !== undefined || patch.dueDate !== undefined) checkDueAfterStart(startDate, dueDate);
	if (patch.startDate !== undefined) changes.push(['startDate', startDate]);
	if (patch.dueDate !== undefined) changes.push(['dueDate', dueDate]);

	const status =
		patch.status !== undefined
			? requireOneOf(patch.status, MEASURE_STATUSES, 'invalid_measure_status', 'status')
			: current.status;
	const reason =
		patch.statusReason !== undefined
			? optionalText(patch.statusReason, 'statusReason', LIMITS.reason)
			: current.statusReason;
	const interim =
		patch.interimMeasure !== undefined
			? optionalText(patch.interimMeasure, 'interimMeasure', LIMITS.reason)
			: current.interimMeasure;
	if (patch.status !== undefined || patch.statusReason !== undefined || patch.interimMeasure !== undefined) {
		checkReason(status, reason, interim);
	}
	if (patch.status !== undefined) changes.push(['status', status]);
	if (patch.statusReason !== undefined) changes.push(['statusReason', reason]);
	if (patch.interimMeasure !== undefined) changes.push(['interimMeasure', interim]);
	if (patch.startsAfter !== undefined)
		changes.push(['startsAfter', optionalMeasureRef(doc, patch.startsAfter, 'startsAfter', id)]);
	if (patch.answeredBy !== undefined) changes.push(['answeredBy', optionalRef(patch.answeredBy, 'answeredBy')]);
	if (patch.answeredAt !== undefined) changes.push(['answeredAt', optionalRef(patch.answeredAt, 'answeredAt')]);

	// Unchanged values are not rewritten: every write is an update that travels and is persisted.
	const effective = changes.filter(([key, value]) => map.get(key) !== value);
	const retitle = title !== null && !shortTextIs(map, FIELD.title, title);
	if (effective.length === 0 && !retitle) return;
	doc.transact(() => {
		if (retitle) writeShortText(map, FIELD.title, title);
		for (const [key, value] of effective) map.set(key, value);
	}, origin);
}

/** Reorders a measure among its goal's measures. */
export function moveMeasure(doc: Y.Doc, id: string, to: Placement, origin?: unknown): void {
	const { map, goalId } = requireMeasureEntity(doc, id);
	if (placementReference(to) === id) return;
	const siblings = entriesOfGoal(doc, goalId).filter((e) => e.id !== id);
	const index = placementIndex(siblings, to);
	doc.transact(() => {
		map.set(FIELD.order, orderKeyAt(siblings, index));
	}, origin);
}

/** Re-links a measure to another goal (at its end by default), keeping id, description and history. */
export function moveMeasureToGoal(doc: Y.Doc, id: string, goalId: string, to?: Placement, origin?: unknown): void {
	const { map } = requireMeasureEntity(doc, id);
	const target = requireKnownGoal(doc, goalId);
	if (placementReference(to) === id) return;
	const siblings = entriesOfGoal(doc, target).filter((e) => e.id !== id);
	const index = placementIndex(siblings, to);
	doc.transact(() => {
		map.set('goalId', target);
		map.set(FIELD.order, orderKeyAt(siblings, index));
	}, origin);
}

export function removeMeasure(doc: Y.Doc, id: string, origin?: unknown): boolean {
	const root = measuresRoot(doc);
	if (!root.has(id)) return false;
	doc.transact(() => root.delete(id), origin);
	return true;
}

/**
 * Deletes measures whose goal no longer exists (left by a measure added while someone else deleted
 * its goal). For server-side housekeeping; readers already hide them. Returns how many were removed.
 */
export function pruneOrphanMeasures(doc: Y.Doc, origin?: unknown): number {
	const goalIds = new Set(listGoals(doc).map((g) => g.id));
	const root = measuresRoot(doc);
	const orphans: string[] = [];
	root.forEach((value, id) => {
		const goalId = value instanceof Y.Map ? value.get('goalId') : undefined;
		if (typeof goalId !== 'string' || !goalIds.has(goalId)) orphans.push(id);
	});
	if (orphans.length > 0) doc.transact(() => orphans.forEach((id) => root.delete(id)), origin);
	return orphans.length;
}
