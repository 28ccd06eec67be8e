/**
 * Ordered entity collections: a Y.Map<id, Y.Map> whose entries carry a fractional `order` key.
 * Yjs has no move, and array positions shift under concurrent edits; a key per entity does not.
 */
import type * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { compareOrdered, isOrderKey, keyBetween } from './order';
import { asMap } from './normalise';
import { FIELD } from './schema';

/** Where to put an entity: at an end, or right before / right after a sibling (`before` wins if both). */
export type Placement = 'start' | 'end' | { before?: string; after?: string };

export interface OrderedEntry {
	id: string;
	order: string | null;
	map: Y.Map<unknown>;
}

/** The Y.Map entries of `root` (non-maps skipped), sorted by order key then id. */
export function sortedEntries(
	root: Y.Map<unknown>,
	keep: (entity: Y.Map<unknown>, id: string) => boolean = () => true
): OrderedEntry[] {
	const out: OrderedEntry[] = [];
	root.forEach((value, id) => {
		const map = asMap(value);
		if (!map || !keep(map, id)) return;
		const order = map.get(FIELD.order);
		out.push({ id, order: isOrderKey(order) ? order : null, map });
	});
	return out.sort(compareOrdered);
}

/** The referenced sibling of a placement, if it names one. */
export function placementReference(placement: Placement | undefined): string | undefined {
	if (placement === undefined || typeof placement === 'string') return undefined;
	return placement.before ?? placement.after;
}

/** Index in `siblings` (which must not contain the entity being placed) to insert at. Validates references. */
export function placementIndex(siblings: OrderedEntry[], placement: Placement | undefined): number {
	if (placement === undefined || placement === 'end') return siblings.length;
	if (placement === 'start') return 0;
	if (typeof placement !== 'object' || placement === null) {
		throw new PlanValidationError('unknown_reference', 'placement must be start, end, before or after', 'at');
	}
	const ref = placement.before ?? placement.after;
	if (ref === undefined) return siblings.length;
	const i = siblings.findIndex((s) => s.id === ref);
	if (i < 0) throw new PlanValidationError('unknown_reference', `no sibling with id ${ref} to place next to`, 'at');
	return placement.before !== undefined ? i : i + 1;
}

/**
 * A fresh key that sorts at `index` among `siblings`. Must run inside the mutation's transaction:
 * when neighbours have no room (an invalid key, or two equal keys from concurrent inserts) it
 * re-keys those neighbours, keeping their relative order, so the new key can sit strictly between.
 */
export function orderKeyAt(siblings: OrderedEntry[], index: number): string {
	let previous: string | null = null;
	for (const s of siblings) {
		if (s.order === null) {
			// Invalid keys sort last; give them real keys after the last valid one.
			s.order = keyBetween(previous, null);
			s.map.set(FIELD.order, s.order);
		}
		previous = s.order;
	}
	const lower = index > 0 ? siblings[index - 1].order : null;
	const upper = index < siblings.length ? siblings[index].order : null;
	if (lower === null || upper === null || lower < upper) return keyBetween(lower, upper);

	// lower === upper: push the tied run that follows the gap up between `lower` and the next key.
	let end = index;
	while (end < siblings.length && siblings[end].order === lower) end++;
	const next = end < siblings.length ? siblings[end].order : null;
	const key = keyBetween(lower, next);
	let k = key;
	for (let i = index; i < end; i++) {
		k = keyBetween(k, next);
		siblings[i].order = k;
		siblings[i].map.set(FIELD.order, k);
	}
	return key;
}
