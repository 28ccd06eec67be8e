import { sha256 } from '@oslojs/crypto/sha2';

/** The fields of an audit row that its hash covers (the id is not: it is only the order). */
export interface ChainedFields {
	at: Date;
	actorId: string | null;
	action: string;
	planId: string | null;
	target: string | null;
	detail: Record<string, unknown> | null;
}

/**
 * JSON with object keys sorted at every level: the database's `jsonb` gives the keys back in its own order, and
 * a row must hash the same when it is read back as when it was written.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 of the previous row's hash followed by this row's canonical fields. */
export function chainHash(prev: Uint8Array | null, row: ChainedFields): Uint8Array {
	const body = new TextEncoder().encode(
		canonicalJson([row.at.toISOString(), row.actorId, row.action, row.planId, row.target, row.detail])
	);
	const input = new Uint8Array((prev?.length ?? 0) + body.length);
	if (prev) input.set(prev, 0);
	input.set(body, prev?.length ?? 0);
	return sha256(input);
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
	if (a === null || b === null) return a === b;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
