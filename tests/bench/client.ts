/**
 * A lean sync client for the bench: a Y.Doc per socket, sync (step 1/2, updates) through `y-protocols/sync`, no
 * awareness. The SAME class is used against every server, so any client-side cost is identical on all sides. It
 * speaks two framings of the same protocol:
 *   - y-websocket (ours, the relay): one document per socket, named in the URL; a message is `type, payload`;
 *   - Hocuspocus: every message starts with the document's name (`name, type, payload`), and the socket first
 *     sends an authentication message (the session travels as the cookie, as for ours; the token is empty).
 */
import WebSocket from 'ws';
import { sleep, withTimeout } from '../helpers/timing';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

const MESSAGE_SYNC = 0;
/** Hocuspocus: authentication (its sub-type 0 carries a token, 1 is a refusal, 2 the acceptance). */
const HP_AUTH = 2;
const HP_AUTH_TOKEN = 0;
const HP_AUTH_DENIED = 1;
/** Hocuspocus: asks for the awareness states; a cheap keep-alive for its 60 s idle timeout. */
const HP_QUERY_AWARENESS = 3;
/** Hocuspocus: a sync message that does not ask for the client's step 1 back. */
const HP_SYNC_REPLY = 4;
/** Hocuspocus's stock provider keeps a socket alive with awareness renewals every 15 s; this stands in for them. */
const HP_KEEPALIVE_MS = 20_000;

export type Framing = 'y-websocket' | 'hocuspocus';

export interface BenchClientOptions {
	/** Full URL of the document's socket. */
	url: string;
	/** The document's name: Hocuspocus frames every message with it. */
	docName: string;
	framing: Framing;
	/** `Cookie` header (ours and Hocuspocus check the session; the relay ignores it). */
	cookie?: string;
	/** Applied to the client's doc before it connects (content the client brings, e.g. to the relay). */
	initialUpdate?: Uint8Array;
	/** Called after each remote update has been applied to `doc`. */
	onApplied?: (client: BenchClient) => void;
	/**
	 * Once synced, drop other clients' updates unread (an editor that only writes): the server's work is the
	 * same, and the client process is spared applying every edit in every one of hundreds of docs.
	 */
	writeOnly?: boolean;
}

/** Every client not yet closed, so a failed run can still terminate them all. */
export const liveClients = new Set<BenchClient>();

let keepAlive: NodeJS.Timeout | null = null;
function keepHocuspocusAlive(): void {
	if (keepAlive) return;
	keepAlive = setInterval(() => {
		for (const c of liveClients) c.ping();
	}, HP_KEEPALIVE_MS);
	keepAlive.unref();
}

export class BenchClient {
	readonly doc = new Y.Doc();
	readonly ws: WebSocket;
	/** Resolves with the time (performance.now) sync step 2 arrived. */
	readonly synced: Promise<number>;
	readonly closed: Promise<number>;
	/** performance.now() when the socket was created. */
	readonly startedAt = performance.now();
	isSynced = false;
	/** performance.now() when the sync step 2 frame arrived (before it was applied). */
	step2ReceivedAt = NaN;
	private resolveSynced!: (t: number) => void;
	private rejectSynced!: (err: Error) => void;
	private readonly framed: boolean;

