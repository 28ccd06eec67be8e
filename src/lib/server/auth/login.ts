import { eq, sql } from 'drizzle-orm';
import { users } from '../db/schema';
import { recordAudit } from '../audit';
import type { Db } from '../db';
import { dummyPasswordHash, verifyPassword } from './password';
import { newDeviceToken } from './device';
import { accountIpKey, accountKey, deviceKey, ipKey, normaliseEmail, type ThrottleKey } from './throttle-keys';
import { clearKeys, isTrustedDevice, pruneThrottle, refundAttempt, reserveAttempt, trustDevice } from './throttle';
import type { ThrottleKind } from './throttle-policy';

export type LoginResult =
	| { ok: true; userId: string; deviceToken: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number; by: ThrottleKind[] };

export interface LoginInput {
	email: string;
	password: string;
	ip: string;
	/** The browser's device cookie, if it has one. */
	deviceToken?: string;
}

/**
 * Checks credentials behind the throttle. One `invalid` answer whether the account exists or not.
 * `now` is a parameter so tests can move time instead of waiting for it.
 */
export async function attemptLogin(db: Db, input: LoginInput, now = new Date()): Promise<LoginResult> {
	const email = normaliseEmail(input.email);
	const keys = await throttleKeys(db, email, input, now);
	const reserved = await reserveAttempt(db, keys, now);
	if (!reserved.ok)
		return {
			ok: false,
			reason: 'throttled',
			retryAfterSeconds: Math.ceil(reserved.retryAfterMs / 1000),
			by: reserved.by
		};

	const [user] = await db
		.select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(sql`lower(${users.email})`, email))
		.limit(1);
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
	// The attempt is already counted as a failure; only a success changes anything now.
	if (!user || !valid || user.disabledAt) return { ok: false, reason: 'invalid' };

	// The account starts over; the address only gets this attempt back (one good account must not reset it).
	await clearKeys(db, [accountKey(email), accountIpKey(email, input.ip)]);
	for (const key of keys) if (key.kind === 'ip') await refundAttempt(db, key, now);
	const deviceToken = input.deviceToken ?? newDeviceToken();
	await trustDevice(db, deviceKey(deviceToken, email), now);
	await pruneThrottle(db, now);
	return { ok: true, userId: user.id, deviceToken };
}

/**
 * A browser that logged into this account before has its own lane (the device key) and skips the account-wide
 * and IP keys that strangers can fill. Everyone else counts on the account, the account from this address,
 * and the address.
 */
async function throttleKeys(db: Db, email: string, input: LoginInput, now: Date): Promise<ThrottleKey[]> {
	if (input.deviceToken) {
		const key = deviceKey(input.deviceToken, email);
		if (await isTrustedDevice(db, key, now)) return [{ kind: 'device', key }];
	}
	return [
		{ kind: 'account', key: accountKey(email) },
		{ kind: 'accountIp', key: accountIpKey(email, input.ip) },
		{ kind: 'ip', key: ipKey(input.ip) }
	];
}

/** Failed and throttled logins in the audit log: which kinds of key held it back, never the e-mail or the address. */
export async function auditLogin(db: Db, result: LoginResult): Promise<void> {
	if (result.ok) return recordAudit(db, { actorId: result.userId, action: 'auth.login' });
	const detail =
		result.reason === 'throttled'
			? { reason: result.reason, by: result.by, retryAfterSeconds: result.retryAfterSeconds }
			: { reason: result.reason };
	await recordAudit(db, { actorId: null, action: 'auth.login_failed', detail });
}
