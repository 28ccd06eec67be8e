/**
 * The patient's own voice ("Hva er viktig for meg", own goals, own resources), in its own document
 * so that only the patient (or a guardian acting for them) can write it; members only read.
 */
import type * as Y from 'yjs';
import type { Placement } from './ordered-map';
import { ownGoalsRoot, ownResourcesRoot, whatMattersRoot } from './roots';
import {
	insertTextEntry,
	moveTextEntry,
	readTextEntries,
	removeTextEntry,
	updateTextEntry,
	type NewTextEntry,
	type TextEntry
} from './text-list';

export interface Voice {
	whatMatters: Y.XmlFragment;
	ownGoals: TextEntry[];
	ownResources: TextEntry[];
}

export function getWhatMatters(doc: Y.Doc): Y.XmlFragment {
	return whatMattersRoot(doc);
}

export function listOwnGoals(doc: Y.Doc): TextEntry[] {
	return readTextEntries(ownGoalsRoot(doc));
}

export function addOwnGoal(doc: Y.Doc, input: NewTextEntry, origin?: unknown): string {
	return insertTextEntry(doc, ownGoalsRoot(doc), input, origin);
}

export function updateOwnGoal(doc: Y.Doc, id: string, text: string, origin?: unknown): void {
	updateTextEntry(doc, ownGoalsRoot(doc), id, text, origin);
}

export function moveOwnGoal(doc: Y.Doc, id: string, to: Placement, origin?: unknown): void {
	moveTextEntry(doc, ownGoalsRoot(doc), id, to, origin);
}

export function removeOwnGoal(doc: Y.Doc, id: string, origin?: unknown): boolean {
	return removeTextEntry(doc, ownGoalsRoot(doc), id, origin);
}

export function listOwnResources(doc: Y.Doc): TextEntry[] {
	return readTextEntries(ownResourcesRoot(doc));
}

export function addOwnResource(doc: Y.Doc, input: NewTextEntry, origin?: unknown): string {
	return insertTextEntry(doc, ownResourcesRoot(doc), input, origin);
}

export function updateOwnResource(doc: Y.Doc, id: string, text: string, origin?: unknown): void {
	updateTextEntry(doc, ownResourcesRoot(doc), id, text, origin);
}

export function moveOwnResource(doc: Y.Doc, id: string, to: Placement, origin?: unknown): void {
	moveTextEntry(doc, ownResourcesRoot(doc), id, to, origin);
}

export function removeOwnResource(doc: Y.Doc, id: string, origin?: unknown): boolean {
	return removeTextEntry(doc, ownResourcesRoot(doc), id, origin);
}

export function readVoice(doc: Y.Doc): Voice {
	return {
		whatMatters: getWhatMatters(doc),
		ownGoals: listOwnGoals(doc),
		ownResources: listOwnResources(doc)
	};
}
