import * as Y from 'yjs';
import type WebSocket from 'ws';
import { CLOSE, parseRefusal } from '../../sync/close-codes';
import { TokenBucket, type CollabLimits } from './limits';
import { collabMetrics } from './metrics';
import { decodeMessage, encodeSyncStep1, ProtocolError } from './protocol';
import type { DocClient, SharedDoc } from './shared-doc';
import type { AccessLevel, CollabLogger, Identity } from './types';
import type { Actor } from '../../plan/rights';

export interface ConnectionInfo {
	identity: Identity;
	sessionId: string;
	docName: string;
	planId: string;
	access: AccessLevel;
	/** Roles and services in the plan: what the gate checks this connection's updates against. */
	actor: Actor;
	/** The client's address, for the per-address connection count. */
	address: string;
}

export interface ConnectionOptions {
	log: CollabLogger;
	limits: Pick<CollabLimits, 'syncStep1' | 'messages' | 'awarenessMessageBytes'>;
	/** Messages kept while the document loads; more closes the socket (1013). */
	maxBacklog?: number;
	/** Bytes queued to a client that does not read; more closes it (1013). */
	maxBufferedBytes?: number;
	/** Once per connection, on its first accepted change. */
	onFirstChange?(conn: Connection): void;
	/** Once, when the connection leaves its document (closed by either side). */
	onDetach?(conn: Connection): void;
	/** Once, when the socket is gone. */
	onClosed?(conn: Connection): void;
}

let nextConnectionId = 1;

/**
 * One client socket on one document. Reads are answered for everyone with access; updates from a
 * read-only connection are dropped (never applied, stored or sent on). Each message is read (`protocol`),
 * then handed to the document, which passes updates through the gate before applying them. Anything
 * unreadable closes this socket with 4400, a refused update with 4422, a flood with 4429: only this one.
 */
export class Connection implements DocClient {
	readonly id = nextConnectionId++;
	readonly identity: Identity;
	readonly sessionId: string;
	readonly docName: string;
	readonly planId: string;
	readonly address: string;
	readonly clientIDs = new Set<number>();
	access: AccessLevel;
	/** Refreshed with access (`AccessWatch`): a seat in a new service, a role handed over. */
	actor: Actor;
	/** Set from the first moment the socket is closing: nothing is read from or sent to it after that. */
	closed = false;
	/** For the keep-alive ping. */
	alive = true;
	/** An accepted change since the last session sweep: the person is working, so their session stays alive. */
	activeSinceSweep = false;
	/** Updates dropped because the connection may only read (for logs and tests). */
	dropped = 0;
	private doc: SharedDoc | null = null;
	private backlog: Uint8Array[] | null = [];
	private changed = false;
	private readonly maxBacklog: number;
	private readonly maxBufferedBytes: number;
	private readonly messageRate: TokenBucket;
	private readonly step1Rate: TokenBucket;

	constructor(
		readonly ws: WebSocket,
		info: ConnectionInfo,
		private readonly opts: ConnectionOptions
	) {
		this.identity = info.identity;
		this.sessionId = info.sessionId;
		this.docName = info.docName;
		this.planId = info.planId;
		this.access = info.access;
		this.actor = info.actor;
		this.address = info.address;
		this.maxBacklog = opts.maxBacklog ?? 256;
		this.maxBufferedBytes = opts.maxBufferedBytes ?? 32 * 1024 * 1024;
		this.messageRate = new TokenBucket(opts.limits.messages);
		this.step1Rate = new TokenBucket(opts.limits.syncStep1);
		ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
		ws.on('pong', () => {
			this.alive = true;
		});
		ws.on('error', (err) => {
			// `ws` closes the socket itself (1009 for an oversized frame, 1002 for a protocol error).
			opts.log.debug({ conn: this.id, err: { message: err.message } }, 'collab: socket error');
		});
		ws.on('close', () => {
			this.closed = true;
			this.detach();
			opts.onClosed?.(this);
		});
	}

	get userId(): string {
		return this.identity.id;
	}

	/** The document is loaded: start the sync and work off what arrived meanwhile. */
	attach(doc: SharedDoc): boolean {
		if (this.closed || this.doc) return false;
		this.doc = doc;
		doc.addConnection(this);
		// Ask a writer for what it has that we lack; from a reader we want nothing.
		if (this.access === 'write') this.askForWhatWeLack();
		const awareness = doc.awarenessMessage();
		if (awareness) this.send(awareness);
		const backlog = this.backlog ?? [];
		this.backlog = null;
		for (const msg of backlog) {
			if (this.closed) break;
			this.process(msg);
		}
		return true;
	}

