import * as Y from 'yjs';

/**
 * What an update would do to a document, worked out before it is applied: every struct it inserts and every
 * live item it deletes, each with where it sits (root, the map keys from the root down, nesting depth).
 * Nothing is applied and the document is not changed. The cost is a walk over the update's own structs plus,
 * per touched live item, a walk up to its root (memoised per shared type): proportional to the update, not to
 * the document.
 *
 * Yjs encodes an item's parent only when it has no neighbours; otherwise the parent (and map key) is inherited
 * from the neighbour it was inserted next to. So locations are resolved through origins, which may be items of
 * the live document or of the same update, in any order: resolution is iterative (an update may chain a hundred
 * thousand typed characters, each the origin of the next) and refuses cycles.
 */

/** How many keys from the root down a location keeps: the entity and its field are what rights are about. */
export const PATH_KEYS = 3;

/**
 * Where a shared type or an item sits. `path` holds the first `PATH_KEYS` map keys from the root down (`*` marks
 * a sequence position); deeper ones are not kept, so a location costs the same at any depth.
 */
export interface Location {
	root: string;
	path: readonly string[];
	/** Nesting depth of the shared type that holds the item: a root is 1. */
	depth: number;
}

export interface Touch {
	/** The type the item is in. */
	parent: Location;
	/** The item's key in a map (its field), or null in a sequence (text, array, XML children). */
	key: string | null;
}

export interface Insert extends Touch {
	item: Y.Item;
	/** The update deletes the whole item itself (set and overwritten, typed and erased): it changes nothing. */
	deletedByUpdate: boolean;
}

export interface Delete extends Touch {
	item: Y.Item;
}

export type Inspection =
	| {
			kind: 'ok';
			inserts: Insert[];
			/** Live items this update deletes (items it inserts and deletes itself are only in `inserts`). */
			deletes: Delete[];
	  }
	/** It depends on structs the document does not have yet (Yjs would hold it pending): nothing was checked. */
	| { kind: 'missing' }
	/** References that cannot be resolved the way Yjs would (a parent that is no type, a cycle). */
	| { kind: 'malformed'; why: string };

type Struct = Y.Item | Y.GC | Y.Skip;
// Yjs types are parameterised by their event type; any shared type will do here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SharedType = Y.AbstractType<any>;

/** An item whose location cannot exist: Yjs turns it into garbage when it integrates, so it changes nothing. */
const DEAD = Symbol('dead');
type Resolved = Touch | typeof DEAD;

class Malformed extends Error {}
class Missing extends Error {}

/** The update's structs of one client, in clock order, found by clock with a binary search. */
class UpdateStructs {
	private readonly byClient = new Map<number, Struct[]>();

	constructor(structs: Struct[]) {
		for (const s of structs) {
			const list = this.byClient.get(s.id.client);
			if (list) list.push(s);
			else this.byClient.set(s.id.client, [s]);
		}
	}

	clients(): IterableIterator<[number, Struct[]]> {
		return this.byClient.entries();
	}

