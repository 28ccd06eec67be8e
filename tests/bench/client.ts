/**
 * A lean y-websocket protocol client for the bench: a Y.Doc per socket, sync (step 1/2, updates) through
 * `y-protocols/sync`, no awareness. The SAME class is used against our server and the bare relay, so any
 * client-side cost is identical on both sides.
 */
import WebSocket from 'ws';
import { sleep, withTimeout } from '../helpers/timing';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

const MESSAGE_SYNC = 0;

export interface BenchClientOptions {
	/** Full URL of the document's socket. */
	url: string;
	/** `Cookie` header (our server needs the session; the relay ignores it). */
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

	constructor(private readonly opts: BenchClientOptions) {
		this.synced = new Promise<number>((resolve, reject) => {
			this.resolveSynced = resolve;
			this.rejectSynced = reject;
		});
		this.synced.catch(() => {});
		liveClients.add(this);
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
			const enc = encoding.createEncoder();
			encoding.writeVarUint(enc, MESSAGE_SYNC);
			syncProtocol.writeSyncStep1(enc, this.doc);
			this.ws.send(encoding.toUint8Array(enc));
		});
		this.ws.on('message', (data) => this.onMessage(data as Buffer));
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return;
			const enc = encoding.createEncoder();
			encoding.writeVarUint(enc, MESSAGE_SYNC);
			syncProtocol.writeUpdate(enc, update);
			if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(enc));
		});
	}

	private onMessage(data: Buffer): void {
		const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		const type = decoding.readVarUint(decoder);
		if (type !== MESSAGE_SYNC) return; // awareness and anything else: not needed here
		if (this.opts.writeOnly && this.isSynced && decoding.peekVarUint(decoder) === syncProtocol.messageYjsUpdate) return;
		if (
			!this.isSynced &&
			Number.isNaN(this.step2ReceivedAt) &&
			decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep2
		) {
			this.step2ReceivedAt = performance.now();
		}
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, MESSAGE_SYNC);
		const syncType = syncProtocol.readSyncMessage(decoder, enc, this.doc, this);
		if (encoding.length(enc) > 1 && this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(enc));
		if (syncType === syncProtocol.messageYjsSyncStep2 && !this.isSynced) {
			this.isSynced = true;
			this.resolveSynced(performance.now());
		} else if (syncType === syncProtocol.messageYjsUpdate) {
			this.opts.onApplied?.(this);
		}
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
