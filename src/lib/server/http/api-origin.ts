/**
 * SvelteKit checks `Origin` on form posts only; JSON writes to `/api` get the same check here: a browser always
 * sends `Origin`, and a request that changes something must come from the app's own origin. A script can send
 * the header too (the README's curl examples do), so nothing honest is lost.
 */
export function apiWriteAllowed(request: Request, url: URL): boolean {
	if (!url.pathname.startsWith('/api/')) return true;
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return true;
	return request.headers.get('origin') === url.origin;
}
