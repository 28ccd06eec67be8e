import * as Y from 'yjs';
import { eq, like, notInArray, sql } from 'drizzle-orm';
import { engineOf, type Db } from '../db';
import { docUpdates, projectedGoals, projectedMeasures, projectionState } from '../db/schema';
import { applyStoredDoc, PgDocStore, type DocStore } from '../collab/doc-store';
import { DOC_PREFIX, parseDocName } from '../../plan/schema';
import { listAllMeasures } from '../../plan';
import { readPlanRows, type MeasureRow } from './read-plan';

/**
 * What one projection changed in a plan's measures: the rows before and after, and who created each measure.
 * Told inside the projection's transaction, so whatever the listener writes commits with the rows (once per
 * version, on whichever node projects it). Not told on a first projection or a rebuild (nothing "happened").
 */
export interface MeasureChange {
	planId: string;
	docName: string;
	/** The stored version the old rows reflected, and the one the new rows do. */
	fromId: number;
	throughId: number;
	before: Map<string, MeasureRow>;
	after: MeasureRow[];
	/** measureId → who proposed it (`createdBy`), for the new rows. */
	creators: Map<string, string | null>;
}

/** Namespace of the advisory lock that serialises projecting one document across nodes and the rebuild script. */
const PROJECTION_LOCK = 0x7072; // "pr"

export type ProjectOutcome =
	/** Rows replaced with those of stored version `throughId`. */
	| { kind: 'projected'; throughId: number; goals: number; measures: number }
	/** Already projected at this version or later: nothing written. */
	| { kind: 'current'; throughId: number }
	/** Not a `plan:` document, or nothing stored. */
	| { kind: 'skipped' };

export interface ProjectOptions {
	store?: DocStore;
	/** Project even if the stored version is already projected (the rebuild). */
	force?: boolean;
	now?: Date;
	/** Told what changed in the measures (notifications hook in here). */
	onMeasuresChanged?(tx: Db, change: MeasureChange): Promise<void>;
}

/**
 * Projects one `plan:<id>` document from what is stored (snapshot plus tail) into `projected_goals` and
 * `projected_measures`, replacing that plan's rows in one transaction. Idempotent by document version: the
 * version is the highest stored update id, and a version already projected is not written again.
 */
export async function projectDocument(db: Db, docName: string, opts: ProjectOptions = {}): Promise<ProjectOutcome> {
	const parsed = parseDocName(docName);
	if (!parsed || parsed.kind !== 'plan') return { kind: 'skipped' };
	// An index lookup first: a version already projected is not worth loading and decoding the document for.
	if (!opts.force) {
		const [latest] = await db
			.select({ id: sql<number | null>`max(${docUpdates.id})`.mapWith(Number) })
			.from(docUpdates)
			.where(eq(docUpdates.docName, docName));
		if (latest?.id && (await projectedThrough(db, docName)) >= latest.id)
			return { kind: 'current', throughId: latest.id };
	}
	const store = opts.store ?? new PgDocStore(db);
	const stored = await store.load(docName);
	const throughId = stored.updates.length ? stored.updates[stored.updates.length - 1].id : stored.throughId;
	if (throughId === 0) return { kind: 'skipped' };
	if (!opts.force && (await projectedThrough(db, docName)) >= throughId) return { kind: 'current', throughId };

	const doc = new Y.Doc();
	let rows: ReturnType<typeof readPlanRows>;
	let creators = new Map<string, string | null>();
	try {
		applyStoredDoc(doc, stored);
		rows = readPlanRows(doc);
		if (opts.onMeasuresChanged) creators = new Map(listAllMeasures(doc).map((m) => [m.id, m.createdBy]));
	} finally {
		doc.destroy();
	}
	const planId = parsed.planId;
	const now = opts.now ?? new Date();
	return db.transaction(async (tx) => {
		if (engineOf(db) !== 'pglite')
			await tx.execute(sql`select pg_advisory_xact_lock(${PROJECTION_LOCK}::int4, hashtext(${docName}))`);
		const [state] = await tx
			.select({ throughId: projectionState.throughId })
			.from(projectionState)
			.where(eq(projectionState.docName, docName));
		// Someone projected a later (or the same) version while this one was read: theirs stands.
		if (state && (opts.force ? state.throughId > throughId : state.throughId >= throughId))
			return { kind: 'current', throughId: state.throughId } as const;
		// `updated_at` says when a row's content last changed: rows that come out the same keep theirs.
		const oldGoals = new Map(
			(await tx.select().from(projectedGoals).where(eq(projectedGoals.planId, planId))).map((g) => [g.goalId, g])
		);
		const oldMeasures = new Map(
			(await tx.select().from(projectedMeasures).where(eq(projectedMeasures.planId, planId))).map((m) => [
				m.measureId,
				m
			])
		);
		await tx.delete(projectedGoals).where(eq(projectedGoals.planId, planId));
		await tx.delete(projectedMeasures).where(eq(projectedMeasures.planId, planId));
		const goals = rows.goals.map((g) => ({ ...g, planId, updatedAt: keptUpdatedAt(oldGoals.get(g.goalId), g, now) }));
		const measures = rows.measures.map((m) => ({
			...m,
			planId,
			updatedAt: keptUpdatedAt(oldMeasures.get(m.measureId), m, now)
		}));
		if (goals.length) await tx.insert(projectedGoals).values(goals);
		if (measures.length) await tx.insert(projectedMeasures).values(measures);
		await tx
			.insert(projectionState)
			.values({ docName, throughId, projectedAt: now })
			.onConflictDoUpdate({ target: projectionState.docName, set: { throughId, projectedAt: now } });
		if (opts.onMeasuresChanged && state && !opts.force) {
			const before = new Map([...oldMeasures].map(([id, row]) => [id, row as MeasureRow]));
			await opts.onMeasuresChanged(tx as unknown as Db, {
				planId,
				docName,
				fromId: state.throughId,
				throughId,
				before,
				after: rows.measures,
				creators
			});
		}
		return { kind: 'projected', throughId, goals: rows.goals.length, measures: rows.measures.length } as const;
	});
}