	constructor(private readonly opts: BenchClientOptions) {
		this.framed = opts.framing === 'hocuspocus';
		this.synced = new Promise<number>((resolve, reject) => {
			this.resolveSynced = resolve;
			this.rejectSynced = reject;
		});
		this.synced.catch(() => {});
		liveClients.add(this);
		if (this.framed) keepHocuspocusAlive();
		if (opts.initialUpdate) Y.applyUpdate(this.doc, opts.initialUpdate, this);
		this.ws = new WebSocket(opts.url, {
			headers: opts.cookie ? { cookie: opts.cookie } : {},
			perMessageDeflate: false
		});
		this.ws.binaryType = 'nodebuffer';
		this.closed = new Promise<number>((resolve) => this.ws.once('close', (code) => resolve(code)));
		this.ws.on('error', (err) => this.rejectSynced(err));
		this.ws.once('close', (code) => this.rejectSynced(new Error(`closed ${code} before sync`)));
		this.ws.on('open', () => {
			if (this.framed) {
				const auth = this.encoder(HP_AUTH);
				encoding.writeVarUint(auth, HP_AUTH_TOKEN);
				encoding.writeVarString(auth, '');
				this.ws.send(encoding.toUint8Array(auth));
			}
			const enc = this.encoder(MESSAGE_SYNC);
			syncProtocol.writeSyncStep1(enc, this.doc);
			this.ws.send(encoding.toUint8Array(enc));
		});
		this.ws.on('message', (data) => this.onMessage(data as Buffer));
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return;
			const enc = this.encoder(MESSAGE_SYNC);
			syncProtocol.writeUpdate(enc, update);
			if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(enc));
		});
	}

	/** A new message of `type`, framed for this client's server. */
	private encoder(type: number): encoding.Encoder {
		const enc = encoding.createEncoder();
		if (this.framed) encoding.writeVarString(enc, this.opts.docName);
		encoding.writeVarUint(enc, type);
		return enc;
	}

	private onMessage(data: Buffer): void {
		const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		if (this.framed) decoding.readVarString(decoder); // one document per socket here
		const type = decoding.readVarUint(decoder);
		if (this.framed && type === HP_AUTH) {
			if (decoding.readVarUint(decoder) === HP_AUTH_DENIED) {
				this.rejectSynced(new Error(`refused: ${decoding.readVarString(decoder)}`));
				this.ws.close();
			}
			return;
		}
		if (type !== MESSAGE_SYNC && !(this.framed && type === HP_SYNC_REPLY)) return; // awareness, acks, …
		if (this.opts.writeOnly && this.isSynced && decoding.peekVarUint(decoder) === syncProtocol.messageYjsUpdate) return;
		if (
			!this.isSynced &&
			Number.isNaN(this.step2ReceivedAt) &&
			decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep2
		) {
			this.step2ReceivedAt = performance.now();
		}
		const enc = this.encoder(MESSAGE_SYNC);
		const empty = encoding.length(enc);
		const syncType = syncProtocol.readSyncMessage(decoder, enc, this.doc, this);
		if (encoding.length(enc) > empty && this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(enc));
		if (syncType === syncProtocol.messageYjsSyncStep2 && !this.isSynced) {
			this.isSynced = true;
			this.resolveSynced(performance.now());
		} else if (syncType === syncProtocol.messageYjsUpdate) {
			this.opts.onApplied?.(this);
		}
	}

	/** Hocuspocus closes a socket that sent nothing for 60 s; its provider would have renewed awareness by then. */
	ping(): void {
		if (!this.framed || this.ws.readyState !== WebSocket.OPEN) return;
		this.ws.send(encoding.toUint8Array(this.encoder(HP_QUERY_AWARENESS)));
	}

	close(): void {
		liveClients.delete(this);
		this.ws.close();
		this.doc.destroy();
	}

	terminate(): void {
		liveClients.delete(this);
		this.ws.terminate();
		this.doc.destroy();
	}
}

/** Connects `n` clients with at most `parallel` handshakes in flight; rejects if any fails to sync in time. */
export async function connectMany(
	specs: BenchClientOptions[],
	{ parallel = 25, timeoutMs = 20_000 }: { parallel?: number; timeoutMs?: number } = {}
): Promise<BenchClient[]> {
	const out: BenchClient[] = new Array(specs.length);
	let next = 0;
	const worker = async () => {
		while (next < specs.length) {
			const i = next++;
			const c = new BenchClient(specs[i]);
			out[i] = c;
			await withTimeout(c.synced, timeoutMs, `sync of client ${i}`);
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, specs.length) }, worker));
	return out;
}

export { sleep, withTimeout };
