import * as Y from 'yjs';
import { applyStoredDoc, type DocStore } from './doc-store';

export interface CompactionResult {
	throughId: number;
	/** How many stored updates the new snapshot folded in. */
	folded: number;
}

/**
 * Folds the stored tail into a new snapshot. Built from the store, not from the live document, so the
 * snapshot holds exactly what is stored through `throughId` (the live document may lack updates another
 * node stored, or hold some not yet stored). Applying to a `Y.Doc` and re-encoding keeps the cost linear and
 * lets Yjs garbage-collect deleted content; `Y.mergeUpdates` over many updates is superlinear and keeps it.
 * Rows in `doc_updates` stay: they are the attribution history.
 */
export async function compactDocument(store: DocStore, docName: string): Promise<CompactionResult | null> {
	const stored = await store.load(docName);
	if (stored.updates.length === 0) return null;
	const doc = new Y.Doc({ gc: true });
	try {
		applyStoredDoc(doc, stored);
		const throughId = stored.updates[stored.updates.length - 1].id;
		await store.saveSnapshot(docName, Y.encodeStateAsUpdate(doc), throughId);
		return { throughId, folded: stored.updates.length };
	} finally {
		doc.destroy();
	}
}
