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
	documentFull: 'document-full'
} as const;

export type RefusalReason = (typeof REFUSAL)[keyof typeof REFUSAL];

export function isRefusalReason(value: string): value is RefusalReason {
	return (Object.values(REFUSAL) as string[]).includes(value);
}

/** 44xx: a deliberate refusal the client must not blindly retry. */
export function isRefusal(code: number): boolean {
	return code >= 4400 && code < 4500;
}
