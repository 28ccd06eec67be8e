/** URL-safe alphabet of exactly 64 symbols, so `byte & 63` picks one without bias. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A random 16-character id (96 bits). Web Crypto exists in browsers and in Node 20 as a global. */
export function newId(length = 16): string {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	let id = '';
	for (const b of bytes) id += ALPHABET[b & 63];
	return id;
}

/** Ids come from other clients too; only short URL-safe strings are accepted as entity keys. */
export function isValidId(value: unknown): value is string {
	return typeof value === 'string' && ID_PATTERN.test(value);
}
