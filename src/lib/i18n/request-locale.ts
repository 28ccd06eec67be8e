import { cookieName, toLocale, type Locale } from '$lib/paraglide/runtime';

/**
 * The UI language for a request when the person has not said otherwise: their own choice (the language cookie)
 * first; without one, the written Norwegian their browser asks for. The browser's language only chooses between
 * bokmål and nynorsk — an English browser still gets bokmål until the person picks English (the base locale).
 */
export function requestLocale(
	cookieHeader: string | null | undefined,
	acceptLanguage: string | null | undefined
): Locale | undefined {
	return chosenLocale(cookieHeader) ?? norwegianPreference(acceptLanguage);
}

/** The locale the person picked in the language menu, if the cookie holds one we have. */
export function chosenLocale(cookieHeader: string | null | undefined): Locale | undefined {
	for (const part of (cookieHeader ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === cookieName) return toLocale(part.slice(eq + 1).trim());
	}
	return undefined;
}

/**
 * `nn-NO,nn;q=0.9,no;q=0.8` → nynorsk; `nb`, `no` (Norwegian, which written form unsaid) → bokmål. The Norwegian
 * tag with the highest weight wins (the first of equals); other languages are passed over.
 */
export function norwegianPreference(acceptLanguage: string | null | undefined): 'nb' | 'nn' | undefined {
	let best: { locale: 'nb' | 'nn'; q: number } | undefined;
	for (const entry of (acceptLanguage ?? '').split(',')) {
		const [tag, ...params] = entry.split(';').map((s) => s.trim());
		const primary = tag.split('-')[0].toLowerCase();
		const locale = primary === 'nn' ? 'nn' : primary === 'nb' || primary === 'no' ? 'nb' : undefined;
		if (!locale) continue;
		const qParam = params.find((p) => /^q\s*=/i.test(p));
		const q = qParam === undefined ? 1 : Number(qParam.replace(/^q\s*=\s*/i, ''));
		// q=0 means "not this one"; a weight that is not a number is ignored, as RFC 9110 asks.
		if (!(q > 0 && q <= 1)) continue;
		if (!best || q > best.q) best = { locale, q };
	}
	return best?.locale;
}
