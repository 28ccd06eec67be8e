/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/**
 * Keeps the crisis plan's quick view (/plans/<id>/krise) readable offline, per plan: network first, the stored
 * copy when there is no network. Nothing else is ever stored: no other page, no /api, /collab or /login answer.
 * The copy is health data on a shared device, so it goes at logout and when anyone logs in, and a plan the
 * person may no longer read (403/404) loses its copy.
 */
import { OFFLINE_PAGES_CACHE } from '$lib/collab/offline';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** Not versioned: a new release must not drop the copies people rely on offline (assets are pruned instead). */
const CACHE = OFFLINE_PAGES_CACHE;
const CRISIS_PAGE = /^\/plans\/[^/]+\/krise\/?$/;
/** What the stored page needs besides itself: hashed CSS, the registration script, the icon. */
const PAGE_ASSET = /^\/(_app\/immutable\/assets\/[^/]+\.css|crisis-offline\.js|favicon\.svg)$/;
/** A network that does not answer in this time is treated as none, when a copy is at hand. */
const NETWORK_TIMEOUT_MS = 6000;

const pageKey = (url: URL) => `${url.origin}${url.pathname.replace(/\/$/, '')}`;

sw.addEventListener('install', () => {
	void sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(sw.clients.claim());
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// Logging in or out: nobody's copy survives it (the logout answer also carries Clear-Site-Data).
	if (request.method === 'POST' && (url.pathname === '/logout' || url.pathname === '/login')) {
		event.waitUntil(caches.delete(CACHE));
		return;
	}
	if (request.method !== 'GET') return;
	if (request.mode === 'navigate' && CRISIS_PAGE.test(url.pathname)) {
		event.respondWith(crisisPage(request, url));
		return;
	}
	if (PAGE_ASSET.test(url.pathname)) event.respondWith(pageAsset(request));
	// Everything else goes to the network untouched.
});

sw.addEventListener('message', (event) => {
	const data = event.data as { type?: string; path?: string } | null;
	if (data?.type !== 'keep-crisis-page' || typeof data.path !== 'string' || !CRISIS_PAGE.test(data.path)) return;
	const url = new URL(data.path, sw.location.origin);
	event.waitUntil(
		fetch(url, { credentials: 'same-origin', redirect: 'manual' })
			.then((response) => settle(url, response))
			.catch(() => {})
	);
});

async function crisisPage(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	const stored = await cache.match(pageKey(url));
	let response: Response;
	try {
		response = await (stored ? withTimeout(fetch(request), NETWORK_TIMEOUT_MS) : fetch(request));
	} catch {
		if (stored) return markOffline(stored);
		return Response.error();
	}
	await settle(url, response.clone());
	return response;
}

/** Store a fresh page (and what it needs); drop the copy when the answer says the person may not read it. */
async function settle(url: URL, response: Response): Promise<void> {
	const cache = await caches.open(CACHE);
	if (response.status === 200 && response.type === 'basic') {
		const html = await response.clone().text();
		await cache.put(pageKey(url), response);
		await Promise.all(
			assetsOf(html).map(async (path) => {
				const key = new URL(path, url).href;
				if (path.startsWith('/_app/immutable/') && (await cache.match(key))) return;
				const asset = await fetch(key, { credentials: 'same-origin' });
				if (asset.ok) await cache.put(key, asset);
			})
		);
		await pruneAssets(cache);
	} else if (response.status === 403 || response.status === 404 || response.status === 410) {
		await cache.delete(pageKey(url));
		await pruneAssets(cache);
	}
	// A redirect (the session ended) keeps the copy: the device's owner may still need it offline, and the
	// next login, by anyone, deletes it.
}

async function pageAsset(request: Request): Promise<Response> {
	const cache = await caches.open(CACHE);
	const stored = await cache.match(request.url);
	// Hashed files never change: the stored one is as good as the network's.
	if (stored && new URL(request.url).pathname.startsWith('/_app/immutable/')) return stored;
	try {
		return await fetch(request);
	} catch {
		return stored ?? Response.error();
	}
}

function assetsOf(html: string): string[] {
	const found = new Set<string>();
	for (const match of html.matchAll(/(?:href|src)="(\/[^"?#]+)"/g)) if (PAGE_ASSET.test(match[1])) found.add(match[1]);
	return [...found];
}

/** Assets no stored page refers to any more (an older release's CSS) are removed. */
async function pruneAssets(cache: Cache): Promise<void> {
	const keys = await cache.keys();
	const pages = keys.filter((k) => CRISIS_PAGE.test(new URL(k.url).pathname));
	const needed = new Set<string>();
	for (const page of pages) {
		const stored = await cache.match(page);
		if (stored) for (const path of assetsOf(await stored.text())) needed.add(new URL(path, page.url).href);
	}
	await Promise.all(
		keys.filter((k) => !CRISIS_PAGE.test(new URL(k.url).pathname) && !needed.has(k.url)).map((k) => cache.delete(k))
	);
}

/** The stored page, marked as the offline copy (the page's CSS then shows the notice with the copy's time). */
async function markOffline(stored: Response): Promise<Response> {
	const html = (await stored.text()).replace('data-copy="live"', 'data-copy="offline"');
	return new Response(html, { status: 200, statusText: 'OK', headers: stored.headers });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timeout')), ms);
		promise.then(
			(value) => (clearTimeout(timer), resolve(value)),
			(err) => (clearTimeout(timer), reject(err))
		);
	});
}