	find(client: number, clock: number): Struct | null {
		const list = this.byClient.get(client);
		if (!list) return null;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = list[mid];
			if (clock < s.id.clock) hi = mid - 1;
			else if (clock >= s.id.clock + s.length) lo = mid + 1;
			else return s instanceof Y.Skip ? null : s;
		}
		return null;
	}
}

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
	const { structs, ds } = Y.decodeUpdate(update) as { structs: Struct[]; ds: ReturnType<typeof Y.decodeUpdate>['ds'] };
	const store = doc.store;
	const own = new UpdateStructs(structs);
	const live = new LiveLocations(doc);

	// A client's structs must continue where the document's state for that client ends (or overlap it).
	for (const [client, list] of own.clients()) {
		let known = Y.getState(store, client);
		for (const s of list) {
			if (s instanceof Y.Skip) continue;
			if (s.id.clock > known) return { kind: 'missing' };
			known = Math.max(known, s.id.clock + s.length);
		}
	}

	/** The struct with this id: live (possibly garbage-collected), in the update, or missing. */
	const lookup = (id: Y.ID): { live: Y.Item | Y.GC } | { own: Struct } => {
		if (id.clock < Y.getState(store, id.client)) return { live: Y.getItem(store, id) as Y.Item | Y.GC };
		const s = own.find(id.client, id.clock);
		if (!s) throw new Missing();
		return { own: s };
	};

	const resolved = new Map<Y.Item, Resolved>();

	/**
	 * Where an update item sits. Iterative: a pending stack of items whose dependency (parent item or the
	 * neighbour it inherits its parent from) is itself an unresolved update item.
	 */
	const locate = (start: Y.Item): Resolved => {
		const stack: Y.Item[] = [start];
		const visiting = new Set<Y.Item>();
		while (stack.length > 0) {
			const item = stack[stack.length - 1];
			if (resolved.has(item)) {
				stack.pop();
				continue;
			}
			const step = resolveStep(item);
			if (step instanceof Y.Item) {
				if (visiting.has(step)) throw new Malformed('cyclic references');
				visiting.add(item);
				stack.push(step);
				continue;
			}
			resolved.set(item, step);
			visiting.delete(item);
			stack.pop();
		}
		return resolved.get(start) as Resolved;
	};

	/** Either the answer for `item`, or the update item it depends on (resolve that first). */
	const resolveStep = (item: Y.Item): Resolved | Y.Item => {
		const parent = item.parent as unknown;
		if (typeof parent === 'string') return { parent: live.root(parent), key: item.parentSub };
		if (parent instanceof Y.ID) {
			const found = lookup(parent);
			if ('live' in found) {
				if (!(found.live instanceof Y.Item)) return DEAD;
				if (!(found.live.content instanceof Y.ContentType)) throw new Malformed('parent is not a shared type');
				return { parent: live.typeLocation(found.live.content.type), key: item.parentSub };
			}
			const p = found.own;
			if (!(p instanceof Y.Item)) return DEAD;
			if (!(p.content instanceof Y.ContentType)) throw new Malformed('parent is not a shared type');
			const at = resolved.get(p);
			if (at === undefined) return p;
			if (at === DEAD) return DEAD;
			return { parent: childLocation(at), key: item.parentSub };
		}
		// No parent written: it is the parent (and key) of the neighbour the item was inserted next to.
		const neighbour = item.origin ?? item.rightOrigin;
		if (!neighbour) throw new Malformed('item without parent or neighbours');
		const found = lookup(neighbour);
		if ('live' in found) return found.live instanceof Y.Item ? live.itemTouch(found.live) : DEAD;
		const n = found.own;
		if (!(n instanceof Y.Item)) return DEAD;
		return resolved.get(n) ?? n;
	};

	try {
		const ownDeletes = new CoveredRanges(ds.clients, (client) => Y.getState(store, client));
		const inserts: Insert[] = [];
		for (const s of structs) {
			if (!(s instanceof Y.Item)) continue;
			// Entirely known already: Yjs skips it.
			if (s.id.clock + s.length <= Y.getState(store, s.id.client)) continue;
			// Its neighbours and parent must exist even when it turns out dead.
			for (const ref of [s.origin, s.rightOrigin]) if (ref) lookup(ref);
			const at = locate(s);
			if (at !== DEAD)
				inserts.push({ ...at, item: s, deletedByUpdate: ownDeletes.covers(s.id.client, s.id.clock, s.length) });
		}

		const deletes: Delete[] = [];
		for (const [client, ranges] of ds.clients) {
			const state = Y.getState(store, client);
			const structsOfClient = store.clients.get(client);
			for (const { clock, len } of ranges) {
				const end = clock + len;
				// The part the document has: its live items.
				if (structsOfClient && clock < state) {
					for (let i = Y.findIndexSS(structsOfClient, clock); i < structsOfClient.length; i++) {
						const s = structsOfClient[i];
						if (s.id.clock >= end) break;
						if (s instanceof Y.Item && !s.deleted) deletes.push({ ...live.itemTouch(s), item: s });
					}
				}
				// The rest must be structs of this update (inserted and deleted at once), clock by clock.
				for (let c = Math.max(clock, state); c < end;) {
					const s = own.find(client, c);
					if (!s) return { kind: 'missing' };
					c = s.id.clock + s.length;
				}
			}
		}
		return { kind: 'ok', inserts, deletes };
	} catch (err) {
		if (err instanceof Missing) return { kind: 'missing' };
		if (err instanceof Malformed) return { kind: 'malformed', why: err.message };
		throw err;
	}
}

