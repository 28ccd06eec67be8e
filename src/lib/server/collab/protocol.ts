import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * The y-websocket wire protocol, as spoken by the stock `y-websocket` client:
 * `[messageType: varUint, ...payload]`, sync messages carry `[syncType: varUint, bytes: varUint8Array]`.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-step2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' };

/** Anything a peer sent that we cannot read. The connection answers it with 4400. Its message never quotes the bytes. */
export class ProtocolError extends Error {
	override name = 'ProtocolError';
}

function expectEnd(decoder: decoding.Decoder): void {
	if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes');
}

/** Parses one frame. Throws `ProtocolError` on anything unknown, truncated or padded. */
export function decodeMessage(data: Uint8Array): ClientMessage {
	try {
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		let msg: ClientMessage;
		switch (type) {
			case MESSAGE_SYNC: {
				const syncType = decoding.readVarUint(decoder);
				const bytes = decoding.readVarUint8Array(decoder);
				if (syncType === SYNC_STEP1) msg = { type: 'sync-step1', stateVector: bytes };
				else if (syncType === SYNC_STEP2) msg = { type: 'sync-step2', update: bytes };
				else if (syncType === SYNC_UPDATE) msg = { type: 'update', update: bytes };
				else throw new ProtocolError(`unknown sync message type ${syncType}`);
				break;
			}
			case MESSAGE_AWARENESS:
				msg = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
				break;
			case MESSAGE_QUERY_AWARENESS:
				msg = { type: 'query-awareness' };
				break;
			default:
				throw new ProtocolError(`unknown message type ${type}`);
		}
		expectEnd(decoder);
		return msg;
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw new ProtocolError('unreadable message');
	}
}

/** A state vector is a list of (client, clock) pairs; `Y.encodeStateAsUpdate` throws late on a bad one. */
export function assertValidStateVector(sv: Uint8Array): void {
	try {
		Y.decodeStateVector(sv);
	} catch {
		throw new ProtocolError('invalid state vector');
	}
}

function syncMessage(syncType: number, bytes: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, syncType);
	encoding.writeVarUint8Array(encoder, bytes);
	return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => syncMessage(SYNC_STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => syncMessage(SYNC_STEP2, update);
export const encodeUpdateMessage = (update: Uint8Array): Uint8Array => syncMessage(SYNC_UPDATE, update);

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessUpdate);
	return encoding.toUint8Array(encoder);
}

export function encodeQueryAwareness(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_QUERY_AWARENESS);
	return encoding.toUint8Array(encoder);
}

/** One client's entry in an awareness update. `state: null` means the client left. */
export interface AwarenessEntry {
	clientID: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/** Reads an awareness update into entries; a state must be a JSON object or null. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	try {
		const decoder = decoding.createDecoder(update);
		const len = decoding.readVarUint(decoder);
		const entries: AwarenessEntry[] = [];
		for (let i = 0; i < len; i++) {
			const clientID = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const state: unknown = JSON.parse(decoding.readVarString(decoder));
			if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
				throw new ProtocolError('awareness state must be an object or null');
			}
			entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
		}
		expectEnd(decoder);
		return entries;
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		// Not the parser's message: it quotes what the client sent, and that would end up in the log.
		throw new ProtocolError('invalid awareness update');
	}
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientID);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, JSON.stringify(e.state));
	}
	return encoding.toUint8Array(encoder);
}

/** An update that carries nothing: no structs, no deletions (`Y.encodeStateAsUpdate` of an equal state). */
export function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}
