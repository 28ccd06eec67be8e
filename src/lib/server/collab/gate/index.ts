import type * as Y from 'yjs';
import type { RefusalReason } from '../../../sync/close-codes';
import type { DocKind } from '../../../plan/schema';
import { inspectUpdate } from './inspect';
import { checkStructure, DEFAULT_STRUCTURE_LIMITS, type StructureLimits } from './structure';

export type Verdict =
	| { kind: 'accept' }
	/** It builds on structs the document lacks: not applied; ask the client for everything we lack. */
	| { kind: 'missing' }
	/** The document may not take it: not applied; the client drops its copy and resyncs. */
	| { kind: 'refuse'; reason: RefusalReason }
	/** Not a readable update. */
	| { kind: 'malformed'; why: string };

/**
 * The gate every client update passes before it touches a document: decoded and inspected without applying
 * (`inspect`), then checked against the structure the model can hold (`structure`). An update is applied
 * whole or not at all; nothing a client sends is ever held half-integrated (Yjs' pending structs).
 */
export function checkUpdate(doc: Y.Doc, kind: DocKind, update: Uint8Array, limits: StructureLimits = DEFAULT_STRUCTURE_LIMITS): Verdict {
	let inspection;
	try {
		inspection = inspectUpdate(doc, update);
	} catch {
		// The decoder's message can quote what the client sent: it is not passed on.
		return { kind: 'malformed', why: 'undecodable update' };
	}
	if (inspection.kind !== 'ok') return inspection;
	const reason = checkStructure(inspection, kind, limits);
	return reason ? { kind: 'refuse', reason } : { kind: 'accept' };
}

export { DEFAULT_STRUCTURE_LIMITS, type StructureLimits } from './structure';
