/**
 * Kriseplan: warning signs, what helps, what I want others to do, who to call, and the agreed
 * open return to a unit. Lives in the plan document.
 */
import * as Y from 'yjs';
import { PlanValidationError } from './errors';
import { newId } from './ids';
import { asMap, isRecord, readDate, readOneOf, readString } from './normalise';
import { orderKeyAt, placementIndex, placementReference, sortedEntries, type Placement } from './ordered-map';
import { contactsRoot, crisisRoot, warningSignsRoot, whatHelpsRoot, wishesRoot } from './roots';
import { FIELD, LIMITS, WARNING_LEVELS, type WarningLevel } from './schema';
import {
	insertTextEntry,
	readTextEntries,
	requireEntry,
	textListOf,
	type NewTextEntry,
	type TextEntry
} from './text-list';
import {
	optionalDate,
	optionalLine,
	optionalPhone,
	optionalText,
	requireLine,
	requireNewId,
	requireOneOf
} from './validate';

export interface Contact {
	id: string;
	name: string;
	/** E.g. "søster", "koordinator", "legevakt". */
	role: string;
	phone: string;
	order: string;
}

export interface NewContact {
	id?: string;
	name: string;
	role?: string;
	phone?: string;
	at?: Placement;
}

export interface ContactPatch {
	name?: string;
	role?: string;
	phone?: string;
}

/** Agreed direct admission ("åpen retur") to a unit, without going through the GP or emergency room. */
export interface OpenReturn {
	unit: string;
	until: string | null;
	note: string;
}

export interface WarningSign extends TextEntry {
	level: WarningLevel;
}

export interface NewWarningSign extends NewTextEntry {
	/** Left out: an early sign. */
	level?: WarningLevel;
}

export interface CrisisPlan {
	warningSigns: WarningSign[];
	whatHelps: Y.XmlFragment;
	wishes: Y.XmlFragment;
	contacts: Contact[];
	openReturn: OpenReturn | null;
}

// Warning signs

/** The field a warning sign keeps its level in; absent (signs stored before levels) reads as `early`. */
const LEVEL = 'level';
const DEFAULT_LEVEL: WarningLevel = 'early';

const warningSigns = textListOf(warningSignsRoot);
export const updateWarningSign = warningSigns.update;
export const moveWarningSign = warningSigns.move;
export const removeWarningSign = warningSigns.remove;

/** Signs in list order, each with its level (an unknown or missing level reads as early: never lost, never thrown). */
export function listWarningSigns(doc: Y.Doc): WarningSign[] {
	const root = warningSignsRoot(doc);
	return readTextEntries(root).map((e) => ({
		...e,
		level: readOneOf(asMap(root.get(e.id))?.get(LEVEL), WARNING_LEVELS, DEFAULT_LEVEL)
	}));
}

/** Signs grouped by level, in `WARNING_LEVELS` order (early → worse → acute), every level present, list order within. */
export function warningSignsByLevel<T extends { level: WarningLevel }>(
	signs: readonly T[]
): Array<{ level: WarningLevel; signs: T[] }> {
	return WARNING_LEVELS.map((level) => ({ level, signs: signs.filter((s) => s.level === level) }));
}

export function addWarningSign(doc: Y.Doc, input: NewWarningSign, origin?: unknown): string {
	const root = warningSignsRoot(doc);
	// Checked before anything is written, so a refused level leaves no sign behind.
	const level =
		input.level === undefined ? undefined : requireOneOf(input.level, WARNING_LEVELS, 'invalid_warning_level', LEVEL);
	let id = '';
	// One transaction: peers never see the sign without its level.
	doc.transact(() => {
		id = insertTextEntry(doc, root, input, origin);
		if (level !== undefined) (root.get(id) as Y.Map<unknown>).set(LEVEL, level);
	}, origin);
	return id;
}

export function setWarningSignLevel(doc: Y.Doc, id: string, level: WarningLevel, origin?: unknown): void {
	const entry = requireEntry(warningSignsRoot(doc), id);
	const clean = requireOneOf(level, WARNING_LEVELS, 'invalid_warning_level', LEVEL);
	const stored = entry.get(LEVEL);
	// No change, and no write: the same level, or early on a sign that has none (it already reads as early).
	if (stored === clean || (stored === undefined && clean === DEFAULT_LEVEL)) return;
	doc.transact(() => entry.set(LEVEL, clean), origin);
}

// Rich text parts

export function getWhatHelps(doc: Y.Doc): Y.XmlFragment {
	return whatHelpsRoot(doc);
}

export function getWishes(doc: Y.Doc): Y.XmlFragment {
	return wishesRoot(doc);
}

