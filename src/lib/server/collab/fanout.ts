import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { CollabLogger } from './types';

/**
 * Fan-out between nodes that have the same document open: one Redis channel per loaded document.
 * PostgreSQL stays the source of truth; this only carries live traffic. Every message names the node that
 * sent it (a node ignores its own) and optionally the one node it is meant for.
 */
export type FanoutMessage =
	| { kind: 'update'; from: string; update: Uint8Array }
	| { kind: 'awareness'; from: string; update: Uint8Array }
	/**
	 * "Send me what I lack": answered by every node holding the document with a diff against this vector (and,
	 * when the asker has something the answerer lacks, a query back to it).
	 */
	| { kind: 'sync-query'; from: string; stateVector: Uint8Array }
	/** "Who is here?": answered with the awareness states of the answering node's own clients. */
	| { kind: 'awareness-query'; from: string };

export type FanoutHandler = (msg: FanoutMessage) => void;

export interface Fanout {
	readonly nodeId: string;
	/** Resolves once the subscription is active (so nothing published after it is missed). */
	subscribe(docName: string, handler: FanoutHandler): Promise<void>;
	unsubscribe(docName: string): Promise<void>;
	publishUpdate(docName: string, update: Uint8Array, to?: string): void;
	publishAwareness(docName: string, update: Uint8Array, to?: string): void;
	querySync(docName: string, stateVector: Uint8Array, to?: string): void;
	/** True while Redis is connected (both connections ready); false while it is down and the node serves alone. */
	isUp(): boolean;
	queryAwareness(docName: string): void;
	/** Called once Redis is back after an outage: messages were lost, so documents resync. */
	onReconnect(cb: () => void): void;
	/** Tells every other node that access changed (a consent, a seat, a plan's status): they recheck their sockets. */
	publishAccessChange(filter: AccessChange): void;
	onAccessChange(cb: (filter: AccessChange) => void): void;
	close(): Promise<void>;
}

/** Whose access changed: one plan's members, one person, or both narrowed; or one session ended. Ids only. */
export interface AccessChange {
	planId?: string;
	userId?: string;
	/** A session that ended (logout, password changed): its sockets close with 4401 on every node. */
	sessionId?: string;
}

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const KIND_SYNC_QUERY = 2;
const KIND_AWARENESS_QUERY = 3;

function encodeEnvelope(from: string, to: string, kind: number, payload: Uint8Array): Buffer {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, from);
	encoding.writeVarString(encoder, to);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	const bytes = encoding.toUint8Array(encoder);
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeEnvelope(data: Uint8Array): { from: string; to: string; msg: FanoutMessage } {
	const decoder = decoding.createDecoder(data);
	const from = decoding.readVarString(decoder);
	const to = decoding.readVarString(decoder);
	const kind = decoding.readVarUint(decoder);
	const payload = decoding.readVarUint8Array(decoder);
	switch (kind) {
		case KIND_UPDATE:
			return { from, to, msg: { kind: 'update', from, update: payload } };
		case KIND_AWARENESS:
			return { from, to, msg: { kind: 'awareness', from, update: payload } };
		case KIND_SYNC_QUERY:
			return { from, to, msg: { kind: 'sync-query', from, stateVector: payload } };
		case KIND_AWARENESS_QUERY:
			return { from, to, msg: { kind: 'awareness-query', from } };
		default:
			throw new Error(`unknown fan-out message kind ${kind}`);
	}
}

export interface RedisFanoutOptions {
	url: string;
	nodeId: string;
	log: CollabLogger;
	/** Channel name prefix; the document name follows. */
	channelPrefix?: string;
	/** How long a subscribe may take before the document load fails (and the client retries). */
	subscribeTimeoutMs?: number;
}

