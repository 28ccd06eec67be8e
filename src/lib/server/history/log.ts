/**
 * The attributed update log of a plan's documents (`doc_updates`, never deleted), and the documents rebuilt
 * from it as they stood at any point. A point is the log itself: "after update N" holds every stored update of
 * the documents with an id up to N, so a point means the same for every document of the plan.
 */
import * as Y from 'yjs';
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm';
import { DOC_PREFIX, type DocKind } from '../../plan';
import { parseDocName } from '../../plan/schema';
import type { Db } from '../db';
import { docUpdates, planVersionDocs, planVersions } from '../db/schema';

export interface LogRow {
	id: number;
	kind: DocKind;
	userId: string | null;
	createdAt: Date;
}

export interface LogRowWithUpdate extends LogRow {
	update: Uint8Array;
}

export const docNamesOf = (planId: string, kinds: readonly DocKind[]) => kinds.map((k) => DOC_PREFIX[k] + planId);

function kindOf(docName: string): DocKind {
	const parsed = parseDocName(docName);
	if (!parsed) throw new Error(`not a plan document: ${docName}`);
	return parsed.kind;
}

/** Every stored update of the plan's `kinds` documents with an id up to `throughId` (all without it), oldest first. */
export async function loadLog(
	db: Db,
	planId: string,
	kinds: readonly DocKind[],
	throughId?: number
): Promise<LogRowWithUpdate[]> {
	if (kinds.length === 0) return [];
	const names = inArray(docUpdates.docName, docNamesOf(planId, kinds));
	const rows = await db
		.select({
			id: docUpdates.id,
			docName: docUpdates.docName,
			userId: docUpdates.userId,
			createdAt: docUpdates.createdAt,
			update: docUpdates.update
		})
		.from(docUpdates)
		.where(throughId === undefined ? names : and(names, lte(docUpdates.id, throughId)))
		.orderBy(asc(docUpdates.id));
	return rows.map(({ docName, ...r }) => ({ ...r, kind: kindOf(docName) }));
}

/** Fresh documents of `kinds` with every update through `throughId` applied, in log order. Destroy them after use. */
export async function docsAtUpdate(
	db: Db,
	planId: string,
	kinds: readonly DocKind[],
	throughId: number
): Promise<Partial<Record<DocKind, Y.Doc>>> {
	const docs = Object.fromEntries(kinds.map((k) => [k, new Y.Doc()])) as Partial<Record<DocKind, Y.Doc>>;
	for (const row of await loadLog(db, planId, kinds, throughId)) Y.applyUpdate(docs[row.kind]!, row.update);
	return docs;
}

/** The last update of the documents stored at or before `at`; 0 when there was none yet. */
export async function lastUpdateAt(db: Db, planId: string, kinds: readonly DocKind[], at: Date): Promise<number> {
	if (kinds.length === 0) return 0;
	const [row] = await db
		.select({ id: docUpdates.id })
		.from(docUpdates)
		.where(and(inArray(docUpdates.docName, docNamesOf(planId, kinds)), lte(docUpdates.createdAt, at)))
		.orderBy(desc(docUpdates.id))
		.limit(1);
	return row?.id ?? 0;
}

/** One update's time and author, when it belongs to the plan's `kinds` documents. */
export async function updateInfo(
	db: Db,
	planId: string,
	kinds: readonly DocKind[],
	id: number
): Promise<LogRow | null> {
	if (kinds.length === 0) return null;
	const [row] = await db
		.select({
			id: docUpdates.id,
			docName: docUpdates.docName,
			userId: docUpdates.userId,
			createdAt: docUpdates.createdAt
		})
		.from(docUpdates)
		.where(and(inArray(docUpdates.docName, docNamesOf(planId, kinds)), lte(docUpdates.id, id)))
		.orderBy(desc(docUpdates.id))
		.limit(1);
	return row ? { id: row.id, kind: kindOf(row.docName), userId: row.userId, createdAt: row.createdAt } : null;
}

/** The documents of an adopted version, `kinds` only; null when the version is not this plan's. */
export async function docsOfVersion(
	db: Db,
	planId: string,
	versionId: string,
	kinds: readonly DocKind[]
): Promise<Partial<Record<DocKind, Y.Doc>> | null> {
	const [version] = await db
		.select({ id: planVersions.id })
		.from(planVersions)
		.where(and(eq(planVersions.id, versionId), eq(planVersions.planId, planId)))
		.limit(1);
	if (!version) return null;
	const rows =
		kinds.length === 0
			? []
			: await db
					.select()
					.from(planVersionDocs)
					.where(
						and(eq(planVersionDocs.versionId, versionId), inArray(planVersionDocs.docName, docNamesOf(planId, kinds)))
					);
	const docs = Object.fromEntries(kinds.map((k) => [k, new Y.Doc()])) as Partial<Record<DocKind, Y.Doc>>;
	for (const row of rows) Y.applyUpdate(docs[kindOf(row.docName)]!, row.state);
	return docs;
}

export function destroyDocs(docs: Partial<Record<DocKind, Y.Doc>> | null): void {
	for (const doc of Object.values(docs ?? {})) doc?.destroy();
}
