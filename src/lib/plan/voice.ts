/**
 * The patient's own voice ("Hva er viktig for meg", own resources), in its own document so that only the
 * patient (or a guardian acting for them) can write it; members only read. The patient's goals are not here:
 * they are goals of the plan, expressed by the patient (`goals.ts`), so there is one list of goals.
 */
import type * as Y from 'yjs';
import { ownResourcesRoot, whatMattersRoot } from './roots';
import { textListOf, type TextEntry } from './text-list';

export interface Voice {
	whatMatters: Y.XmlFragment;
	ownResources: TextEntry[];
}

export function getWhatMatters(doc: Y.Doc): Y.XmlFragment {
	return whatMattersRoot(doc);
}

const ownResources = textListOf(ownResourcesRoot);
export const listOwnResources = ownResources.list;
export const addOwnResource = ownResources.add;
export const updateOwnResource = ownResources.update;
export const moveOwnResource = ownResources.move;
export const removeOwnResource = ownResources.remove;

export function readVoice(doc: Y.Doc): Voice {
	return {
		whatMatters: getWhatMatters(doc),
		ownResources: listOwnResources(doc)
	};
}
