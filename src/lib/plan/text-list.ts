/** Ordered lists of short texts (warning signs, own resources), each entry a Y.Map{text, order}. */
import * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { newId } from './ids';
import { readString } from './normalise';
import { orderKeyAt, placementIndex, placementReference, sortedEntries, type Placement } from './ordered-map';
import { FIELD, LIMITS } from './schema';
import { requireLine, requireNewId } from './validate';

export interface TextEntry {
	id: string;
	text: string;
	order: string;
}

export interface NewTextEntry {
	id?: string;
	text: string;
	at?: Placement;
}

/** Entries in order; entries without text are damaged and skipped. */
export function readTextEntries(root: Y.Map<unknown>): TextEntry[] {
	return sortedEntries(root)
		.map((e) => ({ id: e.id, text: readString(e.map.get('text'), LIMITS.shortText), order: e.order ?? '' }))
		.filter((e) => e.text.length > 0);
}

export function requireEntry(root: Y.Map<unknown>, id: string): Y.Map<unknown> {
	const value = root.get(id);
	if (!(value instanceof Y.Map) || readString(value.get('text'), LIMITS.shortText).length === 0) {
		throw new PlanValidationError('not_found', `no entry with id ${id}`, 'id');
	}
	return value as Y.Map<unknown>;
}

/** Readable siblings of an entry, as placement candidates (damaged entries are not places to anchor). */
function siblingsOf(root: Y.Map<unknown>, exceptId?: string) {
	return sortedEntries(root, (m, id) => id !== exceptId && readString(m.get('text'), LIMITS.shortText).length > 0);
}

export function insertTextEntry(doc: Y.Doc, root: Y.Map<unknown>, input: NewTextEntry, origin?: unknown): string {
	const id = input.id === undefined ? newId() : requireNewId(input.id, (k) => root.has(k));
	const text = requireLine(input.text, 'text', 'empty_text', LIMITS.shortText);
	const siblings = siblingsOf(root);
	const index = placementIndex(siblings, input.at);
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		root.set(id, entry);
		entry.set('text', text);
		entry.set(FIELD.order, orderKeyAt(siblings, index));
	}, origin);
	return id;
}

export function updateTextEntry(doc: Y.Doc, root: Y.Map<unknown>, id: string, text: string, origin?: unknown): void {
	const entry = requireEntry(root, id);
	const clean = requireLine(text, 'text', 'empty_text', LIMITS.shortText);
	if (entry.get('text') === clean) return;
	doc.transact(() => entry.set('text', clean), origin);
}

export function moveTextEntry(doc: Y.Doc, root: Y.Map<unknown>, id: string, to: Placement, origin?: unknown): void {
	const entry = requireEntry(root, id);
	if (placementReference(to) === id) return;
	const siblings = siblingsOf(root, id);
	const index = placementIndex(siblings, to);
	doc.transact(() => entry.set(FIELD.order, orderKeyAt(siblings, index)), origin);
}

export function removeTextEntry(doc: Y.Doc, root: Y.Map<unknown>, id: string, origin?: unknown): boolean {
	if (!root.has(id)) return false;
	doc.transact(() => root.delete(id), origin);
	return true;
}

/** The five operations of one list, bound to the root that holds it (warning signs, own resources). */
export function textListOf(root: (doc: Y.Doc) => Y.Map<unknown>) {
	return {
		list: (doc: Y.Doc): TextEntry[] => readTextEntries(root(doc)),
		add: (doc: Y.Doc, input: NewTextEntry, origin?: unknown): string => insertTextEntry(doc, root(doc), input, origin),
		update: (doc: Y.Doc, id: string, text: string, origin?: unknown): void =>
			updateTextEntry(doc, root(doc), id, text, origin),
		move: (doc: Y.Doc, id: string, to: Placement, origin?: unknown): void =>
			moveTextEntry(doc, root(doc), id, to, origin),
		remove: (doc: Y.Doc, id: string, origin?: unknown): boolean => removeTextEntry(doc, root(doc), id, origin)
	};
}
