import { defineCustomClientStrategy, toLocale } from '$lib/paraglide/runtime';

/**
 * In the browser, `custom-norwegian` is the language the server rendered the page in (`<html lang>`): without a
 * language cookie the server may have picked nynorsk from Accept-Language, and hydration must agree with it.
 */
defineCustomClientStrategy('custom-norwegian', {
	getLocale: () => toLocale(document.documentElement.lang),
	// Nothing to store: the next page is rendered by the server, which decides again.
	setLocale: () => {}
});
