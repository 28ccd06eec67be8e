import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Browser, BrowserContextOptions, Page, WebSocketRoute } from '@playwright/test';
import { expect, login } from './fixtures';

export const PLAN_TITLE = 'Individuell plan for Jonas';

/** Logs `who` in, in a fresh browser context (its own cookies and IndexedDB; a screen or phone by `options`), without opening anything yet. */
export async function freshLogin(browser: Browser, who: string, options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ locale: 'nb-NO', ...options });
	const page = await context.newPage();
	await login(page, who);
	await expect(page.getByRole('link', { name: PLAN_TITLE })).toBeVisible();
	return page;
}

/** From the plan list: open the demo plan and wait until it is live and synced. */
export async function openPlanFromList(page: Page): Promise<void> {
	await page.getByRole('link', { name: PLAN_TITLE }).click();
	await leavePatientView(page);
	await waitUntilSynced(page);
}

/** The patient lands in their own view (issue 10); the whole, live plan is the plan menu's first link from there. */
export async function leavePatientView(page: Page): Promise<void> {
	// Waiting for the address only ('commit'), not the document's load event: a person waits for the plan to show
	// and go live (`waitUntilSynced`), and a client-side navigation has no load event of its own to wait for.
	await page.waitForURL(/\/plans\/[^/]+(\/min-plan)?$/, { waitUntil: 'commit' });
	if (!page.url().endsWith('/min-plan')) return;
	await page
		.getByRole('navigation', { name: /^(Planens sider|Sidene i planen)$/ })
		.getByRole('link', { name: 'Planen', exact: true })
		.click();
	await page.waitForURL(/\/plans\/[^/]+$/, { waitUntil: 'commit' });
}

export async function waitUntilSynced(page: Page): Promise<void> {
	await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
	await expect(page.getByRole('status').filter({ hasText: 'Tilkoblet' })).toBeVisible({ timeout: 10_000 });
}

// The offline copy: y-indexeddb keeps one database per user and document, with the updates in its 'updates' store.

/** The name of the IndexedDB database holding this browser's offline copy of a `plan:` (or `crisis:`, `voice:`) document. */
export async function offlineCopyName(page: Page, kind: 'plan' | 'crisis' | 'voice' = 'plan'): Promise<string> {
	const name = await page.evaluate(
		async (kind) =>
			(await indexedDB.databases())
				.map((d) => d.name ?? '')
				.find((n) => n.startsWith('fellesplan:') && n.includes(`:${kind}:`)) ?? '',
		kind
	);
	expect(name, `an offline copy of the ${kind} document`).not.toBe('');
	return name;
}

/** The offline copy as a Y.Doc: every stored update applied, as the app does when it starts offline. */
export async function readOfflineCopy(page: Page, name: string): Promise<Y.Doc> {
	const updates = await page.evaluate(
		(name) =>
			new Promise<number[][]>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('updates')) {
						db.close();
						resolve([]);
						return;
					}
					const all = db.transaction('updates', 'readonly').objectStore('updates').getAll();
					all.onsuccess = () => {
						db.close();
						resolve((all.result as Uint8Array[]).map((u) => Array.from(u)));
					};
					all.onerror = () => {
						db.close();
						reject(all.error);
					};
				};
			}),
		name
	);
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, Uint8Array.from(update));
	return doc;
}

/** Appends one update to the offline copy, where the app will find it the next time it opens the document. */
export async function addToOfflineCopy(page: Page, name: string, update: Uint8Array): Promise<void> {
	await page.evaluate(
		({ name, bytes }) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction('updates', 'readwrite');
					tx.objectStore('updates').add(Uint8Array.from(bytes));
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => {
						db.close();
						reject(tx.error);
					};
				};
			}),
		{ name, bytes: Array.from(update) }
	);
}

/** Nests `levels` blockquotes at the end of `fragment`, one level at a time (so building it never recurses). */
export function nestBlockquotes(fragment: Y.XmlFragment, levels: number, text: string): void {
	let at: Y.XmlFragment = fragment;
	for (let i = 0; i < levels; i++) {
		const quote = new Y.XmlElement('blockquote');
		at.insert(at.length, [quote]);
		at = quote;
	}
	const paragraph = new Y.XmlElement('paragraph');
	at.insert(0, [paragraph]);
	paragraph.insert(0, [new Y.XmlText(text)]);
}

