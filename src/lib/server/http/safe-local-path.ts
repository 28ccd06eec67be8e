const BASE = new URL('http://fellesplan.invalid');

/**
 * A same-origin path to redirect to, or `fallback`. Browsers read `/\host` like `//host`, strip tabs and
 * newlines before parsing (`/\t/host` becomes `//host`), and some proxies decode `%5C` or `%2F` before
 * the browser ever sees them, so any of those, encoded or not, falls back rather than being repaired.
 */
export function safeLocalPath(target: unknown, fallback = '/'): string {
	if (typeof target !== 'string' || !target.startsWith('/') || target.length > 2048) return fallback;
	let decoded: string;
	try {
		decoded = decodeURIComponent(target);
	} catch {
		return fallback;
	}
	for (const s of [target, decoded]) {
		// Control characters are what this refuses.
		// eslint-disable-next-line no-control-regex
		if (/[\u0000-\u001f\u007f\\]/.test(s) || s.startsWith('//')) return fallback;
	}
	const url = new URL(target, BASE);
	if (url.origin !== BASE.origin) return fallback;
	return url.pathname + url.search + url.hash;
}
