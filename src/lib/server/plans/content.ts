import * as Y from 'yjs';
import { planDocName, renderPlan, voiceDocName, type PlanContent } from '../../plan';
import type { CollabServer } from '../collab';

/** The plan's current content as JSON, for rendering on the server: from memory if the documents are open, else from storage. */
export async function loadPlanContent(collab: Pick<CollabServer, 'readDocState'>, planId: string): Promise<PlanContent> {
	const [planState, voiceState] = await Promise.all([collab.readDocState(planDocName(planId)), collab.readDocState(voiceDocName(planId))]);
	const planDoc = new Y.Doc();
	const voiceDoc = new Y.Doc();
	try {
		Y.applyUpdate(planDoc, planState);
		Y.applyUpdate(voiceDoc, voiceState);
		return renderPlan(planDoc, voiceDoc);
	} finally {
		planDoc.destroy();
		voiceDoc.destroy();
	}
}
