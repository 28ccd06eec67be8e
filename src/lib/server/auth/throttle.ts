import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { loginThrottle } from '../db/schema';
import type { Db } from '../db';
import { THROTTLE, delayMs, type ThrottleKind } from './throttle-policy';
import type { ThrottleKey } from './throttle-keys';

export { THROTTLE, delayMs } from './throttle-policy';
export { accountKey, accountIpKey, deviceKey, ipKey, type ThrottleKey } from './throttle-keys';

export type Reservation = { ok: true } | { ok: false; retryAfterMs: number; by: ThrottleKind[] };

class Refused extends Error {}

/**
 * Checks and counts one login attempt on all its keys, before the password is looked at.
 * Per key, one conditional upsert both checks and reserves: it counts the attempt (as a failure, until a
 * success clears it) only where `next_attempt_at` has passed, and holds the row lock to the end of the
 * transaction, so concurrent guesses queue on the row and each sees the count the one before it left.
 * If any key refuses, the transaction rolls back: a refused attempt counts nowhere and costs no argon2.
 * Keys are locked in one global order, so two attempts sharing keys cannot deadlock.
 */
export async function reserveAttempt(db: Db, keys: ThrottleKey[], now = new Date()): Promise<Reservation> {
	const ordered = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const windowStart = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
	try {
		await db.transaction(async (tx) => {
			for (const { kind, key } of ordered) {
				const [row] = await tx
					.insert(loginThrottle)
					.values({ key, failures: 1, lastFailureAt: now, nextAttemptAt: now })
					.onConflictDoUpdate({
						target: loginThrottle.key,
						set: {
							// A key idle for the whole window starts over.
							failures: sql`case when ${loginThrottle.lastFailureAt} <= ${windowStart}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
							lastFailureAt: now
						},
						setWhere: sql`${loginThrottle.nextAttemptAt} <= ${now.toISOString()}::timestamptz`
					})
					.returning({ failures: loginThrottle.failures });
				if (!row) throw new Refused();
				const wait = delayMs(row.failures, THROTTLE.policies[kind]);
				// Same transaction, row still locked: nobody sees the count without its delay.
				if (wait > 0)
					await tx
						.update(loginThrottle)
						.set({ nextAttemptAt: new Date(now.getTime() + wait) })
						.where(eq(loginThrottle.key, key));
			}
		});
		return { ok: true };
	} catch (err) {
		if (!(err instanceof Refused)) throw err;
	}
	// Read after the rollback, so the wait named is the longest of the delays that really stand.
	const rows = await db
		.select({ key: loginThrottle.key, nextAttemptAt: loginThrottle.nextAttemptAt })
		.from(loginThrottle)
		.where(
			inArray(
				loginThrottle.key,
				keys.map((k) => k.key)
			)
		);
	let retryAfterMs = 0;
	const by: ThrottleKind[] = [];
	for (const r of rows) {
		const wait = r.nextAttemptAt.getTime() - now.getTime();
		if (wait <= 0) continue;
		retryAfterMs = Math.max(retryAfterMs, wait);
		by.push(keys.find((k) => k.key === r.key)!.kind);
	}
	// A success may have cleared the delay meanwhile; a second is still an honest answer.
	return { ok: false, retryAfterMs: Math.max(retryAfterMs, 1_000), by: by.sort() };
}

/**
 * After a success: these keys start over. One row per statement, so this never holds one row's lock while
 * waiting for another's (a reservation holding them in the other order would deadlock with it).
 */
export async function clearKeys(db: Db, keys: string[]): Promise<void> {
	for (const key of keys) await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/**
 * After a success on a key that is not cleared (the address): give back the one count this attempt took, so
 * people logging in behind a shared address never add up to a delay; everyone else's failures stay.
 */
export async function refundAttempt(db: Db, { kind, key }: ThrottleKey, now = new Date()): Promise<void> {
	const { free } = THROTTLE.policies[kind];
	await db
		.update(loginThrottle)
		.set({
			failures: sql`greatest(${loginThrottle.failures} - 1, 0)`,
			// Back under the allowance, no delay stands.
			nextAttemptAt: sql`case when ${loginThrottle.failures} - 1 < ${free} then least(${loginThrottle.nextAttemptAt}, ${now.toISOString()}::timestamptz) else ${loginThrottle.nextAttemptAt} end`
		})
		.where(eq(loginThrottle.key, key));
}

/** Whether this browser logged into this account before (and not too long ago). */
export async function isTrustedDevice(db: Db, key: string, now = new Date()): Promise<boolean> {
	const [row] = await db
		.select({ key: loginThrottle.key })
		.from(loginThrottle)
		.where(and(eq(loginThrottle.key, key), gt(loginThrottle.trustedUntil, now)));
	return !!row;
}

/** Marks a browser as trusted for an account after a successful login, with a clean count. */
export async function trustDevice(db: Db, key: string, now = new Date()): Promise<void> {
	const trustedUntil = new Date(now.getTime() + THROTTLE.deviceTrustMs);
	const values = { failures: 0, lastFailureAt: now, nextAttemptAt: now, trustedUntil };
	await db
		.insert(loginThrottle)
		.values({ key, ...values })
		.onConflictDoUpdate({ target: loginThrottle.key, set: values });
}

/** Deletes rows that no longer hold anything: idle past the window and not a trusted browser. */
export async function pruneThrottle(db: Db, now = new Date()): Promise<void> {
	const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
	await db
		.delete(loginThrottle)
		.where(
			and(
				lt(loginThrottle.lastFailureAt, windowStart),
				or(isNull(loginThrottle.trustedUntil), lt(loginThrottle.trustedUntil, now))
			)
		);
}
