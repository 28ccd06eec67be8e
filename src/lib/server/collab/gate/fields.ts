import * as Y from 'yjs';
import { REFUSAL, type RefusalDetail, type RefusalReason } from '../../../sync/close-codes';
import { ROOT_SHAPES, type LiveDocKind } from '../../../plan/schema';
import {
	EVALUATION_FIELDS,
	EVALUATIONS_FIELD,
	MAP_ROOTS,
	type EntityKind,
	type FieldSpec,
	type MapRootSpec
} from '../../../plan/field-schema';
import {
	canCreateGoal,
	canCreateMeasure,
	canSetExpressedBy,
	canSetPerson,
	canSetProposal,
	canSetStatus,
	evaluationRights,
	goalRights,
	GOAL_FIELD_RIGHTS,
	isCoordinator,
	measureRights,
	MEASURE_FIELD_RIGHTS,
	type Actor,
	type GoalFacts,
	type MeasureFacts
} from '../../../plan/rights';
import type { Delete, Insert, Inspection } from './inspect';

export interface FieldRefusal {
	reason: RefusalReason;
	detail: RefusalDetail | null;
}

/**
 * Fields and rights: what an update changes, entity by entity and field by field, checked against the field
 * schema (`plan/field-schema.ts`: known keys, value types) and, in the plan document, against the rights table
 * (`plan/rights.ts`) for the actor who sent it. Works from the inspection alone plus reads of the touched
 * entities in the live document: proportional to the update.
 *
 * - Creating: the entity's values come from the update itself; a new measure is `requested` and unanswered, and
 *   whoever it names as its creator (or an evaluation's author) is the sender, or anyone when the coordinator puts
 *   back what an undo restores.
 * - Changing a field: its right is decided by the entity as it is now (before the update). Writing the value a
 *   field already has needs no right. Typing into a title's Y.Text or a description counts as changing it.
 * - Deleting an entity, or putting a new one in its place: the right to remove it.
 * Items the update inserts and deletes itself change nothing and need no right; they must still fit the schema.
 */
export function checkFields(
	doc: Y.Doc,
	kind: LiveDocKind,
	inspection: Extract<Inspection, { kind: 'ok' }>,
	actor: Actor | null
): FieldRefusal | null {
	const changes = new Changes(doc, kind);
	for (const insert of inspection.inserts) {
		const refusal = changes.insert(insert);
		if (refusal) return refusal;
	}
	// Entity deletes first: what is inside a removed entity goes with it.
	const rest: Delete[] = [];
	for (const d of inspection.deletes) {
		if (!changes.deleteEntity(d)) rest.push(d);
	}
	for (const d of rest) {
		const refusal = changes.delete(d);
		if (refusal) return refusal;
	}
	if (kind !== 'plan' || !actor) return changes.requiredFields();
	return changes.requiredFields() ?? changes.rights(actor);
}

const refuse = (
	reason: RefusalReason,
	entity: string,
	field: string | null = null,
	id: string | null = null
): FieldRefusal => ({
	reason,
	detail: { entity, field, id }
});
const notAllowed = (entity: EntityKind, field: string, id: string) => refuse(REFUSAL.notAllowed, entity, field, id);

/** One field of one entity, as the update changes it. */
interface FieldChange {
	/** Values the update may leave in the field (several only if it sets the key more than once and keeps them). */
	values: unknown[];
	/** Characters or rich text inside the field's shared type inserted or deleted. */
	edited: boolean;
	/** The field's current value deleted. */
	cleared: boolean;
}

interface EntityChange {
	spec: MapRootSpec;
	root: string;
	id: string;
	/** A new entity put at this id (a map the update keeps). */
	created: boolean;
	/** The entity now at this id goes: deleted, or replaced by a new one. */
	removed: boolean;
	fields: Map<string, FieldChange>;
	evaluations: Map<string, EntityChange>;
}

