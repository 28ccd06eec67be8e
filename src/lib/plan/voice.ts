/**
 * The patient's own voice ("Hva er viktig for meg", own goals, own resources), in its own document
 * so that only the patient (or a guardian acting for them) can write it; members only read.
 */
import type * as Y from 'yjs';
import { ownGoalsRoot, ownResourcesRoot, whatMattersRoot } from './roots';
import { textListOf, type TextEntry } from './text-list';

export interface Voice {
	whatMatters: Y.XmlFragment;
	ownGoals: TextEntry[];
	ownResources: TextEntry[];
}

export function getWhatMatters(doc: Y.Doc): Y.XmlFragment {
	return whatMattersRoot(doc);
}

const ownGoals = textListOf(ownGoalsRoot);
export const listOwnGoals = ownGoals.list;
export const addOwnGoal = ownGoals.add;
export const updateOwnGoal = ownGoals.update;
export const moveOwnGoal = ownGoals.move;
export const removeOwnGoal = ownGoals.remove;

const ownResources = textListOf(ownResourcesRoot);
export const listOwnResources = ownResources.list;
export const addOwnResource = ownResources.add;
export const updateOwnResource = ownResources.update;
export const moveOwnResource = ownResources.move;
export const removeOwnResource = ownResources.remove;

export function readVoice(doc: Y.Doc): Voice {
	return {
		whatMatters: getWhatMatters(doc),
		ownGoals: listOwnGoals(doc),
		ownResources: listOwnResources(doc)
	};
}
