import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { cookieMaxAge, cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';
import type { Db } from '../db';
import { users } from '../db/schema';

/**
 * The language a person picks is theirs, not the device's: this browser keeps it in the language cookie, and a
 * logged-in pick is also stored on the account, so the next login on another phone or the meeting-room laptop
 * speaks it at once.
 */
export function setLanguageCookie(cookies: Cookies, locale: Locale): void {
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false });
}

export async function rememberLanguage(db: Db, userId: string, locale: Locale): Promise<void> {
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** At login: the person's own stored language, if they have picked one, becomes this browser's. */
export async function applyRememberedLanguage(db: Db, userId: string, cookies: Cookies): Promise<void> {
	const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
	if (row?.locale && isLocale(row.locale)) setLanguageCookie(cookies, row.locale);
}