type Address =
	| { at: 'free' }
	| { at: 'entity'; entity: EntityChange }
	| { at: 'field'; entity: EntityChange; field: string; spec: FieldSpec }
	| { at: 'inside'; entity: EntityChange; field: string; spec: FieldSpec }
	| { at: 'refuse'; refusal: FieldRefusal };

/** Shared types the model never puts in a map slot (an XmlHook is a map, an XmlText a text, in Yjs' classes). */
const slotValue = (item: Y.Item): { value: unknown } | 'deleted' | null => {
	const c = item.content;
	if (c instanceof Y.ContentDeleted) return 'deleted';
	if (c instanceof Y.ContentType) return { value: c.type };
	if (c instanceof Y.ContentAny && c.arr.length === 1) return { value: c.arr[0] };
	return null;
};

class Changes {
	private readonly entities = new Map<string, EntityChange>();
	private readonly rootsOfKind: Readonly<Record<string, MapRootSpec>>;

	constructor(
		private readonly doc: Y.Doc,
		private readonly kind: LiveDocKind
	) {
		// A meeting's minutes hold one rich-text fragment and no map roots.
		this.rootsOfKind = kind === 'meeting' ? {} : MAP_ROOTS[kind];
	}

	private entity(spec: MapRootSpec, root: string, id: string): EntityChange {
		const key = `${root}\u0000${id}`;
		let e = this.entities.get(key);
		if (!e) {
			e = { spec, root, id, created: false, removed: false, fields: new Map(), evaluations: new Map() };
			this.entities.set(key, e);
		}
		return e;
	}

	private evaluation(goal: EntityChange, evalId: string): EntityChange {
		let e = goal.evaluations.get(evalId);
		if (!e) {
			e = {
				spec: { holds: 'entities', kind: 'evaluation', fields: EVALUATION_FIELDS },
				root: goal.root,
				id: evalId,
				created: false,
				removed: false,
				fields: new Map(),
				evaluations: new Map()
			};
			goal.evaluations.set(evalId, e);
		}
		return e;
	}

	private field(entity: EntityChange, field: string): FieldChange {
		let f = entity.fields.get(field);
		if (!f) {
			f = { values: [], edited: false, cleared: false };
			entity.fields.set(field, f);
		}
		return f;
	}

	/** Where a touch lands: an entity slot, a field's value, the inside of a field, or somewhere rights do not reach. */
	private address(touch: Insert | Delete, forDelete: boolean): Address {
		const { parent, key } = touch;
		const shape = ROOT_SHAPES[this.kind][parent.root];
		if (!shape) return forDelete ? { at: 'free' } : { at: 'refuse', refusal: refuse(REFUSAL.unknownRoot, this.kind) };
		if (shape === 'fragment') return { at: 'free' };
		const spec = this.rootsOfKind[parent.root];
		if (!spec) return { at: 'refuse', refusal: refuse(REFUSAL.unknownRoot, this.kind) };
		const unknownKey = (entity: string): Address =>
			forDelete ? { at: 'free' } : { at: 'refuse', refusal: refuse(REFUSAL.unknownKey, entity) };
		const invalid = (entity: string, field: string | null = null): Address => ({
			at: 'refuse',
			refusal: refuse(REFUSAL.invalidValue, entity, field)
		});
		const [id, field, sub] = parent.path;

		if (spec.holds === 'fields') {
			// A root of plain fields (the crisis plan's `openReturn`): nothing lives inside their values.
			if (parent.depth > 1 || key === null) return invalid(spec.kind);
			const fieldSpec = spec.fields[key];
			if (!fieldSpec) return unknownKey(spec.kind);
			return { at: 'field', entity: this.entity(spec, parent.root, ''), field: key, spec: fieldSpec };
		}
		if (parent.depth === 1) {
			if (key === null) return invalid(spec.kind);
			return { at: 'entity', entity: this.entity(spec, parent.root, key) };
		}
		const entity = this.entity(spec, parent.root, id);
		if (parent.depth === 2) {
			if (key === null) return invalid(spec.kind);
			const fieldSpec = spec.fields[key];
			if (!fieldSpec) return unknownKey(spec.kind);
			return { at: 'field', entity, field: key, spec: fieldSpec };
		}
		const fieldSpec = spec.fields[field];
		if (!fieldSpec) return unknownKey(spec.kind);
		if (spec.kind === 'goal' && field === EVALUATIONS_FIELD) {
			if (parent.depth === 3) {
				if (key === null) return invalid('evaluation');
				return { at: 'entity', entity: this.evaluation(entity, key) };
			}
			if (parent.depth === 4 && key !== null) {
				const evalSpec = EVALUATION_FIELDS[key];
				if (!evalSpec) return unknownKey('evaluation');
				return { at: 'field', entity: this.evaluation(entity, sub), field: key, spec: evalSpec };
			}
			return invalid('evaluation');
		}
		if (fieldSpec.inside === 'rich') return { at: 'inside', entity, field, spec: fieldSpec };
		// A short text holds characters (and formatting) directly, nothing deeper and nothing keyed.
		if (fieldSpec.inside === 'text' && parent.depth === 3 && key === null)
			return { at: 'inside', entity, field, spec: fieldSpec };
		return invalid(spec.kind, field);
	}

