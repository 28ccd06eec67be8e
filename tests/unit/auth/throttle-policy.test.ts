import { describe, expect, it } from 'vitest';
import { THROTTLE, delayMs } from '../../../src/lib/server/auth/throttle-policy';

const { account, accountIp, ip, device } = THROTTLE.policies;

describe('throttle delays', () => {
	it('let the free allowance through, then double from one second', () => {
		expect([1, 2, 3, 4].map((n) => delayMs(n, accountIp))).toEqual([0, 0, 0, 0]);
		expect([5, 6, 7, 8, 9].map((n) => delayMs(n, accountIp))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
	});

	it('never lock: every key has a cap, and the account-wide one (anyone can fill it) stays at seconds', () => {
		expect(delayMs(10_000, account)).toBe(30_000);
		expect(delayMs(10_000, accountIp)).toBe(15 * 60_000);
		expect(delayMs(10_000, ip)).toBe(5 * 60_000);
		expect(delayMs(10_000, device)).toBe(15 * 60_000);
		expect(delayMs(Number.MAX_SAFE_INTEGER, account)).toBe(30_000);
	});

	it('fill the account+address key first and far past the account cap, so one attacker leaves the account free between guesses', () => {
		expect(accountIp.free).toBeLessThan(account.free);
		// By the time the account key starts to delay, the attacker's own key already waits longer than its cap.
		expect(delayMs(account.free, accountIp)).toBeGreaterThan(account.capMs);
		// Failures age out, but only after the longest delay: an attacker at the cap never starts over.
		for (const p of [account, accountIp, ip, device]) expect(THROTTLE.windowMs).toBeGreaterThan(p.capMs);
	});
});
