/**
 * How hard each throttle key slows login attempts. No key ever locks: after a free allowance each further attempt
 * on a key must wait `baseMs · 2^k`, up to the key's cap. A wait is only as long as the cap, so a real user
 * caught in somebody else's flood waits seconds, while an attacker pays the cap for every guess.
 */
export interface KeyPolicy {
	/** Attempts that go straight through; from the next one on, each attempt sets a delay. */
	free: number;
	/** The longest delay this key can set. */
	capMs: number;
}

export type ThrottleKind = 'account' | 'accountIp' | 'ip' | 'device';

export const THROTTLE = {
	/** A key's count starts over once it has had no failure for this long (yesterday's typos do not count). */
	windowMs: 60 * 60_000,
	baseMs: 1_000,
	/** How long a browser stays trusted for an account after logging into it. */
	deviceTrustMs: 90 * 24 * 60 * 60_000,
	policies: {
		// Every attempt on one e-mail, from anywhere. Anyone can feed this key, so its cap stays low.
		account: { free: 10, capMs: 30_000 },
		// One e-mail from one address: where a single attacker sits. It fills first (5 < 10) and grows far
		// past the account cap, so such an attacker leaves the account key free between their guesses.
		accountIp: { free: 5, capMs: 15 * 60_000 },
		// Every e-mail from one address (password spraying). A municipality may sit behind one address, so
		// the allowance is generous; browsers that logged in before are not counted here at all.
		ip: { free: 30, capMs: 5 * 60_000 },
		// A browser that logged into this account before: the real user's own lane.
		device: { free: 5, capMs: 15 * 60_000 }
	} satisfies Record<ThrottleKind, KeyPolicy>
};

/** The delay an attempt sets when it is the `count`-th in its key's current window. */
export function delayMs(count: number, policy: KeyPolicy): number {
	if (count < policy.free) return 0;
	const exponent = Math.min(count - policy.free, 30); // 2^30 s is past every cap; keeps the number finite
	return Math.min(policy.capMs, THROTTLE.baseMs * 2 ** exponent);
}
