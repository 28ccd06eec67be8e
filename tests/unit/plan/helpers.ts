import { expect } from 'vitest';
import * as Y from 'yjs';
import { PlanValidationError, type PlanValidationCode } from '../../../src/lib/plan';

/** Asserts `fn` throws a PlanValidationError with `code` and that the document did not change at all. */
export function expectRefused(doc: Y.Doc, code: PlanValidationCode, fn: () => unknown): PlanValidationError {
	const before = Y.encodeStateAsUpdate(doc);
	let updates = 0;
	const count = () => updates++;
	doc.on('update', count);
	let caught: unknown;
	try {
		fn();
	} catch (e) {
		caught = e;
	} finally {
		doc.off('update', count);
	}
	expect(caught, `expected a PlanValidationError(${code})`).toBeInstanceOf(PlanValidationError);
	expect((caught as PlanValidationError).code).toBe(code);
	expect(updates).toBe(0);
	expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	return caught as PlanValidationError;
}

/** Counts updates emitted by `fn`, with their origins. */
export function captureOrigins(doc: Y.Doc, fn: () => unknown): unknown[] {
	const origins: unknown[] = [];
	const on = (_u: Uint8Array, origin: unknown) => origins.push(origin);
	doc.on('update', on);
	try {
		fn();
	} finally {
		doc.off('update', on);
	}
	return origins;
}

/** Full two-way sync by state vectors. */
export function syncDocs(a: Y.Doc, b: Y.Doc, origin: unknown = 'remote'): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), origin);
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), origin);
}

export { mulberry32 } from '../../helpers/random';
