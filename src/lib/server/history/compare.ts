/**
 * A comparison of two points, ready to show: the changes with ids turned into names (services, people, goals)
 * and texts as word-level differences. Built on the server, so the page needs no script.
 */
import { inArray } from 'drizzle-orm';
import type { DocKind } from '../../plan';
import type { Db } from '../db';
import { services, users } from '../db/schema';
import { destroyDocs } from './log';
import { docsAtPoint, type HistoryPoint, type PointDeps } from './points';
import { diffPlanStates, readPlanState, type EntityChange, type PlanState, type TextField } from './state';
import { wordDiff, type DiffPart } from './word-diff';

/** Fields whose values are ids: shown by name. */
const REF_FIELDS = new Set(['serviceId', 'personId', 'goalId', 'startsAfter']);
/** Fields of running text: shown as a word-level difference. */
const PROSE_FIELDS = new Set(['title', 'description', 'statusReason', 'interimMeasure', 'proposedTitle']);

export interface ShownField {
	field: string;
	before: string | null;
	after: string | null;
	/** For running text: the words taken out and put in. */
	diff: DiffPart[] | null;
}

export interface ShownEntity {
	id: string;
	change: EntityChange['change'];
	title: string;
	/** For a measure: the title of its goal (now, or then when the goal is gone). */
	goalTitle: string | null;
	fields: ShownField[];
}

export interface Comparison {
	goals: ShownEntity[];
	measures: ShownEntity[];
	texts: { field: TextField; diff: DiffPart[] }[];
}

/** Names of services and people the ids refer to (ids of neither keep the id). */
export async function namesOf(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
	const list = [...new Set(ids)].filter((id) => id.length > 0);
	if (list.length === 0) return new Map();
	const [people, units] = await Promise.all([
		db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, list)),
		db.select({ id: services.id, name: services.name }).from(services).where(inArray(services.id, list))
	]);
	return new Map([...people, ...units].map((r) => [r.id, r.name]));
}

/** The plan state of `kinds` at `point`; null when the point is a version that is not this plan's. */
export async function stateAt(
	deps: PointDeps,
	planId: string,
	kinds: readonly DocKind[],
	point: HistoryPoint
): Promise<PlanState | null> {
	const docs = await docsAtPoint(deps, planId, kinds, point);
	if (!docs) return null;
	try {
		return readPlanState(docs);
	} finally {
		destroyDocs(docs);
	}
}

/** What changed from `before` to `after`, with names and word-level differences. */
export async function compareStates(db: Db, before: PlanState, after: PlanState): Promise<Comparison> {
	const diff = diffPlanStates(before, after);
	const titles = new Map<string, string>();
	for (const state of [before, after]) {
		for (const g of state.goals ?? []) titles.set(g.id, g.title);
		for (const x of state.measures ?? []) titles.set(x.id, x.title);
	}
	const goalOf = new Map<string, string>();
	for (const state of [before, after]) for (const x of state.measures ?? []) goalOf.set(x.id, x.goalId);
	const refs: string[] = [];
	for (const e of diff.measures)
		for (const f of e.fields)
			if (REF_FIELDS.has(f.field)) refs.push(...[f.before, f.after].filter((v): v is string => !!v));
	const names = await namesOf(db, refs);
	const name = (field: string, v: string | null) =>
		v === null ? null : REF_FIELDS.has(field) ? (titles.get(v) ?? names.get(v) ?? v) : v;
	const shown = (e: EntityChange, measure: boolean): ShownEntity => ({
		id: e.id,
		change: e.change,
		title: e.title,
		goalTitle: measure ? (titles.get(goalOf.get(e.id) ?? '') ?? null) : null,
		fields: e.fields.map((f) => ({
			field: f.field,
			before: name(f.field, f.before),
			after: name(f.field, f.after),
			diff: PROSE_FIELDS.has(f.field) ? wordDiff(f.before ?? '', f.after ?? '') : null
		}))
	});
	return {
		goals: diff.goals.map((e) => shown(e, false)),
		measures: diff.measures.map((e) => shown(e, true)),
		texts: diff.texts.map((t) => ({ field: t.field, diff: wordDiff(t.before, t.after) }))
	};
}