	insert(insert: Insert): FieldRefusal | null {
		const where = this.address(insert, false);
		if (where.at === 'refuse') return where.refusal;
		if (where.at === 'free') return null;
		const item = insert.item;
		if (where.at === 'inside') {
			const c = item.content;
			if (
				where.spec.inside === 'text' &&
				!(c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentDeleted)
			) {
				return refuse(REFUSAL.invalidValue, where.entity.spec.kind, where.field);
			}
			if (!insert.deletedByUpdate && !(c instanceof Y.ContentDeleted))
				this.field(where.entity, where.field).edited = true;
			return null;
		}
		const slot = slotValue(item);
		// A keyed item that arrives deleted (by this update, or as deleted content) leaves no value of its own, yet
		// integrating it still deletes whatever the slot held: it clears that field, or removes the entity there.
		if (slot === 'deleted' || insert.deletedByUpdate) {
			if (where.at === 'entity') where.entity.removed = true;
			else this.field(where.entity, where.field).cleared = true;
			return null;
		}
		if (where.at === 'entity') {
			if (!slot || !(slot.value instanceof Y.Map) || slot.value instanceof Y.XmlHook)
				return refuse(REFUSAL.invalidValue, where.entity.spec.kind);
			where.entity.created = true;
			return null;
		}
		if (!slot || !where.spec.check(slot.value))
			return refuse(REFUSAL.invalidValue, where.entity.spec.kind, where.field);
		this.field(where.entity, where.field).values.push(slot.value);
		return null;
	}

	/** An entity (or evaluation) deleted whole; false for any other delete. */
	deleteEntity(d: Delete): boolean {
		const where = this.address(d, true);
		if (where.at !== 'entity') return false;
		where.entity.removed = true;
		return true;
	}

	delete(d: Delete): FieldRefusal | null {
		const where = this.address(d, true);
		if (where.at === 'refuse') return where.refusal;
		if (where.at === 'free' || where.at === 'entity') return null;
		const entity = where.entity;
		// Inside a removed entity (or a removed goal's evaluation): it goes with it.
		if (entity.removed || this.entityOfEvaluationRemoved(entity, d)) return null;
		const f = this.field(entity, where.field);
		if (where.at === 'inside') f.edited = true;
		else f.cleared = true;
		return null;
	}

	private entityOfEvaluationRemoved(entity: EntityChange, d: Delete): boolean {
		if (entity.spec.kind !== 'evaluation') return false;
		const goal = this.entities.get(`${d.parent.root}\u0000${d.parent.path[0]}`);
		return !!goal?.removed;
	}

