/**
 * What each entity of each document may hold: its known keys and the type of value each takes. The sync
 * server's gate refuses an update that writes an unknown key or a value of the wrong type (`gate/fields.ts`);
 * the model's writers only ever write these. Adding a field: add it here (and to the model), give it a right in
 * `gate/fields.ts`, and the gate lets it through.
 */
import * as Y from 'yjs';
import { isRecord } from './normalise';
import {
	EXPRESSED_BY,
	GOAL_LEVELS,
	GOAL_STATUSES,
	LIFE_AREAS,
	MEASURE_STATUSES,
	ROOT,
	VOICE_ROOT,
	WARNING_LEVELS,
	type DocKind
} from './schema';
import { isValidDate } from './validate';

/** A value check: true when the stored value is of the field's type. */
export type ValueCheck = (value: unknown) => boolean;

const oneOf =
	(allowed: readonly string[]): ValueCheck =>
	(v) =>
		typeof v === 'string' && allowed.includes(v);
const orNull =
	(check: ValueCheck): ValueCheck =>
	(v) =>
		v === null || check(v);
const string: ValueCheck = (v) => typeof v === 'string';
const date: ValueCheck = (v) => isValidDate(v);
/** A short text: a Y.Text (merges concurrent edits), or a plain string as older documents hold. */
const shortText: ValueCheck = (v) => typeof v === 'string' || (v instanceof Y.Text && !(v instanceof Y.XmlText));
/** Rich text: a fragment (an XmlElement is a fragment subclass, but not a document). */
const richText: ValueCheck = (v) => v instanceof Y.XmlFragment && !(v instanceof Y.XmlElement);
const map: ValueCheck = (v) => v instanceof Y.Map && !(v instanceof Y.XmlHook);
const rating: ValueCheck = (v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10);
const openReturn: ValueCheck = (v) =>
	isRecord(v) &&
	Object.keys(v).every((k) => k === 'unit' || k === 'until' || k === 'note') &&
	typeof v.unit === 'string' &&
	(v.until === null || v.until === undefined || isValidDate(v.until)) &&
	(v.note === undefined || typeof v.note === 'string');

/** How a field's value is written: a plain value, or a shared type whose insides are edited (Y.Text, a fragment). */
export interface FieldSpec {
	check: ValueCheck;
	/** What may be inside the field's shared type: characters of a short text, or rich text. */
	inside?: 'text' | 'rich';
	/** The field may be absent: deleting it (an undo of the first value ever written) leaves the entity whole. */
	optional?: true;
}

const value = (check: ValueCheck): FieldSpec => ({ check });
const TEXT: FieldSpec = { check: shortText, inside: 'text' };
const RICH: FieldSpec = { check: richText, inside: 'rich' };

export const EVALUATION_FIELDS: Readonly<Record<string, FieldSpec>> = {
	date: value(date),
	status: value(oneOf(GOAL_STATUSES)),
	note: value(string),
	rating: value(rating),
	by: value(orNull(string)),
	createdAt: value(string)
};

export const GOAL_FIELDS: Readonly<Record<string, FieldSpec>> = {
	lifeArea: value(oneOf(LIFE_AREAS)),
	title: TEXT,
	description: RICH,
	expressedBy: value(oneOf(EXPRESSED_BY)),
	level: value(orNull(oneOf(GOAL_LEVELS))),
	status: value(oneOf(GOAL_STATUSES)),
	/** Y.Map<evaluation id, Y.Map of `EVALUATION_FIELDS`>. */
	evaluations: value(map),
	/** A wording someone proposes for a goal the patient expressed; the patient accepts or declines it. A plain string: it is replaced whole. */
	proposedTitle: { check: orNull(string), optional: true },
	/** Who proposed it (a user id). */
	proposedBy: { check: orNull(string), optional: true },
	order: value(string),
	createdAt: value(string),
	createdBy: value(orNull(string))
};

export const MEASURE_FIELDS: Readonly<Record<string, FieldSpec>> = {
	goalId: value(string),
	title: TEXT,
	description: RICH,
	serviceId: value(orNull(string)),
	personId: value(orNull(string)),
	startDate: value(orNull(date)),
	dueDate: value(orNull(date)),
	startsAfter: value(orNull(string)),
	status: value(oneOf(MEASURE_STATUSES)),
	statusReason: value(string),
	interimMeasure: value(string),
	counterOf: value(orNull(string)),
	answeredBy: value(orNull(string)),
	answeredAt: value(orNull(string)),
	order: value(string),
	createdAt: value(string),
	createdBy: value(orNull(string))
};

const TEXT_ENTRY_FIELDS: Readonly<Record<string, FieldSpec>> = { text: value(string), order: value(string) };
/**
 * A warning sign is a text entry with a level; signs stored before levels have none (and read as early). Who may set
 * it: whoever writes the crisis plan (`writesCrisisPlan` in rights.ts), as for the sign's text and order.
 */
const WARNING_SIGN_FIELDS: Readonly<Record<string, FieldSpec>> = {
	...TEXT_ENTRY_FIELDS,
	level: value(oneOf(WARNING_LEVELS))
};
const CONTACT_FIELDS: Readonly<Record<string, FieldSpec>> = {
	name: value(string),
	role: value(string),
	phone: value(string),
	order: value(string)
};

/** Names of entity kinds, as refusals name them (`not-allowed measure/status`). */
export type EntityKind = 'goal' | 'measure' | 'evaluation' | 'crisis' | 'warningSign' | 'contact' | 'ownResource';

/** What a map root holds: entities (Y.Map per id, with these fields), or fields of its own. */
export type MapRootSpec =
	| { holds: 'entities'; kind: EntityKind; fields: Readonly<Record<string, FieldSpec>> }
	| {
			holds: 'fields';
			kind: EntityKind;
			fields: Readonly<Record<string, FieldSpec>>;
			/** Fields that may be cleared. */ optional: readonly string[];
	  };

/** Every map root of every document kind. Fragment roots (rich text) are in `ROOT_SHAPES` and hold rich text only. */
export const MAP_ROOTS: Readonly<Record<DocKind, Readonly<Record<string, MapRootSpec>>>> = {
	plan: {
		[ROOT.goals]: { holds: 'entities', kind: 'goal', fields: GOAL_FIELDS },
		[ROOT.measures]: { holds: 'entities', kind: 'measure', fields: MEASURE_FIELDS }
	},
	crisis: {
		[ROOT.crisis]: {
			holds: 'fields',
			kind: 'crisis',
			fields: { openReturn: value(openReturn) },
			optional: ['openReturn']
		},
		[ROOT.warningSigns]: { holds: 'entities', kind: 'warningSign', fields: WARNING_SIGN_FIELDS },
		[ROOT.contacts]: { holds: 'entities', kind: 'contact', fields: CONTACT_FIELDS }
	},
	voice: {
		[VOICE_ROOT.ownResources]: { holds: 'entities', kind: 'ownResource', fields: TEXT_ENTRY_FIELDS }
	}
};

/** The goal field that holds evaluations, each an entity of its own. */
export const EVALUATIONS_FIELD = 'evaluations';
