/** The minutes of a meeting as stored, for the server-rendered (and printed) page: rich text as JSON. */
import * as Y from 'yjs';
import { fragmentToRichText, meetingDocName, MEETING_ROOT, type RichTextNode } from '../../plan';
import type { CollabServer } from '../collab';

export async function readMinutes(
	collab: Pick<CollabServer, 'readDocState'>,
	meetingId: string
): Promise<RichTextNode> {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, await collab.readDocState(meetingDocName(meetingId)));
		return fragmentToRichText(doc.getXmlFragment(MEETING_ROOT.minutes));
	} finally {
		doc.destroy();
	}
}