	/** A field whose value is deleted and not replaced is left empty: only optional fields may be. */
	requiredFields(): FieldRefusal | null {
		for (const e of this.entities.values()) {
			const all = [e, ...e.evaluations.values()];
			if (e.removed || e.created) continue;
			for (const x of all) {
				if (x.removed || x.created) continue;
				for (const [name, f] of x.fields) {
					if (!f.cleared || f.values.length > 0) continue;
					const optional =
						(x.spec.holds === 'fields' && x.spec.optional.includes(name)) || x.spec.fields[name]?.optional === true;
					if (!optional) return refuse(REFUSAL.invalidValue, x.spec.kind, name);
				}
			}
		}
		return null;
	}

	rights(actor: Actor): FieldRefusal | null {
		for (const e of this.entities.values()) {
			const refusal =
				e.spec.kind === 'goal' ? this.goal(e, actor) : e.spec.kind === 'measure' ? this.measure(e, actor) : null;
			if (refusal) return refusal;
		}
		return null;
	}

	/** The entity now at `id` in its root, if it is one (a map). */
	private live(e: EntityChange): Y.Map<unknown> | null {
		const value = this.doc.getMap(e.root).get(e.id);
		return value instanceof Y.Map ? (value as Y.Map<unknown>) : null;
	}

	private measure(e: EntityChange, actor: Actor): FieldRefusal | null {
		const live = this.live(e);
		const facts = live ? measureFacts(live) : null;
		// A new map at a live id replaces (deletes) the entity there, whatever the update's delete set says.
		if (facts && (e.removed || e.created) && !measureRights(actor, facts).remove)
			return notAllowed('measure', 'delete', e.id);
		if (e.created) {
			if (!canCreateMeasure(actor)) return notAllowed('measure', 'create', e.id);
			for (const [name, f] of e.fields) {
				const bad = (allowed: (v: unknown) => boolean) => f.values.some((v) => !allowed(v));
				if (name === 'status' && bad((v) => v === 'requested')) return notAllowed('measure', name, e.id);
				if (name === 'createdBy' && bad((v) => v === null || v === actor.userId || restores(actor)))
					return notAllowed('measure', name, e.id);
				if ((name === 'answeredBy' || name === 'answeredAt' || name === 'counterOf') && bad((v) => v === null))
					return notAllowed('measure', name, e.id);
			}
			return null;
		}
		// Changes inside an entity that is gone (or going) change nothing anybody sees.
		if (!live || !facts || e.removed) return null;
		for (const [name, f] of e.fields) {
			const unchanged = !f.edited && !f.cleared && f.values.every((v) => sameValue(live.get(name), v));
			if (unchanged) continue;
			const need = MEASURE_FIELD_RIGHTS[name];
			const rights = measureRights(actor, facts);
			let ok: boolean;
			if (need === 'never' || need === undefined) ok = false;
			else if (need === 'status') ok = !f.edited && f.values.every((v) => canSetStatus(actor, facts, String(v)));
			else if (need === 'person') ok = canSetPerson(actor, facts);
			else ok = rights[need];
			if (!ok) return notAllowed('measure', name, e.id);
		}
		return null;
	}

