/**
 * Adopted versions of a plan ("vedtatt versjon"): what each of the plan's documents held, as stored, at the
 * moment a meeting closed. Built from storage, not from a live document, so the version is exactly the stored
 * updates through `throughId` and history can line it up with the attributed update log.
 */
import * as Y from 'yjs';
import { DOC_KINDS, DOC_PREFIX } from '../../plan/schema';
import { applyStoredDoc, PgDocStore } from '../collab/doc-store';
import { desc, eq } from 'drizzle-orm';
import { engineOf, type Db } from '../db';
import { planVersionDocs, planVersions, users } from '../db/schema';

export interface AdoptVersionInput {
	planId: string;
	meetingId: string | null;
	adoptedBy: string;
}

/**
 * Stores the plan as it stands now. Call `collab.flush()` first, so every change accepted before the meeting
 * closed is in storage. Resolves with the new version's id.
 */
export async function adoptPlanVersion(db: Db, input: AdoptVersionInput): Promise<string> {
	const store = new PgDocStore(db, { singleProcess: engineOf(db) === 'pglite' });
	const docs: { docName: string; state: Uint8Array; throughId: number }[] = [];
	for (const kind of DOC_KINDS) {
		const docName = DOC_PREFIX[kind] + input.planId;
		const stored = await store.load(docName);
		const doc = new Y.Doc();
		try {
			applyStoredDoc(doc, stored);
			const last = stored.updates.at(-1)?.id ?? stored.throughId;
			docs.push({ docName, state: Y.encodeStateAsUpdate(doc), throughId: last });
		} finally {
			doc.destroy();
		}
	}
	return db.transaction(async (tx) => {
		const [version] = await tx
			.insert(planVersions)
			.values({ planId: input.planId, meetingId: input.meetingId, adoptedBy: input.adoptedBy })
			.returning({ id: planVersions.id });
		await tx.insert(planVersionDocs).values(docs.map((d) => ({ versionId: version.id, ...d })));
		return version.id;
	});
}

export interface PlanVersionListing {
	id: string;
	meetingId: string | null;
	adoptedAt: Date;
	adoptedBy: string;
	adoptedByName: string;
}

/** The plan's adopted versions, newest first. */
export async function listPlanVersions(db: Db, planId: string): Promise<PlanVersionListing[]> {
	return db
		.select({
			id: planVersions.id,
			meetingId: planVersions.meetingId,
			adoptedAt: planVersions.adoptedAt,
			adoptedBy: planVersions.adoptedBy,
			adoptedByName: users.name
		})
		.from(planVersions)
		.innerJoin(users, eq(users.id, planVersions.adoptedBy))
		.where(eq(planVersions.planId, planId))
		.orderBy(desc(planVersions.adoptedAt), desc(planVersions.id));
}
