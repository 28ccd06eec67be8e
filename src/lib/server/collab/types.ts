/** The slice of pino the collab server uses (ids and outcomes only, never content or names). */
export interface CollabLogger {
	debug(obj: object, msg?: string): void;
	info(obj: object, msg?: string): void;
	warn(obj: object, msg?: string): void;
	error(obj: object, msg?: string): void;
}

export type AccessLevel = 'read' | 'write';

/** Who is behind a connection, as the server knows it (never as the client claims). */
export interface Identity {
	id: string;
	name: string;
	color: string;
}

/** Transaction origins that are not a client connection. */
export class ServerOrigin {
	constructor(readonly actorId: string | null) {}
}

/** Updates from another node: applied and sent to local clients, never stored or published again. */
export const REMOTE_ORIGIN = Symbol('remote-node');
/** Stored state applied while loading. */
export const LOAD_ORIGIN = Symbol('load');