	private goal(e: EntityChange, actor: Actor): FieldRefusal | null {
		const live = this.live(e);
		const facts = live ? goalFacts(live) : null;
		if (facts && (e.removed || e.created) && !goalRights(actor, facts).remove)
			return notAllowed('goal', 'delete', e.id);
		if (e.created) {
			if (!canCreateGoal(actor)) return notAllowed('goal', 'create', e.id);
			const createdBy = e.fields.get('createdBy');
			if (createdBy?.values.some((v) => v !== null && v !== actor.userId && !restores(actor)))
				return notAllowed('goal', 'createdBy', e.id);
			// A proposal written with a new goal is signed by the sender too.
			const proposedBy = e.fields.get('proposedBy');
			if (proposedBy?.values.some((v) => v !== null && v !== actor.userId && !restores(actor)))
				return notAllowed('goal', 'proposedBy', e.id);
			// Evaluations written along with a new goal: each is signed by the sender.
			for (const ev of e.evaluations.values()) {
				const refusal = this.newEvaluation(ev, actor, e.id);
				if (refusal) return refusal;
			}
			return null;
		}
		if (!live || !facts || e.removed) return null;
		const rights = goalRights(actor, facts);
		for (const [name, f] of e.fields) {
			const unchanged = !f.edited && !f.cleared && f.values.every((v) => sameValue(live.get(name), v));
			if (unchanged) continue;
			const need = GOAL_FIELD_RIGHTS[name];
			let ok: boolean;
			if (name === EVALUATIONS_FIELD) ok = rights.evaluate && !(live.get(name) instanceof Y.Map);
			else if (need === 'never' || need === undefined) ok = false;
			else if (need === 'any') ok = true;
			else if (need === 'expressedBy')
				ok = !f.edited && f.values.every((v) => canSetExpressedBy(actor, facts, String(v)));
			// Setting a key over a value deletes the old one too (`cleared`); cleared with nothing new is clearing, as null is.
			else if (need === 'proposal')
				ok =
					!f.edited &&
					(f.values.length > 0 ? f.values : [null]).every((v) =>
						canSetProposal(actor, facts, name as 'proposedTitle' | 'proposedBy', v)
					);
			else ok = rights[need];
			if (!ok) return notAllowed('goal', name, e.id);
		}
		const evaluations = live.get(EVALUATIONS_FIELD);
		for (const ev of e.evaluations.values()) {
			const current = evaluations instanceof Y.Map ? evaluations.get(ev.id) : undefined;
			const existing = current instanceof Y.Map ? (current as Y.Map<unknown>) : null;
			if (existing && (ev.removed || ev.created) && !evaluationRights(actor, evaluationFacts(existing)).remove)
				return notAllowed('evaluation', 'delete', e.id);
			if (ev.created) {
				if (!rights.evaluate) return notAllowed('goal', 'evaluations', e.id);
				const refusal = this.newEvaluation(ev, actor, e.id);
				if (refusal) return refusal;
				continue;
			}
			if (!existing) continue;
			for (const [name, f] of ev.fields) {
				const unchanged = !f.edited && !f.cleared && f.values.every((v) => sameValue(existing.get(name), v));
				if (unchanged) continue;
				if (name === 'by' || name === 'createdAt' || !evaluationRights(actor, evaluationFacts(existing)).edit)
					return notAllowed('evaluation', name, e.id);
			}
		}
		return null;
	}

	private newEvaluation(ev: EntityChange, actor: Actor, goalId: string): FieldRefusal | null {
		const by = ev.fields.get('by');
		if (by?.values.some((v) => v !== null && v !== actor.userId)) return notAllowed('evaluation', 'by', goalId);
		return null;
	}
}

/**
 * The coordinator may put back an entity someone else created (undoing a delete brings it back as a new map with
 * its old values). An answer is never put back by a client: that stays the owning service's, through the server.
 */
function restores(actor: Actor): boolean {
	return isCoordinator(actor);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

export function measureFacts(m: Y.Map<unknown>): MeasureFacts {
	const status = m.get('status');
	return {
		serviceId: text(m.get('serviceId')),
		createdBy: text(m.get('createdBy')),
		status: typeof status === 'string' ? status : 'requested'
	};
}

export function goalFacts(g: Y.Map<unknown>): GoalFacts {
	const expressedBy = g.get('expressedBy');
	const status = g.get('status');
	return {
		expressedBy: typeof expressedBy === 'string' ? expressedBy : 'staff',
		createdBy: text(g.get('createdBy')),
		status: typeof status === 'string' ? status : 'proposed',
		proposedBy: text(g.get('proposedBy'))
	};
}

function evaluationFacts(ev: Y.Map<unknown>): { by: string | null } {
	return { by: text(ev.get('by')) };
}

/** Plain values compare by value (an object, such as `openReturn`, by its JSON); a shared type is always a change. */
function sameValue(current: unknown, next: unknown): boolean {
	if (next instanceof Y.AbstractType || current instanceof Y.AbstractType) return false;
	if (current === next) return true;
	if (typeof next === 'object' && next !== null && typeof current === 'object' && current !== null)
		return JSON.stringify(current) === JSON.stringify(next);
	return false;
}
