import * as Y from 'yjs';
import { REFUSAL, type RefusalReason } from '../../../sync/close-codes';
import { LIMITS, ROOT_SHAPES, type LiveDocKind } from '../../../plan/schema';
import type { Inspection } from './inspect';

export interface StructureLimits {
	/** Deepest shared type, a root being 1. */
	maxDepth: number;
	/** Longest single string, JSON value or binary (in characters or bytes). */
	maxValueSize: number;
}

export const DEFAULT_STRUCTURE_LIMITS: StructureLimits = {
	maxDepth: LIMITS.depth,
	// A whole pasted page of text in one go; plan fields are far shorter (LIMITS in the plan schema).
	maxValueSize: 64 * 1024
};

/**
 * Structure the plan model can hold: only the document kind's own roots, each used in its shape (a map takes
 * keyed entries, a fragment takes children), shared types no deeper than `maxDepth`, no value bigger than
 * `maxValueSize`, and no embedded sub-documents. Returns the reason for the first violation, or null.
 * Deletions are always allowed here: removing something never makes a document harder to hold.
 */
export function checkStructure(
	inspection: Extract<Inspection, { kind: 'ok' }>,
	kind: LiveDocKind,
	limits = DEFAULT_STRUCTURE_LIMITS
): RefusalReason | null {
	const shapes = ROOT_SHAPES[kind];
	for (const { parent, key, item } of inspection.inserts) {
		const shape = shapes[parent.root];
		if (!shape) return REFUSAL.unknownRoot;
		// Directly under a root: a map root takes keyed entries, a fragment root takes children.
		if (parent.depth === 1 && (shape === 'map') !== (key !== null)) return REFUSAL.unknownRoot;
		const content = item.content;
		if (content instanceof Y.ContentType) {
			if (parent.depth + 1 > limits.maxDepth) return REFUSAL.tooDeep;
			const type = content.type as { nodeName?: unknown; hookName?: unknown };
			if (tooLong(type.nodeName, 100) || tooLong(type.hookName, 100)) return REFUSAL.valueTooLarge;
		} else if (content instanceof Y.ContentDoc) {
			return REFUSAL.unsupported;
		} else if (content instanceof Y.ContentString) {
			if (content.str.length > limits.maxValueSize) return REFUSAL.valueTooLarge;
		} else if (content instanceof Y.ContentBinary) {
			if (content.content.byteLength > limits.maxValueSize) return REFUSAL.valueTooLarge;
		} else if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
			for (const value of content.arr) {
				const why = checkValue(value, limits);
				if (why) return why;
			}
		} else if (content instanceof Y.ContentEmbed) {
			const why = checkValue(content.embed, limits);
			if (why) return why;
		} else if (content instanceof Y.ContentFormat) {
			if (tooLong(content.key, 100)) return REFUSAL.valueTooLarge;
			const why = checkValue(content.value, limits);
			if (why) return why;
		}
	}
	return null;
}

function tooLong(value: unknown, max: number): boolean {
	return typeof value === 'string' && value.length > max;
}

/**
 * A JSON-like value: nested no deeper than `maxDepth` and no bigger than `maxValueSize` once serialised.
 * Walked with an explicit stack, so a hostile nesting cannot overflow ours.
 */
function checkValue(value: unknown, limits: StructureLimits): RefusalReason | null {
	const stack: Array<[unknown, number]> = [[value, 1]];
	let size = 0;
	while (stack.length > 0) {
		const [v, depth] = stack.pop() as [unknown, number];
		if (depth > limits.maxDepth) return REFUSAL.tooDeep;
		if (typeof v === 'string') size += v.length + 2;
		else if (v instanceof Uint8Array) size += v.byteLength;
		else if (Array.isArray(v)) {
			size += 2;
			for (const x of v) stack.push([x, depth + 1]);
		} else if (v !== null && typeof v === 'object') {
			size += 2;
			for (const [k, x] of Object.entries(v)) {
				size += k.length + 3;
				stack.push([x, depth + 1]);
			}
		} else size += 8;
		if (size > limits.maxValueSize) return REFUSAL.valueTooLarge;
	}
	return null;
}
