import type { Cookies } from '@sveltejs/kit';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { THROTTLE } from './throttle-policy';

/**
 * A device cookie (OWASP's answer to lockout floods): a random token this browser gets at its first successful
 * login. With it, the same browser's later attempts on that account run in their own throttle lane, so a flood
 * of wrong guesses from elsewhere (which fills the account-wide and IP keys) cannot keep the real user out.
 * The token proves nothing by itself; the server marks (token, account) trusted only after a right password.
 */
export const DEVICE_COOKIE = 'device';

export function newDeviceToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The cookie's token if it looks like one of ours; anything else is ignored. */
export function readDeviceToken(value: string | undefined): string | undefined {
	return value && /^[a-z2-7]{32}$/.test(value) ? value : undefined;
}

/** Sent only to /login, where it is read; HttpOnly, and Secure over https like the session cookie. */
export function setDeviceCookie(cookies: Cookies, token: string, url: URL): void {
	cookies.set(DEVICE_COOKIE, token, {
		path: '/login',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: THROTTLE.deviceTrustMs / 1000
	});
}
