/**
 * Rich text as stored by y-prosemirror (XmlElement per node, named after the ProseMirror node type,
 * XmlText holding the text with marks as formatting attributes), and its plain-JSON form.
 */
import * as Y from 'yjs';
import { isRecord } from './normalise';

export type RichTextAttrValue = string | number | boolean | null;

export interface RichTextMark {
	type: string;
	attrs?: Record<string, RichTextAttrValue>;
}

/** ProseMirror-JSON-like node; the root is `{ type: 'doc' }`. */
export interface RichTextNode {
	type: string;
	content?: RichTextNode[];
	text?: string;
	marks?: RichTextMark[];
	attrs?: Record<string, RichTextAttrValue>;
}

/** Deeper trees are cut off: no editor produces them, and recursion must not be a weapon. */
export const MAX_RICH_TEXT_DEPTH = 48;

/**
 * Replace a fragment's content with one paragraph per string (server-side seeding, imports).
 * Runs in one transaction of the fragment's document when it has one.
 */
export function setRichTextFromParagraphs(
	fragment: Y.XmlFragment,
	paragraphs: readonly string[],
	origin?: unknown
): void {
	const write = () => {
		if (fragment.length > 0) fragment.delete(0, fragment.length);
		const nodes = paragraphs.map((text) => {
			const paragraph = new Y.XmlElement('paragraph');
			if (text.length > 0) paragraph.insert(0, [new Y.XmlText(text)]);
			return paragraph;
		});
		if (nodes.length > 0) fragment.insert(0, nodes);
	};
	if (fragment.doc) fragment.doc.transact(write, origin);
	else write();
}

function cleanAttrs(raw: unknown): Record<string, RichTextAttrValue> | undefined {
	if (!isRecord(raw)) return undefined;
	const out: Record<string, RichTextAttrValue> = {};
	// Sorted keys: the local insertion order of attributes differs between clients, the JSON must not.
	for (const key of Object.keys(raw).sort()) {
		const v = raw[key];
		if (
			v === null ||
			typeof v === 'string' ||
			typeof v === 'boolean' ||
			(typeof v === 'number' && Number.isFinite(v))
		) {
			out[key] = v;
		}
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/** y-prosemirror suffixes marks that may overlap (e.g. comments) with `--<hash>`. */
const MARK_HASH_SUFFIX = /--[a-zA-Z0-9+/=]{8}$/;

function marksOf(attributes: unknown): RichTextMark[] | undefined {
	if (!isRecord(attributes)) return undefined;
	const marks: RichTextMark[] = [];
	for (const key of Object.keys(attributes).sort()) {
		const mark: RichTextMark = { type: key.replace(MARK_HASH_SUFFIX, '') };
		const attrs = cleanAttrs(attributes[key]);
		if (attrs) mark.attrs = attrs;
		marks.push(mark);
	}
	return marks.length > 0 ? marks : undefined;
}

function textNodes(text: Y.XmlText): RichTextNode[] {
	const out: RichTextNode[] = [];
	for (const op of text.toDelta() as Array<{ insert?: unknown; attributes?: unknown }>) {
		if (typeof op.insert !== 'string' || op.insert.length === 0) continue; // embeds are not part of our schema
		const node: RichTextNode = { type: 'text', text: op.insert };
		const marks = marksOf(op.attributes);
		if (marks) node.marks = marks;
		const last = out[out.length - 1];
		// Merge runs with identical marks so segmentation never depends on how updates arrived.
		if (last && JSON.stringify(last.marks) === JSON.stringify(node.marks)) last.text += op.insert;
		else out.push(node);
	}
	return out;
}

function childNodes(parent: Y.XmlFragment, depth: number): RichTextNode[] {
	const out: RichTextNode[] = [];
	if (depth > MAX_RICH_TEXT_DEPTH) return out;
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlElement) {
			const node: RichTextNode = { type: child.nodeName };
			const attrs = cleanAttrs(child.getAttributes());
			if (attrs) node.attrs = attrs;
			const content = childNodes(child, depth + 1);
			if (content.length > 0) node.content = content;
			out.push(node);
		} else if (child instanceof Y.XmlText) {
			out.push(...textNodes(child));
		}
		// XmlHook and anything else: not part of the editor schema, skipped.
	}
	return out;
}

/** Plain-JSON tree of a fragment; an absent fragment reads as an empty document. Never throws. */
export function fragmentToRichText(fragment: Y.XmlFragment | null | undefined): RichTextNode {
	const root: RichTextNode = { type: 'doc' };
	if (!fragment) return root;
	const content = childNodes(fragment, 1);
	if (content.length > 0) root.content = content;
	return root;
}

/** Whether a fragment holds no text at all (an empty paragraph counts as empty). */
export function isRichTextEmpty(node: RichTextNode): boolean {
	if (typeof node.text === 'string' && node.text.trim().length > 0) return false;
	return (node.content ?? []).every(isRichTextEmpty);
}
