/**
 * Why the sync server closed a socket: one table, imported by the server that closes and the browser that
 * explains. The stock y-websocket client never retries 44xx; it retries everything else with backoff.
 */
export const CLOSE = {
	/** The server is shutting down; reconnect (to another node). */
	goingAway: 1001,
	/** A frame over `COLLAB_MAX_MESSAGE_BYTES` (set by `ws` itself). */
	tooBig: 1009,
	/** The document could not be loaded; retried. */
	internalError: 1011,
	/** The document was reloaded from storage after a change failed to apply; reconnect and resync. */
	reloaded: 1012,
	/** The client reads too slowly, or flooded us before its document was ready; retried. */
	tryAgainLater: 1013,
	/** Bytes we cannot read (unknown message, truncated, text frame). */
	badMessage: 4400,
	/** No session, or it ended (logout, idle, password changed). */
	unauthenticated: 4401,
	/** No access to this document, or access ended (consent withdrawn, seat ended). */
	forbidden: 4403,
	/** An awareness (presence) message over its limit. */
	tooLarge: 4413,
	/**
	 * An update the document may not take (structure the model cannot hold, a document over its size limit).
	 * Nothing of it was applied or stored: the client drops its local copy of the document and resyncs.
	 * The close reason carries one of `REFUSAL` below.
	 */
	refused: 4422,
	/** Too many requests, connections or upgrade attempts; try again later. */
	rateLimited: 4429
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Why an update was refused (the reason sent with `CLOSE.refused`). Short: a close reason holds 123 bytes. */
export const REFUSAL = {
	/** Shared types nested deeper than `LIMITS.depth`. */
	tooDeep: 'too-deep',
	/** A root the document kind does not have. */
	unknownRoot: 'unknown-root',
	/** One value (a string, a JSON value, an embedded blob) over its size limit. */
	valueTooLarge: 'value-too-large',
	/** Content the model never uses (an embedded sub-document). */
	unsupported: 'unsupported-content',
	/** The document would grow past its size limit. */
	documentFull: 'document-full',
	/** A key the entity does not have (see `src/lib/plan/field-schema.ts`). */
	unknownKey: 'unknown-key',
	/** A value of the wrong type for its field. */
	invalidValue: 'invalid-value',
	/** A change the sender may not make (see `src/lib/plan/rights.ts`): the detail names entity and field. */
	notAllowed: 'not-allowed'
} as const;

export type RefusalReason = (typeof REFUSAL)[keyof typeof REFUSAL];

export function isRefusalReason(value: string): value is RefusalReason {
	return (Object.values(REFUSAL) as string[]).includes(value);
}

/**
 * What a refusal is about: the kind of entity, its field (or `delete`, `create`), and the entity's id. Only names
 * from our own schema and ids of the id alphabet travel; nothing else the client sent is quoted back.
 */
export interface RefusalDetail {
	entity: string;
	field: string | null;
	id: string | null;
}

export interface ParsedRefusal {
	reason: RefusalReason;
	detail: RefusalDetail | null;
}

/** A close reason holds 123 bytes (UTF-8). */
export const MAX_CLOSE_REASON_BYTES = 123;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `not-allowed measure/status <id>`: the reason, then what it is about. Parts that are not plain names are left out. */
export function formatRefusal(reason: RefusalReason, detail?: RefusalDetail | null): string {
	if (!detail || !NAME.test(detail.entity)) return reason;
	let text = `${reason} ${detail.entity}`;
	if (detail.field !== null && NAME.test(detail.field)) text += `/${detail.field}`;
	if (detail.id !== null && ID.test(detail.id) && text.length + 1 + detail.id.length <= MAX_CLOSE_REASON_BYTES)
		text += ` ${detail.id}`;
	return text;
}

/** The close reason read back; null for one this client does not know. */
export function parseRefusal(text: string): ParsedRefusal | null {
	const [reason, what, id, ...rest] = text.split(' ');
	if (!isRefusalReason(reason) || rest.length > 0) return null;
	if (what === undefined) return { reason, detail: null };
	const [entity, field, ...more] = what.split('/');
	if (
		!NAME.test(entity) ||
		more.length > 0 ||
		(field !== undefined && !NAME.test(field)) ||
		(id !== undefined && !ID.test(id))
	) {
		return { reason, detail: null };
	}
	return { reason, detail: { entity, field: field ?? null, id: id ?? null } };
}

/** 44xx: a deliberate refusal the client must not blindly retry. */
export function isRefusal(code: number): boolean {
	return code >= 4400 && code < 4500;
}