/**
 * The clock ranges an update deletes among its own new structs, per client, sorted and merged: a client may send
 * its ranges in any order or overlapping, so Yjs' own binary search over them (which trusts the order) is not used.
 */
class CoveredRanges {
	private readonly byClient = new Map<number, Array<[number, number]>>();

	constructor(clients: Map<number, Array<{ clock: number; len: number }>>, known: (client: number) => number) {
		for (const [client, ranges] of clients) {
			const from = known(client);
			const sorted = ranges
				.map(({ clock, len }): [number, number] => [Math.max(clock, from), clock + len])
				.filter(([a, b]) => b > a)
				.sort((x, y) => x[0] - y[0]);
			const merged: Array<[number, number]> = [];
			for (const [a, b] of sorted) {
				const last = merged[merged.length - 1];
				if (last && a <= last[1]) last[1] = Math.max(last[1], b);
				else merged.push([a, b]);
			}
			if (merged.length > 0) this.byClient.set(client, merged);
		}
	}

	/** Whether [clock, clock + len) lies wholly inside one merged range. */
	covers(client: number, clock: number, len: number): boolean {
		const list = this.byClient.get(client);
		if (!list) return false;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const [a, b] = list[mid];
			if (clock < a) hi = mid - 1;
			else if (clock >= b) lo = mid + 1;
			else return clock + len <= b;
		}
		return false;
	}
}

/** The location of the shared type an item creates. */
function childLocation(at: Touch): Location {
	const path = at.parent.path.length < PATH_KEYS ? [...at.parent.path, at.key ?? '*'] : at.parent.path;
	return { root: at.parent.root, path, depth: at.parent.depth + 1 };
}

/** Locations of the live document's types, memoised: each type is walked up to its root once per inspection. */
class LiveLocations {
	private readonly types = new Map<SharedType, Location>();
	private rootNames: Map<SharedType, string> | null = null;

	constructor(private readonly doc: Y.Doc) {}

	root(name: string): Location {
		return { root: name, path: [], depth: 1 };
	}

	itemTouch(item: Y.Item): Touch {
		return { parent: this.typeLocation(item.parent as SharedType), key: item.parentSub };
	}

	typeLocation(type: SharedType): Location {
		const known = this.types.get(type);
		if (known) return known;
		// Walk up to the first type whose location is known, or to the root; then fill in on the way back.
		const chain: SharedType[] = [];
		let t: SharedType = type;
		let base: Location | undefined;
		for (;;) {
			base = this.types.get(t);
			if (base) break;
			const item = t._item;
			if (!item) {
				base = this.root(this.rootName(t));
				this.types.set(t, base);
				break;
			}
			chain.push(t);
			t = item.parent as SharedType;
		}
		for (let i = chain.length - 1; i >= 0; i--) {
			const child = chain[i];
			base = childLocation({ parent: base, key: (child._item as Y.Item).parentSub });
			this.types.set(child, base);
		}
		return base;
	}

	private rootName(type: SharedType): string {
		if (!this.rootNames) {
			this.rootNames = new Map();
			for (const [name, t] of this.doc.share) this.rootNames.set(t, name);
		}
		return this.rootNames.get(type) ?? '';
	}
}
