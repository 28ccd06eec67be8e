import { isIP } from 'node:net';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { ThrottleKind } from './throttle-policy';

export interface ThrottleKey {
	kind: ThrottleKind;
	key: string;
}

const hash = (s: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(s)));

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** A hash of the typed e-mail: unknown e-mails are throttled exactly like known ones, and none is stored. */
export function accountKey(email: string): string {
	return 'acct:' + hash(normaliseEmail(email));
}

/**
 * The address a throttle counts against. IPv6 by its /64: one home or host gets a whole /64, so counting single
 * IPv6 addresses would hand an attacker 2^64 fresh keys. IPv4-mapped IPv6 is the IPv4 address it carries.
 */
export function clientAddress(ip: string): string {
	const a = ip.trim().toLowerCase().replace(/%.*$/, '');
	if (isIP(a) !== 6) return a;
	const g = expandIPv6(a);
	if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
		return [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255].join('.');
	return (
		g
			.slice(0, 4)
			.map((x) => x.toString(16))
			.join(':') + '::/64'
	);
}

function expandIPv6(a: string): number[] {
	let text = a;
	const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
	if (v4) {
		const [b0, b1, b2, b3] = v4.slice(1).map(Number);
		text = text.slice(0, v4.index) + ((b0 << 8) | b1).toString(16) + ':' + ((b2 << 8) | b3).toString(16);
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
	const left = parse(head);
	const right = parse(tail);
	return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

export function ipKey(ip: string): string {
	return 'ip:' + clientAddress(ip);
}

/** One e-mail from one address; hashed together so the row names neither. */
export function accountIpKey(email: string, ip: string): string {
	return 'acip:' + hash(normaliseEmail(email) + '\n' + clientAddress(ip));
}

/** One browser (its device cookie) for one e-mail. */
export function deviceKey(deviceToken: string, email: string): string {
	return 'dev:' + hash(deviceToken + '\n' + normaliseEmail(email));
}
