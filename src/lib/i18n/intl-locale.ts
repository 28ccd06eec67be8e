import { getLocale, type Locale } from '$lib/paraglide/runtime';

/**
 * The tag `Intl` formats dates, times and lists with, per UI language. One table, so a new locale cannot fall
 * back to English by accident: the type insists on an entry for every locale.
 */
const INTL_TAGS: Record<Locale, string> = { nb: 'nb-NO', en: 'en-GB', nn: 'nn-NO' };

export function intlLocale(locale: Locale = getLocale()): string {
	return INTL_TAGS[locale];
}
