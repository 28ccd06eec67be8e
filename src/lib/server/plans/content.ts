import * as Y from 'yjs';
import { DOC_KINDS, DOC_PREFIX, renderPlan, type DocKind, type PlanContent } from '../../plan';
import type { CollabServer } from '../collab';

/**
 * The plan's current content as JSON, for rendering on the server: only the documents `kinds` names are read (the
 * parts consent does not cover are never loaded), from memory if they are open, else from storage.
 */
export async function loadPlanContent(
	collab: Pick<CollabServer, 'readDocState'>,
	planId: string,
	kinds: readonly DocKind[] = DOC_KINDS
): Promise<PlanContent> {
	const docs: Partial<Record<DocKind, Y.Doc>> = {};
	await Promise.all(
		kinds.map(async (kind) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, await collab.readDocState(DOC_PREFIX[kind] + planId));
			docs[kind] = doc;
		})
	);
	try {
		return renderPlan(docs);
	} finally {
		for (const doc of Object.values(docs)) doc.destroy();
	}
}
