import { AsyncLocalStorage } from 'node:async_hooks';
import { getServerAsyncLocalStorage, overwriteServerAsyncLocalStorage, type Locale } from '$lib/paraglide/runtime';

/**
 * Runs `fn` with Paraglide's messages in `locale`, whatever request (or none) started it: a background job writes a
 * document in the language it was asked for, not in the language of the request that happened to start the node.
 */
export function inLocale<T>(locale: Locale, fn: () => T): T {
	let storage = getServerAsyncLocalStorage();
	if (!storage) {
		storage = new AsyncLocalStorage();
		overwriteServerAsyncLocalStorage(storage);
	}
	return storage.run({ locale, origin: undefined, messageCalls: new Set<string>() }, fn);
}
