/**
 * How deeply shared types nest, counted as `LIMITS.depth` counts: a root is 1, and every shared type inside
 * another adds one (the `goals` root 1, a goal 2, its description 3, a paragraph 4, the paragraph's text 5).
 *
 * Every walk here is a loop over an explicit stack, never recursion: the structures it exists to catch (a
 * blockquote nested thousands of times) overflow the call stack of any recursive reader, which is exactly
 * what a rich-text editor's renderer is. Only live content counts; deleted types are skipped.
 */
import * as Y from 'yjs';
import { LIMITS } from './schema';

/** Any shared type; its event type does not matter here (and `unknown` would not accept the specific ones). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Shared = Y.AbstractType<any>;

/** The shared types directly inside `type`: list children (and embeds in text) and map values. */
function childTypes(type: Shared): Shared[] {
	const out: Shared[] = [];
	for (let item = type._start; item !== null; item = item.right) {
		if (!item.deleted && item.content instanceof Y.ContentType) out.push(item.content.type as Shared);
	}
	for (const item of type._map.values()) {
		if (!item.deleted && item.content instanceof Y.ContentType) out.push(item.content.type as Shared);
	}
	return out;
}

/** Where `type` sits: 1 for a root (or a type not in a document), one more per enclosing shared type. */
export function depthOf(type: Shared): number {
	let depth = 1;
	for (let item = type._item; item !== null;) {
		const parent = item.parent;
		if (!(parent instanceof Y.AbstractType)) break; // not integrated yet, or a GC'd parent: stop counting
		depth++;
		item = parent._item;
	}
	return depth;
}

/**
 * The depth (counted from the document's root, as `depthOf`) of the deepest live shared type in `type`,
 * `type` itself included. Stops as soon as something deeper than `stopAfter` is found and returns that depth,
 * so a caller that only needs a yes/no never walks more of a hostile structure than it must.
 */
export function deepestDepth(type: Shared, stopAfter = Number.POSITIVE_INFINITY): number {
	const start = depthOf(type);
	let deepest = start;
	const stack: Array<[Shared, number]> = [[type, start]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (depth > deepest) {
			deepest = depth;
			if (deepest > stopAfter) return deepest;
		}
		for (const child of childTypes(current)) stack.push([child, depth + 1]);
	}
	return deepest;
}

/** Whether anything in `type` (a rich-text fragment, an entity) nests deeper than the model allows. */
export function isTooDeep(type: Shared, limit: number = LIMITS.depth): boolean {
	return deepestDepth(type, limit) > limit;
}
