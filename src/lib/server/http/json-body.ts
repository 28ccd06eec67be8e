import { json } from '@sveltejs/kit';

/**
 * Strict JSON bodies for `/api` writes: a size cap, an object at the top, no field the endpoint does not know,
 * and every field of the type it must be. Each refusal is a 400 whose message names the field; the endpoint
 * writes nothing until the whole body has been read.
 */
export class BadRequest extends Error {
	constructor(
		message: string,
		readonly field?: string,
		readonly status = 400
	) {
		super(message);
		this.name = 'BadRequest';
	}
}

/** The answer for a `BadRequest` (and only for one: anything else is rethrown to the error handler). */
export function badRequestResponse(err: unknown): Response {
	if (!(err instanceof BadRequest)) throw err;
	return json(
		{
			error: err.status === 413 ? 'too_large' : 'bad_request',
			message: err.message,
			...(err.field ? { field: err.field } : {})
		},
		{ status: err.status }
	);
}

export const MAX_JSON_BYTES = 16 * 1024;

/** Reads the request body as a JSON object, at most `maxBytes` long. */
export async function readJsonObject(request: Request, maxBytes = MAX_JSON_BYTES): Promise<Record<string, unknown>> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.toLowerCase().startsWith('application/json'))
		throw new BadRequest('The body must be JSON (Content-Type: application/json).', undefined, 415);
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > maxBytes) throw new BadRequest(`The body is larger than ${maxBytes} bytes.`, undefined, 413);
	const bytes = new Uint8Array(await request.arrayBuffer());
	if (bytes.byteLength > maxBytes) throw new BadRequest(`The body is larger than ${maxBytes} bytes.`, undefined, 413);
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		throw new BadRequest('The body is not valid JSON.');
	}
	if (!isPlainObject(value)) throw new BadRequest('The body must be a JSON object.');
	return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field readers for one object; `path` prefixes field names in messages (`patient.name`). */
export function fields(obj: Record<string, unknown>, known: readonly string[], path = '') {
	const name = (key: string) => (path ? `${path}.${key}` : key);
	for (const key of Object.keys(obj))
		if (!known.includes(key)) throw new BadRequest(`Unknown field "${name(key)}".`, name(key));
	const present = (key: string) => obj[key] !== undefined && obj[key] !== null;
	return {
		/** A string, trimmed, 1..max characters (required unless `optional`). */
		string(key: string, opts: { max: number; optional?: boolean }): string | null {
			if (!present(key)) {
				if (opts.optional) return null;
				throw new BadRequest(`"${name(key)}" is required.`, name(key));
			}
			const v = obj[key];
			if (typeof v !== 'string') throw new BadRequest(`"${name(key)}" must be a string.`, name(key));
			const t = v.trim();
			if (!t) {
				if (opts.optional) return null;
				throw new BadRequest(`"${name(key)}" must not be empty.`, name(key));
			}
			if (t.length > opts.max) throw new BadRequest(`"${name(key)}" is longer than ${opts.max} characters.`, name(key));
			return t;
		},
		/** One of `allowed`. */
		oneOf<T extends string>(key: string, allowed: readonly T[], opts: { optional?: boolean } = {}): T | null {
			if (!present(key)) {
				if (opts.optional) return null;
				throw new BadRequest(`"${name(key)}" is required.`, name(key));
			}
			const v = obj[key];
			if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
				throw new BadRequest(`"${name(key)}" must be one of ${allowed.join(', ')}.`, name(key));
			return v as T;
		},
		/** A calendar date written YYYY-MM-DD. */
		date(key: string, opts: { optional?: boolean } = {}): string | null {
			if (!present(key)) {
				if (opts.optional) return null;
				throw new BadRequest(`"${name(key)}" is required.`, name(key));
			}
			const v = obj[key];
			if (typeof v !== 'string' || !isCalendarDate(v))
				throw new BadRequest(`"${name(key)}" must be a date written YYYY-MM-DD.`, name(key));
			return v;
		},
		/** A non-empty array of distinct values from `allowed`. */
		setOf<T extends string>(key: string, allowed: readonly T[]): T[] {
			const v = obj[key];
			if (!Array.isArray(v) || v.length === 0)
				throw new BadRequest(`"${name(key)}" must be a non-empty list.`, name(key));
			const out: T[] = [];
			for (const x of v) {
				if (typeof x !== 'string' || !(allowed as readonly string[]).includes(x))
					throw new BadRequest(`"${name(key)}" may only hold ${allowed.join(', ')}.`, name(key));
				if (!out.includes(x as T)) out.push(x as T);
			}
			return out;
		},
		/** A nested object (required unless `optional`). */
		object(key: string, opts: { optional?: boolean } = {}): Record<string, unknown> | null {
			if (!present(key)) {
				if (opts.optional) return null;
				throw new BadRequest(`"${name(key)}" is required.`, name(key));
			}
			const v = obj[key];
			if (!isPlainObject(v)) throw new BadRequest(`"${name(key)}" must be an object.`, name(key));
			return v;
		},
		name
	};
}

/** A real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
