import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

/**
 * HttpOnly, SameSite=Lax, Secure whenever the app is served over https (ORIGIN behind a proxy counts).
 * A browser-session cookie: it goes when the browser closes (shared computers), and the inactivity timeout
 * is the server's, which also counts editing over the live connection as activity.
 */
export function setSessionCookie(cookies: Cookies, token: string, url: URL): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}
