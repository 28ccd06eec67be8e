/**
 * A change made through a plain form, applied to the live document as if the person had sent it over their
 * socket: the change is made on a copy, its update goes through the same gate (structure, schema, rights table
 * for this person), and only an accepted update is written to the live document, attributed to the person,
 * stored and sent to every open page. Works without any script in the browser.
 */
import * as Y from 'yjs';
import { DOC_PREFIX, isPlanValidationError, type DocKind } from '../../plan';
import { actorOf, type PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import type { CollabServer } from '../collab';
import { checkUpdate } from '../collab/gate';
import { KeyedBuckets, type RateLimit } from '../collab/limits';
import type { Db } from '../db';

export type MemberChangeCode = 'forbidden' | 'not_allowed' | 'invalid' | 'not_found' | 'busy';

/** A refusal with its HTTP status and, for bad input, the field it is about. */
export class MemberChangeError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 429,
		readonly code: MemberChangeCode,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'MemberChangeError';
	}
}

/**
 * Changes per person through forms. Each one copies the live document, so a script posting in a loop costs the
 * server far more than the same edits over a socket (which has its own message limits). A person tapping
 * through their plan stays far below this.
 */
export const FORM_CHANGES: RateLimit = { burst: 20, perSecond: 0.5 };
/** The budget the pages' form actions share (one per process; each node keeps its own). */
export const formChangeBudget = new KeyedBuckets(FORM_CHANGES);

export interface MemberChangeDeps {
	db: Db;
	collab: Pick<CollabServer, 'applyServerChange' | 'readDocState'>;
	/** Per-person budget of changes; the form actions pass `formChangeBudget` (server code acting for tests or jobs need none). */
	budget?: Pick<KeyedBuckets, 'take'>;
}

/**
 * Runs `change` as `userId` on the plan's `kind` document. Throws `MemberChangeError` when the person may not
 * write the document (403), the model refuses the input (400/404) or the gate refuses the update (403).
 */
export async function applyAsMember(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	kind: DocKind,
	change: (doc: Y.Doc) => void
): Promise<void> {
	// A reading seat's socket has its writes dropped; here it is told so.
	if (!access || access.docs[kind] !== 'write')
		throw new MemberChangeError(403, 'forbidden', `No write access to the ${kind} document.`);
	if (deps.budget && !deps.budget.take(userId))
		throw new MemberChangeError(429, 'busy', 'Too many changes in a short time; wait a little.');
	const actor = actorOf(userId, access);
	const docName = DOC_PREFIX[kind] + planId;

	// The person's update, made on a copy of the current state (the model validates before it writes).
	const copy = new Y.Doc();
	let update: Uint8Array | null = null;
	try {
		Y.applyUpdate(copy, await deps.collab.readDocState(docName));
		copy.on('update', (u: Uint8Array) => {
			update = update ? Y.mergeUpdates([update, u]) : u;
		});
		change(copy);
	} catch (err) {
		if (isPlanValidationError(err))
			throw new MemberChangeError(
				err.code === 'not_found' ? 404 : 400,
				err.code === 'not_found' ? 'not_found' : 'invalid',
				err.message,
				err.field
			);
		throw err;
	} finally {
		copy.destroy();
	}
	if (!update) return; // nothing changed (the same words saved again)

	let refusal: string | null = null;
	const made: Uint8Array = update;
	await deps.collab.applyServerChange(
		docName,
		(doc) => {
			// Checked against the live document, synchronously, just before it applies: nothing can come between.
			const verdict = checkUpdate(doc, kind, made, actor);
			if (verdict.kind === 'accept') Y.applyUpdate(doc, made);
			else refusal = verdict.kind === 'refuse' ? verdict.reason : verdict.kind;
		},
		userId
	);
	if (refusal !== null) throw new MemberChangeError(403, 'not_allowed', `Refused by the rights table: ${refusal}`);
	await recordAudit(deps.db, { actorId: userId, action: 'doc.change', planId, target: docName });
}
