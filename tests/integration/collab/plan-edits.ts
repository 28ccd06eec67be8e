/**
 * Edits shaped as the app makes them, for tests about syncing, storing and refusing rather than about the plan
 * model: a goal's title as a marker, typing into a goal's description (or the patient's own words).
 * The sync server refuses roots and shapes the model does not have, so tests write real plan structure.
 */
import * as Y from 'yjs';
import { addGoal, addOwnResource, getGoal, getWhatMatters, listOwnResources, updateGoal } from '../../../src/lib/plan';

/** The goal whose description the typing helpers write into. */
const NOTES = 'notes';

/** Sets goal `key`'s title to `value`, creating the goal the first time. */
export function setMark(doc: Y.Doc, key: string, value: string): void {
	if (getGoal(doc, key)) updateGoal(doc, key, { title: value });
	else addGoal(doc, { id: key, lifeArea: 'housing', title: value, expressedBy: 'staff' });
}

export function getMark(doc: Y.Doc, key: string): string | undefined {
	return getGoal(doc, key)?.title;
}

/** The text of the first paragraph of a rich-text fragment, created on first use (call inside a transaction). */
function paragraphText(fragment: Y.XmlFragment): Y.XmlText {
	const first = fragment.get(0);
	if (first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText) return first.get(0) as Y.XmlText;
	const text = new Y.XmlText();
	const paragraph = new Y.XmlElement('paragraph');
	fragment.insert(0, [paragraph]);
	paragraph.insert(0, [text]);
	return text;
}

/** The notes goal's description, the goal created on first use (call inside a transaction). */
function notes(doc: Y.Doc): Y.XmlFragment {
	if (!getGoal(doc, NOTES))
		addGoal(doc, { id: NOTES, lifeArea: 'mental_health', title: 'Notater', expressedBy: 'staff' });
	return getGoal(doc, NOTES)!.description!;
}

/** Types into the notes goal's description, at `at` (default: the end); one update. */
export function typeText(doc: Y.Doc, text: string, at?: number): void {
	doc.transact(() => {
		const t = paragraphText(notes(doc));
		t.insert(at ?? t.length, text);
	});
}

export function deleteText(doc: Y.Doc, at: number, length: number): void {
	doc.transact(() => paragraphText(notes(doc)).delete(at, length));
}

export function readText(doc: Y.Doc): string {
	const first = getGoal(doc, NOTES)?.description?.get(0);
	return first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText
		? (first.get(0) as Y.XmlText).toString()
		: '';
}

/** Types into the patient's "what matters to me" (the voice document). */
export function typeVoice(doc: Y.Doc, text: string, at = 0): void {
	doc.transact(() => paragraphText(getWhatMatters(doc)).insert(at, text));
}

export function readVoice(doc: Y.Doc): string {
	const first = getWhatMatters(doc).get(0);
	return first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText
		? (first.get(0) as Y.XmlText).toString()
		: '';
}

export function addOwnResourceMark(doc: Y.Doc, id: string, text: string): void {
	addOwnResource(doc, { id, text });
}

export function ownResourceText(doc: Y.Doc, id: string): string | undefined {
	return listOwnResources(doc).find((g) => g.id === id)?.text;
}
