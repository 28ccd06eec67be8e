/**
 * Short text fields (goal and measure titles) stored as Y.Text, so that two people editing the same title at
 * once both keep their characters instead of the last save winning. Older documents hold a plain string;
 * readers accept both, writers always leave a Y.Text behind.
 */
import * as Y from 'yjs';

/** The text of a short field, plain string or Y.Text, capped; '' for anything else. */
export function readShortText(value: unknown, max: number): string {
	if (typeof value === 'string') return value.slice(0, max);
	if (value instanceof Y.Text) return value.toString().slice(0, max);
	return '';
}

/** A new Y.Text holding `text`, to be set into an entity map. */
export function newShortText(text: string): Y.Text {
	const shared = new Y.Text();
	if (text.length > 0) shared.insert(0, text);
	return shared;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest single replacement turning `from` into `to`: keep the common prefix and suffix, replace the middle.
 * Never splits a surrogate pair, so an emoji is kept or replaced whole.
 */
export function textDiff(from: string, to: string): { index: number; remove: number; insert: string } {
	let start = 0;
	const shortest = Math.min(from.length, to.length);
	while (start < shortest && from.charCodeAt(start) === to.charCodeAt(start)) start++;
	if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
	let end = 0;
	while (end < shortest - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
	if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
	return { index: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) };
}

/**
 * Writes `text` into `map[key]`: a Y.Text already there is changed by the minimal diff (so a concurrent edit
 * elsewhere in the same title survives); a legacy string or nothing is replaced by a new Y.Text.
 * Call inside the mutation's transaction.
 */
export function writeShortText(map: Y.Map<unknown>, key: string, text: string): void {
	const current = map.get(key);
	if (!(current instanceof Y.Text)) {
		map.set(key, newShortText(text));
		return;
	}
	const { index, remove, insert } = textDiff(current.toString(), text);
	if (remove > 0) current.delete(index, remove);
	if (insert.length > 0) current.insert(index, insert);
}

/** Whether `map[key]` already reads as `text` and is stored as a Y.Text (so nothing needs writing). */
export function shortTextIs(map: Y.Map<unknown>, key: string, text: string): boolean {
	const current = map.get(key);
	return current instanceof Y.Text && current.toString() === text;
}
