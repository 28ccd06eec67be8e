/**
 * Tolerant readers of raw CRDT values. Any client can write anything into a shared document,
 * so readers never trust a type: they coerce or fall back, and never throw.
 */
import * as Y from 'yjs';
import { isValidDate } from './validate';

export function readString(value: unknown, max: number): string {
	return typeof value === 'string' ? value.slice(0, max) : '';
}

export function readStringOrNull(value: unknown, max: number): string | null {
	return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

export function readDate(value: unknown): string | null {
	return isValidDate(value) ? value : null;
}

export function readOneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function asMap(value: unknown): Y.Map<unknown> | null {
	return value instanceof Y.Map ? (value as Y.Map<unknown>) : null;
}

/** A fragment that can be bound to an editor; an XmlElement is also a fragment subclass, but not a document. */
export function asFragment(value: unknown): Y.XmlFragment | null {
	return value instanceof Y.XmlFragment && !(value instanceof Y.XmlElement) ? value : null;
}

/** A plain object (not an array, not a shared type or other class instance). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}
