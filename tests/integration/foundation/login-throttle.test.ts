import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, gt, inArray, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, DEMO_PASSWORD } from '../../../src/lib/server/seed/demo';
import { attemptLogin, auditLogin, type LoginResult } from '../../../src/lib/server/auth/login';
import { THROTTLE, accountIpKey, accountKey, ipKey, pruneThrottle } from '../../../src/lib/server/auth/throttle';
import { auditEvents, loginThrottle } from '../../../src/lib/server/db/schema';

const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1_000;
const MINUTE = 60_000;
const { account, accountIp, ip } = THROTTLE.policies;

const reached = (rs: LoginResult[]) => rs.filter((r) => !r.ok && r.reason === 'invalid').length;
const throttled = (rs: LoginResult[]) => rs.filter((r) => !r.ok && r.reason === 'throttled');

describe.each(engines)('login throttle on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	const login = (email: string, address: string, when: Date, password = 'feil-passord', deviceToken?: string) =>
		attemptLogin(db(), { email, password, ip: address, deviceToken }, when);
	const failures = async (key: string) =>
		(await db().select().from(loginThrottle).where(eq(loginThrottle.key, key)))[0]?.failures ?? 0;

	beforeAll(async () => {
		await seedDemo(db());
	});
	beforeEach(async () => {
		await db().delete(loginThrottle);
	});

	it(`the login throttle cannot be raced: 12 concurrent wrong guesses from one address reach the password check exactly ${accountIp.free} times`, async () => {
		const email = 'nav@demo.fellesplan.no';
		const results = await Promise.all(Array.from({ length: 12 }, () => login(email, '10.10.0.1', T0)));
		expect(reached(results)).toBe(accountIp.free);
		expect(throttled(results)).toHaveLength(12 - accountIp.free);
		for (const r of throttled(results))
			expect(r).toMatchObject({ by: expect.arrayContaining(['accountIp']), retryAfterSeconds: 1 });
		// Refused guesses counted nowhere: every key holds exactly the guesses that were checked.
		expect(await failures(accountIpKey(email, '10.10.0.1'))).toBe(accountIp.free);
		expect(await failures(accountKey(email))).toBe(accountIp.free);
		expect(await failures(ipKey('10.10.0.1'))).toBe(accountIp.free);
	});

	it(`the login throttle cannot be raced: 12 concurrent wrong guesses from 12 addresses reach the password check exactly ${account.free} times`, async () => {
		const email = 'fastlege@demo.fellesplan.no';
		const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(email, `10.11.0.${i}`, T0)));
		expect(reached(results)).toBe(account.free);
		expect(throttled(results)).toHaveLength(12 - account.free);
		for (const r of throttled(results)) expect(r).toMatchObject({ by: ['account'], retryAfterSeconds: 1 });
		expect(await failures(accountKey(email))).toBe(account.free);
	});

	it('slows down instead of locking: the right password is refused during a delay, like a wrong one, and works once it has passed', async () => {
		const email = 'bolig@demo.fellesplan.no';
		for (let i = 0; i < accountIp.free; i++)
			expect(await login(email, '10.12.0.1', T0)).toEqual({ ok: false, reason: 'invalid' });
		const early = await login(email, '10.12.0.1', at(500), DEMO_PASSWORD);
		expect(early).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1, by: ['accountIp'] });
		// The refused attempt did not count, so waiting what the answer said is enough.
		const later = await login(email, '10.12.0.1', at(SECOND), DEMO_PASSWORD);
		expect(later.ok).toBe(true);
		// A success clears the account's keys, and gives the address back only its own attempt.
		expect(await failures(accountKey(email))).toBe(0);
		expect(await failures(accountIpKey(email, '10.12.0.1'))).toBe(0);
		expect(await failures(ipKey('10.12.0.1'))).toBe(accountIp.free);
	});

	it('audits failed and throttled logins by outcome and kind of key, never by e-mail or address', async () => {
		const email = 'nav@demo.fellesplan.no';
		const [{ last }] = await db()
			.select({ last: sql<number>`coalesce(max(${auditEvents.id}), 0)::int` })
			.from(auditEvents);
		for (let i = 0; i < accountIp.free; i++) await auditLogin(db(), await login(email, '10.17.0.1', T0));
		await auditLogin(db(), await login(email, '10.17.0.1', at(10), DEMO_PASSWORD));
		const rows = await db().select().from(auditEvents).where(gt(auditEvents.id, last)).orderBy(auditEvents.id);
		expect(rows).toHaveLength(accountIp.free + 1);
		expect(
			rows.filter((r) => r.action === 'auth.login_failed' && (r.detail as { reason: string }).reason === 'invalid')
		).toHaveLength(accountIp.free);
		expect(rows.at(-1)).toMatchObject({
			action: 'auth.login_failed',
			actorId: null,
			detail: { reason: 'throttled', by: ['accountIp'], retryAfterSeconds: 1 }
		});
		const text = JSON.stringify(rows);
		expect(text).not.toContain('nav@');
		expect(text).not.toContain('10.17.0.1');
	});

	it('throttles an unknown e-mail exactly like a known one', async () => {
		const run = async (email: string, address: string) => {
			for (let i = 0; i < accountIp.free; i++) await login(email, address, T0);
			return login(email, address, at(10));
		};
		const known = await run('dps@demo.fellesplan.no', '10.13.0.1');
		const unknown = await run('finnes-ikke@demo.fellesplan.no', '10.13.0.2');
		expect(known).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1, by: ['accountIp'] });
		expect(unknown).toEqual(known);
	});

	it('a flood of wrong guesses from one address never keeps the real user out for longer than the account cap', async () => {
		const email = 'koordinator@demo.fellesplan.no';
		// The attacker guesses at every moment the server allows, for an hour of simulated time.
		let t = 0;
		let guesses = 0;
		let lastGuess = 0;
		while (t < 60 * MINUTE) {
			const r = await login(email, '203.0.113.66', at(t));
			if (r.ok) throw new Error('the attacker guessed the password');
			if (r.reason === 'throttled') t += r.retryAfterSeconds * SECOND;
			else {
				guesses++;
				lastGuess = t;
				t += 1;
			}
		}
		// Doubling to the 15-minute cap: 5 free, 10 growing delays (1 s … 512 s, 17 minutes), then one per cap.
		expect(guesses).toBeGreaterThanOrEqual(accountIp.free + 10);
		expect(guesses).toBeLessThanOrEqual(
			accountIp.free + 10 + Math.ceil((60 * MINUTE - 1023 * SECOND) / accountIp.capMs)
		);

		// The worst moment for the real user: just after one of the attacker's guesses, from a new browser elsewhere.
		const first = await login(email, '198.51.100.7', at(lastGuess + 1), DEMO_PASSWORD);
		expect(first).toMatchObject({ ok: false, reason: 'throttled', by: ['account'] });
		const wait = !first.ok && first.reason === 'throttled' ? first.retryAfterSeconds : Infinity;
		expect(wait).toBeGreaterThan(0);
		expect(wait * SECOND).toBeLessThanOrEqual(account.capMs);
		// Waiting what the page said is enough: the attacker's next chance is minutes away.
		const second = await login(email, '198.51.100.7', at(lastGuess + 1 + wait * SECOND), DEMO_PASSWORD);
		expect(second.ok).toBe(true);
	});

	it('a distributed flood fills the account key, yet the real user on a browser that logged in before gets straight in', async () => {
		const email = 'act@demo.fellesplan.no';
		const before = await login(email, '198.51.100.8', T0, DEMO_PASSWORD);
		if (!before.ok) throw new Error('the first login failed');
		const deviceToken = before.deviceToken;

		// Twenty addresses, each guessing whenever the server lets it, for ten minutes.
		const next = Array.from({ length: 20 }, () => MINUTE);
		let lastGuess = 0;
		for (;;) {
			const i = next.indexOf(Math.min(...next));
			if (next[i] > 11 * MINUTE) break;
			const r = await login(email, `203.0.113.${100 + i}`, at(next[i]));
			if (r.ok) throw new Error('the attacker guessed the password');
			if (r.reason === 'throttled') next[i] += r.retryAfterSeconds * SECOND;
			else {
				lastGuess = next[i];
				next[i] += 1;
			}
		}
		// Right after a guess the account-wide key is at its cap: a new browser is told to wait, never longer than that ...
		const stranger = await login(email, '198.51.100.8', at(lastGuess + 1), DEMO_PASSWORD);
		expect(stranger).toMatchObject({
			ok: false,
			reason: 'throttled',
			by: ['account'],
			retryAfterSeconds: account.capMs / SECOND
		});
		// ... while the browser that logged in before has its own lane and gets in at once.
		const own = await login(email, '198.51.100.8', at(lastGuess + 2), DEMO_PASSWORD, deviceToken);
		expect(own).toMatchObject({ ok: true });
		// A device token only counts for the account it logged into, and a made-up one counts for nothing:
		// both go through the stranger's keys (the account key counts them; the browser lane would not).
		for (const [n, token] of [deviceToken, 'a'.repeat(32)].entries()) {
			expect(await login('nav@demo.fellesplan.no', '198.51.100.8', at(lastGuess + 3), 'feil-passord', token)).toEqual({
				ok: false,
				reason: 'invalid'
			});
			expect(await failures(accountKey('nav@demo.fellesplan.no'))).toBe(n + 1);
		}
		expect(await login(email, '198.51.100.8', at(lastGuess + 4), 'feil-passord', deviceToken)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await failures(accountKey(email))).toBe(0);
	});

	it('the address key slows password spraying across accounts, and one good login does not reset it', async () => {
		const address = '10.14.0.1';
		const sprayed = await Promise.all(
			Array.from({ length: ip.free + 5 }, (_, i) => login(`gjett${i}@demo.fellesplan.no`, address, T0))
		);
		expect(reached(sprayed)).toBe(ip.free);
		for (const r of throttled(sprayed)) expect(r).toMatchObject({ by: ['ip'] });
		// The right password of a real account from that address waits like everyone there ...
		expect(await login('nav@demo.fellesplan.no', address, at(10), DEMO_PASSWORD)).toMatchObject({
			reason: 'throttled',
			by: ['ip']
		});
		// ... gets in after the delay, and leaves the address's count as the spraying left it.
		expect((await login('nav@demo.fellesplan.no', address, at(SECOND), DEMO_PASSWORD)).ok).toBe(true);
		expect(await failures(ipKey(address))).toBe(ip.free);
		expect(await login('gjett0@demo.fellesplan.no', address, at(SECOND + 10))).toMatchObject({
			reason: 'throttled',
			by: ['ip']
		});
		// Another address is not affected.
		expect(await login('gjett0@demo.fellesplan.no', '10.14.0.2', at(SECOND + 10))).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('the window ages failures out: a count goes on within the hour and starts over after an hour without failures', async () => {
		const email = 'pasient@demo.fellesplan.no';
		const address = '10.15.0.1';
		const key = accountIpKey(email, address);
		for (let i = 0; i < accountIp.free - 1; i++) await login(email, address, T0);
		// 59 minutes later the count goes on: this guess is the last free one and sets a delay.
		expect(await login(email, address, at(59 * MINUTE))).toEqual({ ok: false, reason: 'invalid' });
		expect(await failures(key)).toBe(accountIp.free);
		expect(await login(email, address, at(59 * MINUTE + 10))).toMatchObject({ reason: 'throttled', by: ['accountIp'] });
		// An hour after the last failure the typos are forgotten.
		expect(await login(email, address, at(59 * MINUTE + THROTTLE.windowMs))).toEqual({ ok: false, reason: 'invalid' });
		expect(await failures(key)).toBe(1);
		expect(await failures(accountKey(email))).toBe(1);
	});

	it('prunes rows idle past the window, and keeps the browsers that are trusted', async () => {
		const ok = await login('parorende@demo.fellesplan.no', '10.16.0.1', T0, DEMO_PASSWORD);
		expect(ok.ok).toBe(true);
		await login('finnes-ikke@demo.fellesplan.no', '10.16.0.1', T0);
		await login('finnes-ikke@demo.fellesplan.no', '10.16.0.1', at(30 * MINUTE));
		await pruneThrottle(db(), at(30 * MINUTE + THROTTLE.windowMs - 1));
		const kept = await db().select({ key: loginThrottle.key }).from(loginThrottle);
		expect(kept.map((r) => r.key.split(':')[0]).sort()).toEqual(['acct', 'acip', 'dev', 'ip']);
		await pruneThrottle(db(), at(30 * MINUTE + THROTTLE.windowMs + 1));
		const left = await db().select({ key: loginThrottle.key }).from(loginThrottle);
		expect(left.map((r) => r.key.split(':')[0])).toEqual(['dev']);
		expect(
			await db()
				.select()
				.from(loginThrottle)
				.where(inArray(loginThrottle.key, [accountKey('finnes-ikke@demo.fellesplan.no')]))
		).toEqual([]);
	});
});