/** Two connections, as Redis requires: one in subscriber mode, one to publish. */
export class RedisFanout implements Fanout {
	readonly nodeId: string;
	private readonly pub: Redis;
	private readonly sub: Redis;
	private readonly prefix: string;
	private readonly handlers = new Map<string, FanoutHandler>();
	private readonly reconnectCallbacks: Array<() => void> = [];
	private readonly accessCallbacks: Array<(filter: AccessChange) => void> = [];
	/** One channel for every node: access changes are not about a loaded document. */
	private readonly accessChannel: string;
	private readonly subscribeTimeoutMs: number;
	private closed = false;
	/** Redis was lost (an error or a closed connection) and both connections are not ready again yet. */
	private down = false;
	/**
	 * A SUBSCRIBE sent before the connection's ready check finishes makes that check (INFO) fail with
	 * "Connection in subscriber mode", and the subscription is lost. So subscribing waits for ready.
	 */
	private readonly subReady: Promise<void>;

	constructor(private readonly opts: RedisFanoutOptions) {
		this.nodeId = opts.nodeId;
		this.prefix = opts.channelPrefix ?? 'fp:doc:';
		this.accessChannel = `${this.prefix}access`;
		this.subscribeTimeoutMs = opts.subscribeTimeoutMs ?? 5000;
		this.pub = new Redis(opts.url, { maxRetriesPerRequest: 3 });
		this.sub = new Redis(opts.url, { maxRetriesPerRequest: 3 });
		this.subReady = new Promise((resolve) => this.sub.once('ready', () => resolve()));
		void this.subReady
			.then(() => this.sub.subscribe(this.accessChannel))
			.catch((err: Error) => {
				if (!this.closed)
					opts.log.warn({ err: { message: err.message } }, 'collab: could not subscribe to access changes');
			});
		// ioredis reconnects by itself (and logs an error per attempt): say once that it is down, once that it is back.
		let lastError = '';
		const onError = (err: Error) => {
			if (this.closed || err.message === lastError) return;
			lastError = err.message;
			opts.log.warn({ err: { message: err.message } }, 'collab: redis error');
		};
		const onLost = () => {
			if (this.closed || this.down) return;
			this.down = true;
			opts.log.error(
				{ nodeId: this.nodeId },
				'collab: redis down; this node serves its own clients alone until it is back'
			);
		};
		const onReady = () => {
			lastError = '';
			if (!this.down || !this.isUp()) return;
			this.down = false;
			opts.log.info({ nodeId: this.nodeId }, 'collab: redis back; resubscribing and resyncing documents');
			// Channels subscribed while it was down never reached Redis; autoResubscribe covers the others.
			const channels = [this.accessChannel, ...[...this.handlers.keys()].map((d) => this.prefix + d)];
			this.sub.subscribe(...channels).then(
				() => {
					for (const cb of this.reconnectCallbacks) cb();
				},
				(err: Error) => opts.log.warn({ err: { message: err.message } }, 'collab: redis resubscribe failed')
			);
		};
		for (const conn of [this.pub, this.sub]) {
			conn.on('error', onError);
			conn.on('close', onLost);
			conn.on('ready', onReady);
		}
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel, message));
	}

	private receive(channel: Buffer, message: Buffer): void {
		const name = channel.toString('utf8');
		if (name === this.accessChannel) return this.receiveAccessChange(message);
		if (!name.startsWith(this.prefix)) return;
		const handler = this.handlers.get(name.slice(this.prefix.length));
		if (!handler) return;
		let envelope: ReturnType<typeof decodeEnvelope>;
		try {
			envelope = decodeEnvelope(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
		} catch (err) {
			this.opts.log.warn({ err: { message: (err as Error).message } }, 'collab: unreadable fan-out message');
			return;
		}
		if (envelope.from === this.nodeId) return;
		if (envelope.to && envelope.to !== this.nodeId) return;
		try {
			handler(envelope.msg);
		} catch (err) {
			this.opts.log.error({ err, kind: envelope.msg.kind }, 'collab: fan-out message failed');
		}
	}

	isUp(): boolean {
		return !this.closed && this.pub.status === 'ready' && this.sub.status === 'ready';
	}

	async subscribe(docName: string, handler: FanoutHandler): Promise<void> {
		this.handlers.set(docName, handler);
		if (this.down) {
			// Serve alone for now: the channel is subscribed when Redis is back, and the document resyncs then.
			return;
		}
		let timer: ReturnType<typeof setTimeout> | undefined;
		try {
			await Promise.race([
				this.subReady.then(() => this.sub.subscribe(this.prefix + docName)),
				new Promise((_, reject) => {
					timer = setTimeout(() => reject(new Error('redis subscribe timed out')), this.subscribeTimeoutMs);
				})
			]);
		} catch (err) {
			if (this.handlers.get(docName) === handler) this.handlers.delete(docName);
			throw err;
		} finally {
			clearTimeout(timer);
		}
	}

	async unsubscribe(docName: string): Promise<void> {
		this.handlers.delete(docName);
		if (this.closed) return;
		if (this.down) {
			// Not waited for: an unload must not hang on Redis. A channel left over only carries ignored messages.
			this.sub.unsubscribe(this.prefix + docName).catch(() => {});
			return;
		}
		try {
			await this.sub.unsubscribe(this.prefix + docName);
		} catch (err) {
			this.opts.log.warn({ err: { message: (err as Error).message } }, 'collab: redis unsubscribe failed');
		}
	}

	private publish(docName: string, kind: number, payload: Uint8Array, to = ''): void {
		// While Redis is down nothing is queued: the state-vector resync after it returns carries what was missed.
		if (this.closed || this.down) return;
		this.pub.publish(this.prefix + docName, encodeEnvelope(this.nodeId, to, kind, payload)).catch((err: Error) => {
			this.opts.log.warn({ err: { message: err.message } }, 'collab: redis publish failed');
		});
	}

	publishUpdate(docName: string, update: Uint8Array, to?: string): void {
		this.publish(docName, KIND_UPDATE, update, to);
	}

	publishAwareness(docName: string, update: Uint8Array, to?: string): void {
		this.publish(docName, KIND_AWARENESS, update, to);
	}

	querySync(docName: string, stateVector: Uint8Array, to?: string): void {
		this.publish(docName, KIND_SYNC_QUERY, stateVector, to);
	}

	queryAwareness(docName: string): void {
		this.publish(docName, KIND_AWARENESS_QUERY, new Uint8Array(0));
	}

	onReconnect(cb: () => void): void {
		this.reconnectCallbacks.push(cb);
	}

	publishAccessChange(filter: AccessChange): void {
		if (this.closed || this.down) return;
		const body = JSON.stringify({
			from: this.nodeId,
			planId: filter.planId,
			userId: filter.userId,
			sessionId: filter.sessionId
		});
		this.pub
			.publish(this.accessChannel, body)
			.catch((err: Error) => this.opts.log.warn({ err: { message: err.message } }, 'collab: redis publish failed'));
	}

	onAccessChange(cb: (filter: AccessChange) => void): void {
		this.accessCallbacks.push(cb);
	}

	private receiveAccessChange(message: Buffer): void {
		let parsed: { from?: unknown; planId?: unknown; userId?: unknown; sessionId?: unknown };
		try {
			parsed = JSON.parse(message.toString('utf8'));
		} catch {
			return;
		}
		if (parsed.from === this.nodeId) return;
		const filter: AccessChange = {};
		if (typeof parsed.planId === 'string') filter.planId = parsed.planId;
		if (typeof parsed.userId === 'string') filter.userId = parsed.userId;
		if (typeof parsed.sessionId === 'string') filter.sessionId = parsed.sessionId;
		for (const cb of this.accessCallbacks) cb(filter);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.handlers.clear();
		await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
		this.pub.disconnect();
		this.sub.disconnect();
	}
}
