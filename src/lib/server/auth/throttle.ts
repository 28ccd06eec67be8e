import { eq, inArray, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { loginThrottle } from '../db/schema';
import type { Db } from '../db';

/**
 * Failed-login throttling, in the database so every node sees the same counts.
 * The account key hashes the typed email: unknown emails are throttled exactly like known ones,
 * so the lock message reveals nothing about who has an account.
 */
export const THROTTLE = {
	windowMs: 15 * 60 * 1000,
	account: { maxFailures: 5, lockMs: 15 * 60 * 1000 },
	ip: { maxFailures: 30, lockMs: 15 * 60 * 1000 }
};

export function accountKey(email: string): string {
	return 'acct:' + encodeHexLowerCase(sha256(new TextEncoder().encode(email.trim().toLowerCase())));
}

export function ipKey(ip: string): string {
	return 'ip:' + ip;
}

/** The latest time any of the keys stays locked, or null if none is. */
export async function lockedUntil(db: Db, keys: string[], now = new Date()): Promise<Date | null> {
	const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
	let until: Date | null = null;
	for (const r of rows) if (r.lockedUntil && r.lockedUntil > now && (!until || r.lockedUntil > until)) until = r.lockedUntil;
	return until;
}

export async function recordFailure(db: Db, key: string, limits: { maxFailures: number; lockMs: number }, now = new Date()) {
	const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
	// One atomic upsert: a stale window restarts at 1, otherwise the count goes up.
	const [row] = await db
		.insert(loginThrottle)
		.values({ key, failures: 1, windowStart: now })
		.onConflictDoUpdate({
			target: loginThrottle.key,
			set: {
				failures: sql`case when ${loginThrottle.windowStart} < ${windowStart.toISOString()} then 1 else ${loginThrottle.failures} + 1 end`,
				windowStart: sql`case when ${loginThrottle.windowStart} < ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else ${loginThrottle.windowStart} end`
			}
		})
		.returning();
	if (row.failures >= limits.maxFailures) {
		await db
			.update(loginThrottle)
			.set({ lockedUntil: new Date(now.getTime() + limits.lockMs), failures: 0, windowStart: now })
			.where(eq(loginThrottle.key, key));
	}
}

export async function clearFailures(db: Db, key: string): Promise<void> {
	await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
