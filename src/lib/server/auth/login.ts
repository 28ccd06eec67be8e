import { eq, sql } from 'drizzle-orm';
import { users } from '../db/schema';
import type { Db } from '../db';
import { dummyPasswordHash, verifyPassword } from './password';
import { THROTTLE, accountKey, clearFailures, ipKey, lockedUntil, recordFailure } from './throttle';

export type LoginResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Checks credentials behind the throttle. One `invalid` answer whether the account exists or not. */
export async function attemptLogin(db: Db, input: { email: string; password: string; ip: string }): Promise<LoginResult> {
	const email = input.email.trim().toLowerCase();
	const acct = accountKey(email);
	const ip = ipKey(input.ip);
	const now = new Date();
	const until = await lockedUntil(db, [acct, ip], now);
	if (until) return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };

	const [user] = await db
		.select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(sql`lower(${users.email})`, email))
		.limit(1);
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
	if (!user || !valid || user.disabledAt) {
		await recordFailure(db, acct, THROTTLE.account, now);
		await recordFailure(db, ip, THROTTLE.ip, now);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, acct);
	return { ok: true, userId: user.id };
}
