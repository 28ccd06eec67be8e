import { listenForUpgrades } from '../../helpers/upgrade-server';
import { sleep, withTimeout } from '../../helpers/timing';
import pino from 'pino';
import { count, eq } from 'drizzle-orm';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createCollabServer, type CollabServer, type CollabServerOptions } from '../../../src/lib/server/collab';
import type { Db } from '../../../src/lib/server/db';
import { docSnapshots, docUpdates } from '../../../src/lib/server/db/schema';
import type { TestUser } from './fixtures';

export const APP_ORIGIN = 'http://app.example.test';

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestNode {
	collab: CollabServer;
	/** `ws://127.0.0.1:<port>/collab`: the base URL the provider appends the room name to. */
	wsBase: string;
	port: number;
	/** Closes the collab server (gracefully unless `flush: false`) and the HTTP server. */
	stop(opts?: { flush?: boolean }): Promise<void>;
}

const running = new Set<TestNode>();

/** A plain HTTP server on port 0 with the collab upgrade handler, as the production entry wires it. */
export async function startNode(db: Db, opts: Partial<CollabServerOptions> = {}): Promise<TestNode> {
	const collab = createCollabServer({
		db,
		log: silentLog,
		idleUnloadMs: 100,
		catchUpDelayMs: 0,
		...opts,
		config: {
			origin: APP_ORIGIN,
			redisUrl: undefined,
			collabMaxMessageBytes: 1024 * 1024,
			collabIdleUnloadSeconds: 30,
			sessionIdleMinutes: 60,
			...opts.config
		}
	});
	const server = await listenForUpgrades((req, socket, head) => {
		if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
	});
	const port = server.port;
	let stopped = false;
	const node: TestNode = {
		collab,
		port,
		wsBase: `ws://127.0.0.1:${port}/collab`,
		async stop({ flush = true } = {}) {
			if (stopped) return;
			stopped = true;
			running.delete(node);
			await collab.close({ flush });
			await server.close();
		}
	};
	running.add(node);
	return node;
}

/** A `ws` WebSocket that sends the given headers (cookie, origin), as a browser would. */
export function socketClass(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	} as typeof WebSocket;
}

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Resolves with the first close code the server sent. */
	closed: Promise<number>;
	whenSynced(): Promise<void>;
	destroy(): void;
}

const clients = new Set<TestClient>();

export interface ConnectOptions {
	origin?: string;
	doc?: Y.Doc;
}

/** The stock `y-websocket` client, in Node. */
export function connectClient(
	node: TestNode,
	docName: string,
	user: TestUser | null,
	opts: ConnectOptions = {}
): TestClient {
	const headers: Record<string, string> = {};
	if (user) headers.cookie = user.cookie;
	if (opts.origin) headers.origin = opts.origin;
	const doc = opts.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(node.wsBase, docName, doc, {
		connect: true,
		disableBc: true,
		maxBackoffTime: 200,
		WebSocketPolyfill: socketClass(headers) as unknown as typeof globalThis.WebSocket
	});
	const closed = new Promise<number>((resolve) => {
		provider.on('connection-close', (event) => {
			if (event) resolve(event.code);
		});
	});
	const client: TestClient = {
		doc,
		provider,
		closed,
		whenSynced: () =>
			provider.synced
				? Promise.resolve()
				: new Promise<void>((resolve) => {
						const onSync = (s: boolean) => {
							if (!s) return;
							provider.off('sync', onSync);
							resolve();
						};
						provider.on('sync', onSync);
					}),
		destroy() {
			clients.delete(client);
			provider.destroy();
			doc.destroy();
		}
	};
	clients.add(client);
	return client;
}

export async function connectSynced(
	node: TestNode,
	docName: string,
	user: TestUser,
	opts: ConnectOptions = {}
): Promise<TestClient> {
	const c = connectClient(node, docName, user, opts);
	await withTimeout(c.whenSynced(), 5000, `sync of ${docName}`);
	return c;
}

export interface RawSocket {
	ws: WebSocket;
	opened: Promise<void>;
	closed: Promise<number>;
	/** The close reason the server gave (empty until closed). */
	closeReason(): string;
	messages: Uint8Array[];
}

/** A bare socket for sending bytes the stock client never would. */
export function rawSocket(
	node: TestNode,
	docName: string,
	user: TestUser | null,
	headers: Record<string, string> = {}
): RawSocket {
	const ws = new WebSocket(`${node.wsBase}/${encodeURIComponent(docName)}`, {
		headers: { ...(user ? { cookie: user.cookie } : {}), ...headers }
	});
	const messages: Uint8Array[] = [];
	ws.on('message', (data) => messages.push(new Uint8Array(data as Buffer)));
	ws.on('error', () => {});
	const opened = new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('close', () => reject(new Error('closed before open')));
	});
	opened.catch(() => {});
	let reason = '';
	const closed = new Promise<number>((resolve) =>
		ws.once('close', (code, why) => {
			reason = why.toString();
			resolve(code);
		})
	);
	rawSockets.add(ws);
	return { ws, opened, closed, closeReason: () => reason, messages };
}

const rawSockets = new Set<WebSocket>();

/** Tear down every client, socket and node a test started. */
export async function cleanup(): Promise<void> {
	for (const c of [...clients]) c.destroy();
	for (const ws of rawSockets) ws.terminate();
	rawSockets.clear();
	await Promise.all([...running].map((n) => n.stop()));
}

export async function waitFor<T>(
	check: () => T | Promise<T>,
	{ timeout = 5000, interval = 10, what = 'condition' }: { timeout?: number; interval?: number; what?: string } = {}
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeout;
	let last: unknown;
	for (;;) {
		try {
			const v = await check();
			if (v) return v as NonNullable<T>;
		} catch (err) {
			last = err;
		}
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
		await sleep(interval);
	}
}

export { sleep, withTimeout };

export async function countUpdates(db: Db, docName: string): Promise<number> {
	const [row] = await db.select({ n: count() }).from(docUpdates).where(eq(docUpdates.docName, docName));
	return Number(row.n);
}

export async function storedUpdates(db: Db, docName: string) {
	return db.select().from(docUpdates).where(eq(docUpdates.docName, docName)).orderBy(docUpdates.id);
}

export async function snapshotRow(db: Db, docName: string) {
	const [row] = await db.select().from(docSnapshots).where(eq(docSnapshots.docName, docName));
	return row ?? null;
}

/** The document as stored: snapshot plus every later update, applied to a fresh Y.Doc. */
export async function storedDoc(db: Db, docName: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const snap = await snapshotRow(db, docName);
	if (snap) Y.applyUpdate(doc, snap.state);
	for (const r of await storedUpdates(db, docName)) if (!snap || r.id > snap.throughId) Y.applyUpdate(doc, r.update);
	return doc;
}
