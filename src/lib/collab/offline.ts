/**
 * Offline copies of plans live in IndexedDB, one store per user and document, so edits made without a
 * connection survive a reload and merge when it returns. They hold health data, so logging out wipes them.
 */
const PREFIX = 'fellesplan:';

/** The Cache Storage cache where the service worker keeps the crisis plan's quick view (src/service-worker.ts). */
export const OFFLINE_PAGES_CACHE = 'fellesplan-crisis';

export function offlineStoreName(userId: string, docName: string): string {
	return `${PREFIX}${userId}:${docName}`;
}

export async function clearOfflineCopies(): Promise<void> {
	if (typeof caches !== 'undefined') await caches.delete(OFFLINE_PAGES_CACHE).catch(() => false);
	if (typeof indexedDB === 'undefined' || !indexedDB.databases) return;
	const all = await indexedDB.databases();
	await Promise.all(
		all
			.filter((d) => d.name?.startsWith(PREFIX))
			.map(
				(d) =>
					new Promise<void>((resolve) => {
						const req = indexedDB.deleteDatabase(d.name!);
						req.onsuccess = req.onerror = req.onblocked = () => resolve();
					})
			)
	);
}
