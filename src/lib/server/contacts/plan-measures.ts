import * as Y from 'yjs';
import { listAllMeasures, planDocName } from '../../plan';
import type { CollabServer } from '../collab';

/** The plan's measures now, id → title, from the live document (a measure id a client sends must be one of them). */
export async function planMeasureTitles(
	collab: Pick<CollabServer, 'readDocState'>,
	planId: string
): Promise<Map<string, string>> {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, await collab.readDocState(planDocName(planId)));
		return new Map(listAllMeasures(doc).map((m) => [m.id, m.title]));
	} finally {
		doc.destroy();
	}
}
