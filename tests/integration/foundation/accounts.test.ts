import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, seedDemoIfEmpty, DEMO_PASSWORD, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { attemptLogin } from '../../../src/lib/server/auth/login';
import { createSession, invalidateOtherSessions, validateSessionToken } from '../../../src/lib/server/auth/session';
import { plans, sessions, users } from '../../../src/lib/server/db/schema';

const HOUR = 3_600_000;

describe.each(engines)('accounts on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	beforeAll(async () => {
		demo = await seedDemo(testDb().db);
	});

	it('seeds the demo municipality once, and never over existing data', async () => {
		const [{ n }] = await testDb()
			.db.select({ n: sql<number>`count(*)::int` })
			.from(users);
		expect(n).toBe(demo.logins.length);
		expect(demo.logins).toContain('utenfor@demo.fellesplan.no');
		expect(demo.logins).toContain('pasient2@demo.fellesplan.no');
		const [{ p }] = await testDb()
			.db.select({ p: sql<number>`count(*)::int` })
			.from(plans);
		expect(p).toBe(2);
		expect(demo.secondPlanId).not.toBe(demo.planId);
		expect(await seedDemoIfEmpty(testDb().db)).toBeNull();
		const [{ n: after }] = await testDb()
			.db.select({ n: sql<number>`count(*)::int` })
			.from(users);
		expect(after).toBe(n);
		const [{ p: plansAfter }] = await testDb()
			.db.select({ p: sql<number>`count(*)::int` })
			.from(plans);
		expect(plansAfter).toBe(2);
	});

	it('logs in with the right password, case-insensitive email', async () => {
		const r = await attemptLogin(testDb().db, {
			email: 'Koordinator@Demo.Fellesplan.no',
			password: DEMO_PASSWORD,
			ip: '10.0.0.1'
		});
		expect(r).toEqual({
			ok: true,
			userId: demo.userIds.coordinator,
			deviceToken: expect.stringMatching(/^[a-z2-7]{32}$/)
		});
	});

	it('answers a wrong password and an unknown account the same way', async () => {
		const wrong = await attemptLogin(testDb().db, {
			email: 'nav@demo.fellesplan.no',
			password: 'nope',
			ip: '10.0.0.2'
		});
		const unknown = await attemptLogin(testDb().db, {
			email: 'nobody@demo.fellesplan.no',
			password: 'nope',
			ip: '10.0.0.2'
		});
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual(wrong);
	});

	it('validates a session token, rejects a tampered one, and ends an idle one', async () => {
		const { token } = await createSession(testDb().db, demo.userIds.patient);
		const valid = await validateSessionToken(testDb().db, token, HOUR);
		expect(valid?.user.id).toBe(demo.userIds.patient);
		expect(valid?.user.kind).toBe('patient');

		const [id, secret] = token.split('.');
		const tampered = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
		expect(await validateSessionToken(testDb().db, `${id}.${tampered}`, HOUR)).toBeNull();
		expect(await validateSessionToken(testDb().db, 'garbage', HOUR)).toBeNull();
		const [row] = await testDb().db.select().from(sessions).where(eq(sessions.id, id));
		expect(Buffer.from(row.secretHash).toString()).not.toContain(secret); // only the hash is stored

		await testDb()
			.db.update(sessions)
			.set({ lastVerifiedAt: new Date(Date.now() - 2 * HOUR) })
			.where(eq(sessions.id, id));
		expect(await validateSessionToken(testDb().db, token, HOUR)).toBeNull();
		expect(await testDb().db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
	});

	it('ends all other sessions of a user, keeping the current one', async () => {
		const a = await createSession(testDb().db, demo.userIds.nav);
		const b = await createSession(testDb().db, demo.userIds.nav);
		const other = await createSession(testDb().db, demo.userIds.gp);
		// The ended ids come back, so their live connections can be closed as well.
		expect(await invalidateOtherSessions(testDb().db, demo.userIds.nav, a.session.id)).toEqual([b.session.id]);
		expect(await validateSessionToken(testDb().db, a.token, HOUR)).not.toBeNull();
		expect(await validateSessionToken(testDb().db, b.token, HOUR)).toBeNull();
		expect(await validateSessionToken(testDb().db, other.token, HOUR)).not.toBeNull();
	});

	it('a disabled account can neither log in nor keep its sessions', async () => {
		const s = await createSession(testDb().db, demo.userIds.housing);
		await testDb().db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, demo.userIds.housing));
		expect(await validateSessionToken(testDb().db, s.token, HOUR)).toBeNull();
		const r = await attemptLogin(testDb().db, {
			email: 'bolig@demo.fellesplan.no',
			password: DEMO_PASSWORD,
			ip: '10.3.0.1'
		});
		expect(r).toEqual({ ok: false, reason: 'invalid' });
	});
});