	send(message: Uint8Array): void {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
		if (this.ws.bufferedAmount > this.maxBufferedBytes) {
			this.close(CLOSE.tryAgainLater, 'client too slow');
			return;
		}
		this.ws.send(message, (err) => {
			if (err) this.opts.log.debug({ conn: this.id, err: { message: err.message } }, 'collab: send failed');
		});
	}

	noteChange(): void {
		this.activeSinceSweep = true;
		if (this.changed) return;
		this.changed = true;
		this.opts.onFirstChange?.(this);
	}

	/** Closes at once: from now on nothing more is read, applied or sent. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.detach();
		try {
			this.ws.close(code, reason);
		} catch {
			this.ws.terminate();
		}
	}

	terminate(): void {
		this.closed = true;
		this.detach();
		this.ws.terminate();
	}

	private askForWhatWeLack(): void {
		if (this.doc) this.send(encodeSyncStep1(Y.encodeStateVector(this.doc.doc)));
	}

	private detach(): void {
		const doc = this.doc;
		this.backlog = null;
		if (!doc) return;
		this.doc = null;
		doc.removeConnection(this);
		this.opts.onDetach?.(this);
	}

	private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
		if (this.closed) return;
		if (!this.messageRate.take()) {
			this.refuse(CLOSE.rateLimited, 'too many messages');
			return;
		}
		if (!isBinary) {
			this.reject('text frame');
			return;
		}
		const bytes = toBytes(data);
		if (this.backlog) {
			if (this.backlog.length >= this.maxBacklog) {
				this.close(CLOSE.tryAgainLater, 'too many messages before the document was ready');
				return;
			}
			this.backlog.push(bytes);
			return;
		}
		this.process(bytes);
	}

	private process(bytes: Uint8Array): void {
		const doc = this.doc;
		if (!doc || this.closed) return;
		try {
			const msg = decodeMessage(bytes);
			switch (msg.type) {
				case 'sync-step1':
					if (!this.step1Rate.take()) return this.refuse(CLOSE.rateLimited, 'too many sync requests');
					doc.replySyncStep1(this, msg.stateVector);
					break;
				case 'sync-step2':
				case 'update': {
					if (this.access !== 'write') {
						this.dropped++;
						collabMetrics.updatesRefused.inc({ reason: 'read-only' });
						break;
					}
					const outcome = doc.receiveUpdate(this, msg.update);
					if (outcome.kind === 'missing') this.askForWhatWeLack();
					else if (outcome.kind === 'refused') {
						// The label is the refusal's kind only: the close reason also names an entity id the client chose, and a
						// label per id would grow the metrics without bound.
						collabMetrics.updatesRefused.inc({ reason: parseRefusal(outcome.reason)?.reason ?? 'refused' });
						this.refuse(CLOSE.refused, outcome.reason);
					} else if (outcome.kind === 'malformed') {
						collabMetrics.updatesRefused.inc({ reason: 'malformed' });
						this.reject(outcome.why);
					}
					break;
				}
				case 'awareness':
					if (msg.update.byteLength > this.opts.limits.awarenessMessageBytes)
						return this.refuse(CLOSE.tooLarge, 'presence message too large');
					if (!doc.receiveAwareness(this, msg.update)) this.refuse(CLOSE.tooLarge, 'too many presence states');
					break;
				case 'query-awareness': {
					const all = doc.awarenessMessage();
					if (all) this.send(all);
					break;
				}
			}
		} catch (err) {
			this.reject(err instanceof ProtocolError ? err.message : 'unexpected failure');
			if (!(err instanceof ProtocolError))
				this.opts.log.error({ err, conn: this.id, doc: this.docName }, 'collab: message handling failed');
		}
	}

	/** A deliberate refusal: logged with its reason (ours, never the client's bytes), then closed. */
	private refuse(code: number, reason: string): void {
		this.opts.log.warn(
			{ conn: this.id, doc: this.docName, user: this.identity.id, code, reason },
			'collab: refused, closing'
		);
		this.close(code, reason);
	}

	private reject(why: string): void {
		this.opts.log.warn(
			{ conn: this.id, doc: this.docName, user: this.identity.id, why },
			'collab: bad message, closing'
		);
		this.close(CLOSE.badMessage, 'bad message');
	}
}

function toBytes(data: WebSocket.RawData): Uint8Array {
	if (Array.isArray(data)) return Buffer.concat(data);
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return data;
}