// The collab socket, routed through the test.

/** A y-websocket sync message carrying `update`, as the server sends a change to its clients. */
export function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // sync
	encoding.writeVarUint(encoder, 2); // update
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** Whether a y-websocket message from the page carries document content (sync step 2 or an update with structs). */
export function carriesContent(message: string | Buffer): boolean {
	if (typeof message === 'string') return false;
	const decoder = decoding.createDecoder(new Uint8Array(message));
	if (decoding.readVarUint(decoder) !== 0) return false; // not a sync message (awareness, …)
	const kind = decoding.readVarUint(decoder);
	if (kind !== 1 && kind !== 2) return false; // step 1 only asks
	const update = decoding.readVarUint8Array(decoder);
	return Y.decodeUpdate(update).structs.length > 0;
}

export interface SocketGate {
	/** Every socket the page opened, in order. */
	readonly opened: string[];
	/** Sockets opened while blocked: open in the page, connected to nothing, silent. */
	readonly held: WebSocketRoute[];
	/** While true, new sockets reach nothing; while false, they reach the server. */
	blocked: boolean;
	/** While set, a new socket stays connecting in the page until this settles (a server that does not answer yet). */
	wait: Promise<void> | null;
	/**
	 * Sees each page→server message of a connected socket; return false to swallow it. `close` ends the
	 * socket as the server would, with a close code and reason, and closes the real connection behind it.
	 */
	inspect: ((message: string | Buffer, close: (code: number, reason: string) => void, url: string) => boolean) | null;
	/** The documents (socket URLs) the test closed itself, through `closeConnected` or an `inspect` close. */
	readonly closedByTest: string[];
	/** Closes every socket that is connected to the server now, as the server would, with `code`. */
	closeConnected(code: number, reason?: string): number;
	/** Sends a message to the page on the connected socket whose URL contains `match`, as the server would. */
	sendToPage(match: string, message: Uint8Array): void;
}

/** Routes the page's `/collab/` sockets through the test, so it can block them or play the server's part. */
export async function routeCollab(page: Page, blocked: boolean): Promise<SocketGate> {
	const connected = new Set<(code: number, reason: string) => void>();
	const sockets = new Map<string, WebSocketRoute>();
	const gate: SocketGate = {
		opened: [],
		closedByTest: [],
		held: [],
		blocked,
		wait: null,
		inspect: null,
		closeConnected(code, reason = '') {
			const all = [...connected];
			for (const close of all) close(code, reason);
			return all.length;
		},
		sendToPage(match, message) {
			const socket = [...sockets].find(([url]) => url.includes(match))?.[1];
			expect(socket, `a connected socket to ${match}`).toBeTruthy();
			socket!.send(Buffer.from(message));
		}
	};
	await page.routeWebSocket(/\/collab\//, async (ws) => {
		gate.opened.push(ws.url());
		if (gate.wait) await gate.wait;
		if (gate.blocked) {
			gate.held.push(ws); // never connected to the server: Playwright opens it in the page, and nothing answers
			return;
		}
		const server = ws.connectToServer();
		sockets.set(ws.url(), ws);
		// Once the test has closed a socket with its own code, the real connection's close that follows must not race
		// it to the page with another code (the page would see an ordinary close and reconnect at once).
		let closedByTest = false;
		const close = (code: number, reason: string) => {
			closedByTest = true;
			gate.closedByTest.push(ws.url());
			connected.delete(close);
			sockets.delete(ws.url());
			void ws.close({ code, reason }); // closes the real connection too
		};
		connected.add(close);
		// Server→page messages, and closes from either side, are forwarded by Playwright itself.
		ws.onMessage((message) => {
			if (gate.inspect && !gate.inspect(message, close, ws.url())) return;
			server.send(message);
		});
		server.onClose((code, reason) => {
			if (closedByTest) return;
			connected.delete(close);
			sockets.delete(ws.url());
			void ws.close({ code, reason });
		});
	});
	return gate;
}