// Contacts

function readContactEntries(doc: Y.Doc, exceptId?: string) {
	// A contact without a name is damaged: skipped, and never an anchor for placement.
	return sortedEntries(
		contactsRoot(doc),
		(m, id) => id !== exceptId && readString(m.get('name'), LIMITS.name).length > 0
	);
}

export function listContacts(doc: Y.Doc): Contact[] {
	return readContactEntries(doc).map((e) => ({
		id: e.id,
		name: readString(e.map.get('name'), LIMITS.name),
		role: readString(e.map.get('role'), LIMITS.role),
		phone: readString(e.map.get('phone'), LIMITS.phone),
		order: e.order ?? ''
	}));
}

function requireContact(doc: Y.Doc, id: string): Y.Map<unknown> {
	const entry = readContactEntries(doc).find((e) => e.id === id);
	if (!entry) throw new PlanValidationError('not_found', `no contact with id ${id}`, 'id');
	return entry.map;
}

export function addContact(doc: Y.Doc, input: NewContact, origin?: unknown): string {
	const root = contactsRoot(doc);
	const id = input.id === undefined ? newId() : requireNewId(input.id, (k) => root.has(k));
	const name = requireLine(input.name, 'name', 'empty_name', LIMITS.name);
	const role = optionalLine(input.role, 'role', LIMITS.role);
	const phone = optionalPhone(input.phone, 'phone');
	const siblings = readContactEntries(doc);
	const index = placementIndex(siblings, input.at);
	doc.transact(() => {
		const contact = new Y.Map<unknown>();
		root.set(id, contact);
		contact.set('name', name);
		contact.set('role', role);
		contact.set('phone', phone);
		contact.set(FIELD.order, orderKeyAt(siblings, index));
	}, origin);
	return id;
}

export function updateContact(doc: Y.Doc, id: string, patch: ContactPatch, origin?: unknown): void {
	const contact = requireContact(doc, id);
	const changes: Array<[string, string]> = [];
	if (patch.name !== undefined) changes.push(['name', requireLine(patch.name, 'name', 'empty_name', LIMITS.name)]);
	if (patch.role !== undefined) changes.push(['role', optionalLine(patch.role, 'role', LIMITS.role)]);
	if (patch.phone !== undefined) changes.push(['phone', optionalPhone(patch.phone, 'phone')]);
	const effective = changes.filter(([key, value]) => contact.get(key) !== value);
	if (effective.length === 0) return;
	doc.transact(() => {
		for (const [key, value] of effective) contact.set(key, value);
	}, origin);
}

export function moveContact(doc: Y.Doc, id: string, to: Placement, origin?: unknown): void {
	const contact = requireContact(doc, id);
	if (placementReference(to) === id) return;
	const siblings = readContactEntries(doc, id);
	const index = placementIndex(siblings, to);
	doc.transact(() => contact.set(FIELD.order, orderKeyAt(siblings, index)), origin);
}

export function removeContact(doc: Y.Doc, id: string, origin?: unknown): boolean {
	const root = contactsRoot(doc);
	if (!root.has(id)) return false;
	doc.transact(() => root.delete(id), origin);
	return true;
}

// Open return

export function getOpenReturn(doc: Y.Doc): OpenReturn | null {
	const raw = crisisRoot(doc).get(FIELD.openReturn);
	if (!isRecord(raw)) return null;
	const unit = readString(raw.unit, LIMITS.name);
	if (unit.length === 0) return null;
	return { unit, until: readDate(raw.until), note: readString(raw.note, LIMITS.shortText) };
}

/** Stored as one plain value: the three fields only make sense together, so last writer wins as a whole. */
export function setOpenReturn(
	doc: Y.Doc,
	value: { unit: string; until?: string | null; note?: string },
	origin?: unknown
): void {
	const unit = requireLine(value.unit, 'unit', 'empty_unit', LIMITS.name);
	const until = optionalDate(value.until, 'until');
	const note = optionalText(value.note, 'note', LIMITS.shortText);
	doc.transact(() => crisisRoot(doc).set(FIELD.openReturn, { unit, until, note }), origin);
}

export function clearOpenReturn(doc: Y.Doc, origin?: unknown): void {
	const root = crisisRoot(doc);
	if (!root.has(FIELD.openReturn)) return;
	doc.transact(() => root.delete(FIELD.openReturn), origin);
}

export function readCrisisPlan(doc: Y.Doc): CrisisPlan {
	return {
		warningSigns: listWarningSigns(doc),
		whatHelps: getWhatHelps(doc),
		wishes: getWishes(doc),
		contacts: listContacts(doc),
		openReturn: getOpenReturn(doc)
	};
}