/** The old row's `updatedAt` if every projected field is unchanged, else `now`. */
function keptUpdatedAt(old: Record<string, unknown> | undefined, row: object, now: Date): Date {
	if (!old) return now;
	for (const [key, value] of Object.entries(row)) {
		const before = old[key];
		const same =
			value instanceof Date ? before instanceof Date && before.getTime() === value.getTime() : before === value;
		if (!same) return now;
	}
	return old.updatedAt as Date;
}

/** The stored version a document's rows reflect (0 if never projected). */
export async function projectedThrough(db: Db, docName: string): Promise<number> {
	const [row] = await db
		.select({ throughId: projectionState.throughId })
		.from(projectionState)
		.where(eq(projectionState.docName, docName));
	return row?.throughId ?? 0;
}

/** Every `plan:` document with stored updates, each with its latest stored update id. */
async function storedPlanDocs(db: Db): Promise<Array<{ docName: string; lastId: number }>> {
	const rows = await db
		.select({ docName: docUpdates.docName, lastId: sql<number>`max(${docUpdates.id})`.mapWith(Number) })
		.from(docUpdates)
		.where(like(docUpdates.docName, `${DOC_PREFIX.plan}%`))
		.groupBy(docUpdates.docName);
	return rows;
}

/**
 * Projects every plan document whose stored version is ahead of its projection (at start: documents seeded or
 * changed while no projector ran). Returns how many were projected.
 */
export async function projectStale(
	db: Db,
	opts: Pick<ProjectOptions, 'store' | 'onMeasuresChanged'> = {}
): Promise<number> {
	const states = new Map((await db.select().from(projectionState)).map((s) => [s.docName, s.throughId]));
	let n = 0;
	for (const { docName, lastId } of await storedPlanDocs(db)) {
		if ((states.get(docName) ?? 0) >= lastId) continue;
		if ((await projectDocument(db, docName, opts)).kind === 'projected') n++;
	}
	return n;
}

/**
 * `npm run projections:rebuild`: projects every stored plan document again, one plan per transaction (lists
 * keep working meanwhile), and drops rows of plans that have no stored document.
 */
export async function rebuildProjections(
	db: Db,
	opts: { store?: DocStore } = {}
): Promise<{ documents: number; measures: number; goals: number }> {
	const docs = await storedPlanDocs(db);
	const totals = { documents: 0, measures: 0, goals: 0 };
	for (const { docName } of docs) {
		const outcome = await projectDocument(db, docName, { ...opts, force: true });
		if (outcome.kind !== 'projected') continue;
		totals.documents++;
		totals.measures += outcome.measures;
		totals.goals += outcome.goals;
	}
	const planIds = docs.map((d) => d.docName.slice(DOC_PREFIX.plan.length));
	const names = docs.map((d) => d.docName);
	await db.transaction(async (tx) => {
		await tx.delete(projectedGoals).where(planIds.length ? notInArray(projectedGoals.planId, planIds) : undefined);
		await tx
			.delete(projectedMeasures)
			.where(planIds.length ? notInArray(projectedMeasures.planId, planIds) : undefined);
		await tx.delete(projectionState).where(names.length ? notInArray(projectionState.docName, names) : undefined);
	});
	return totals;
}
