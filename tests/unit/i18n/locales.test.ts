import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Every UI language says everything bokmål says: the same keys (in the same order, so additions diff cleanly),
 * no empty text, and the same {placeholders} — a translation that drops `{name}` or invents `{navn}` breaks
 * the sentence at run time without any other test noticing.
 */
const read = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
const settings = read('project.inlang/settings.json') as { baseLocale: string; locales: string[] };
type Messages = Record<string, unknown>;
const messages = (locale: string): Messages => {
	const { $schema: _schema, ...rest } = read(`messages/${locale}.json`);
	return rest;
};

const base = messages(settings.baseLocale);
const others = settings.locales.filter((l) => l !== settings.baseLocale);

/** Every text of a message: a plain string, or each variant of a plural/select message. */
function texts(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value))
		return value.flatMap((v) => Object.values((v as { match?: Record<string, unknown> }).match ?? {}).flatMap(texts));
	return [];
}

/** `{name}`, `{count}`, and any markup in braces, as written. */
function placeholders(value: unknown): string[] {
	const found = new Set(texts(value).flatMap((t) => [...t.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1].trim())));
	return [...found].sort();
}

describe('the locale list', () => {
	it('is bokmål first, then English and nynorsk', () => {
		expect(settings.baseLocale).toBe('nb');
		expect(settings.locales).toEqual(['nb', 'en', 'nn']);
	});
});

describe.each(settings.locales)('messages/%s.json', (locale) => {
	const own = messages(locale);

	it(`has exactly the keys of ${settings.baseLocale}.json`, () => {
		const missing = Object.keys(base).filter((k) => !(k in own));
		const extra = Object.keys(own).filter((k) => !(k in base));
		expect({ missing, extra }, `${locale}.json: keys missing and keys nb.json does not have`).toEqual({
			missing: [],
			extra: []
		});
	});

	it(`keeps the key order of ${settings.baseLocale}.json`, () => {
		const shared = (from: Messages, other: Messages) => Object.keys(from).filter((k) => k in other);
		expect(shared(own, base)).toEqual(shared(base, own));
	});

	it('names each key once (JSON keeps the last of two, silently dropping the other text)', () => {
		const source = readFileSync(new URL(`../../../messages/${locale}.json`, import.meta.url), 'utf8');
		// Top-level keys are the lines indented by exactly one tab.
		const keys = [...source.matchAll(/^\t"([^"]+)":/gm)].map((m) => m[1]);
		expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
	});

	it('has no empty text', () => {
		const empty = Object.entries(own)
			.filter(([, value]) => texts(value).length === 0 || texts(value).some((t) => t.trim() === ''))
			.map(([key]) => key);
		expect(empty).toEqual([]);
	});
});

describe.each(others)('messages/%s.json against the base locale', (locale) => {
	const own = messages(locale);

	it(`uses the same {placeholders} as ${settings.baseLocale}.json in every message`, () => {
		const differ = Object.keys(base)
			.filter((key) => key in own)
			.map((key) => ({ key, [settings.baseLocale]: placeholders(base[key]), [locale]: placeholders(own[key]) }))
			.filter((row) => JSON.stringify(row[settings.baseLocale]) !== JSON.stringify(row[locale]));
		expect(differ).toEqual([]);
	});

	it('gives plural messages the same variants', () => {
		const variants = (value: unknown) =>
			Array.isArray(value) ? value.map((v) => Object.keys(v.match ?? {}).sort()) : null;
		const differ = Object.keys(base)
			.filter((key) => Array.isArray(base[key]) && key in own)
			.filter((key) => JSON.stringify(variants(base[key])) !== JSON.stringify(variants(own[key])));
		expect(differ).toEqual([]);
	});
});
