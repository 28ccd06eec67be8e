import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** 120 random bits, URL-safe: entity ids that reveal nothing and never collide in practice. */
export function newId(): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
