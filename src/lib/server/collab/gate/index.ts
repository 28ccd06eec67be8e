import type * as Y from 'yjs';
import { formatRefusal } from '../../../sync/close-codes';
import type { LiveDocKind } from '../../../plan/schema';
import type { Actor } from '../../../plan/rights';
import { checkFields } from './fields';
import { inspectUpdate } from './inspect';
import { checkStructure, DEFAULT_STRUCTURE_LIMITS, type StructureLimits } from './structure';

export type Verdict =
	| { kind: 'accept' }
	/** It builds on structs the document lacks: not applied; ask the client for everything we lack. */
	| { kind: 'missing' }
	/** The document may not take it: not applied; the client drops its copy and resyncs. The reason is a close reason (`formatRefusal`). */
	| { kind: 'refuse'; reason: string }
	/** Not a readable update. */
	| { kind: 'malformed'; why: string };

/**
 * The gate every client update passes before it touches a document: decoded and inspected without applying
 * (`inspect`), checked against the structure the model can hold (`structure`), then field by field against the
 * schema and, for the sender (`actor`), against the rights table (`fields`). An update is applied whole or not
 * at all; nothing a client sends is ever held half-integrated (Yjs' pending structs).
 *
 * `actor` null checks structure and schema only: for replaying what is already stored, never for a client.
 */
export function checkUpdate(
	doc: Y.Doc,
	kind: LiveDocKind,
	update: Uint8Array,
	actor: Actor | null,
	limits: StructureLimits = DEFAULT_STRUCTURE_LIMITS
): Verdict {
	let inspection;
	try {
		inspection = inspectUpdate(doc, update);
	} catch {
		// The decoder's message can quote what the client sent: it is not passed on.
		return { kind: 'malformed', why: 'undecodable update' };
	}
	if (inspection.kind !== 'ok') return inspection;
	const reason = checkStructure(inspection, kind, limits);
	if (reason) return { kind: 'refuse', reason };
	const refusal = checkFields(doc, kind, inspection, actor);
	return refusal ? { kind: 'refuse', reason: formatRefusal(refusal.reason, refusal.detail) } : { kind: 'accept' };
}

export { DEFAULT_STRUCTURE_LIMITS, type StructureLimits } from './structure';
