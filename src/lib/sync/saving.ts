import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * A message of our own on the y-websocket socket, from server to browser: whether what this client sent is
 * being stored. While the database cannot be reached the server holds accepted updates, retries, and forwards
 * nothing; it says "delayed" so the connection indicator can tell the person, and "saved" once it caught up.
 * The stock client ignores the type it does not know (it logs it); ours registers a handler for it.
 */
export const MESSAGE_SAVING = 5;

export const SAVING = { saved: 0, delayed: 1 } as const;

export function encodeSavingMessage(delayed: boolean): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SAVING);
	encoding.writeVarUint(encoder, delayed ? SAVING.delayed : SAVING.saved);
	return encoding.toUint8Array(encoder);
}

/** Reads the payload after the message type: true while saving is delayed. */
export function readSavingDelayed(decoder: decoding.Decoder): boolean {
	return decoding.readVarUint(decoder) === SAVING.delayed;
}
