/**
 * The queue's promises: a restart in the middle of a schedule and two nodes on one PostgreSQL each send every
 * reminder once; a withdrawn consent stops what is queued; a failing send is retried with backoff and then shows
 * to the administrator; the daily digest counts by kind, once a day, without content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
	createTestDatabase,
	engines,
	postgresAvailable,
	useTestDatabase,
	type TestDatabase
} from '../../helpers/services';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { openDatabase, type Db } from '../../../src/lib/server/db';
import { consents, meetingParticipants, meetings, notifications, jobs, users } from '../../../src/lib/server/db/schema';
import { withdrawConsent } from '../../../src/lib/server/consent';
import {
	NOTICE_KINDS,
	NOTIFY_JOB_TYPES,
	queueNotices,
	savePreferences,
	type Preferences
} from '../../../src/lib/server/notify';
import { claim } from '../../../src/lib/server/jobs/queue';
import { addMember, createPlan, createUser, testId, type TestPlan, type TestUser } from '../collab/fixtures';
import { silentLog } from '../collab/harness';
import { drain, testWorker } from './helpers';
import { load as adminLoad, actions as adminActions } from '../../../src/routes/admin/varsler/+page.server';

const HOUR = 3_600_000;
const only = (kind: string, email: 'now' | 'digest' | 'off' = 'now') =>
	Object.fromEntries(NOTICE_KINDS.map((k) => [k, { email: k === kind ? email : 'off', sms: 'off' }])) as Preferences;

/** A plan with a meeting 20 hours ahead and `n` invited staff, each wanting only the reminder, by e-mail at once. */
async function meetingAhead(db: Db, n: number): Promise<{ plan: TestPlan; meetingId: string; invited: TestUser[] }> {
	const plan = await createPlan(db);
	const meetingId = testId();
	await db.insert(meetings).values({
		id: meetingId,
		planId: plan.planId,
		startsAt: new Date(Date.now() + 20 * HOUR),
		createdBy: plan.coordinator.id
	});
	const invited: TestUser[] = [];
	for (let i = 0; i < n; i++) {
		const u = await createUser(db);
		await addMember(db, plan.planId, u.id, 'service_provider', 'write');
		await db.insert(meetingParticipants).values({ meetingId, userId: u.id });
		await savePreferences(db, u.id, only('meeting.reminder'));
		invited.push(u);
	}
	return { plan, meetingId, invited };
}

/** Reminder e-mails per address. */
function perAddress(sink: SmtpSink): Map<string, number> {
	const out = new Map<string, number>();
	for (const m of sink.messages) for (const to of m.to) out.set(to, (out.get(to) ?? 0) + 1);
	return out;
}

describe.each(engines)('the notification queue on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = (): Db => testDb().db;
	let sink: SmtpSink;

	beforeAll(async () => {
		sink = await startSmtpSink();
	});
	afterAll(async () => {
		await sink?.close();
	});

	it('[J2] a restart in the middle of a schedule sends each reminder once (and a job left running by a dead node is taken over)', async () => {
		sink.messages.length = 0;
		const { invited } = await meetingAhead(db(), 5);
		// The first node runs the sweep and two notices, one at a time, then stops.
		const first = testWorker(db(), sink.url, { sweepEveryMs: 60_000, batch: 1 });
		for (let i = 0; i < 3; i++) await first.runOnce();
		await first.stop();
		// A third job is claimed by a node that dies before finishing it.
		const [orphan] = await claim(db(), {
			nodeId: 'dead-node',
			types: NOTIFY_JOB_TYPES,
			limit: 1,
			now: new Date(),
			leaseMs: 60_000
		});
		expect(orphan).toBeTruthy();

		// "Restart": on PostgreSQL a fresh connection pool, as a new process would open.
		let reopened: Awaited<ReturnType<typeof openDatabase>> | null = null;
		const url = testDb().url;
		if (url) reopened = await openDatabase({ url, dataDir: '' });
		const second = testWorker(reopened?.db ?? db(), sink.url, { sweepEveryMs: 60_000, leaseMs: 0 });
		await drain(second);
		await reopened?.close();

		const counts = perAddress(sink);
		for (const u of invited) expect(counts.get(`${u.id}@example.test`), u.name).toBe(1);
		expect(sink.messages.length).toBe(invited.length);
		// The dead node's job was taken over: nothing is left running.
		expect(await db().select().from(jobs).where(eq(jobs.state, 'running'))).toEqual([]);
	});

	it('a withdrawn consent stops a queued notice and a queued e-mail: the job is dropped, not retried', async () => {
		sink.messages.length = 0;
		const { plan, meetingId, invited } = await meetingAhead(db(), 2);
		const [early, late] = invited;
		// Both notices are queued (the sweep), and `late`'s e-mail too; then the patient withdraws both consents.
		// A fresh sweep slot (the test before swept this minute already).
		const worker = testWorker(db(), sink.url, { sweepEveryMs: 1, batch: 1 });
		await worker.runOnce(); // the sweep
		const lateNotice = `notice:meeting.reminder:${meetingId}:`;
		const pending = await db().select().from(jobs).where(eq(jobs.state, 'pending'));
		const lateJob = pending.find((j) => j.dedupeKey.startsWith(lateNotice) && j.dedupeKey.endsWith(late.id))!;
		// Run only `late`'s notice: its e-mail is now queued.
		await db()
			.update(jobs)
			.set({ runAt: new Date(Date.now() + HOUR) })
			.where(and(eq(jobs.state, 'pending')));
		await db()
			.update(jobs)
			.set({ runAt: new Date(0) })
			.where(eq(jobs.id, lateJob.id));
		await worker.runOnce();
		const [emailJob] = await db()
			.select()
			.from(jobs)
			.where(and(eq(jobs.type, 'email'), eq(jobs.state, 'pending')));
		expect(emailJob).toBeTruthy();

		for (const u of [early, late]) {
			const [c] = await db()
				.select({ id: consents.id })
				.from(consents)
				.where(and(eq(consents.planId, plan.planId), eq(consents.granteeUserId, u.id)));
			expect((await withdrawConsent(db(), plan.planId, c.id, plan.patient.id)).ok).toBe(true);
		}
		await db()
			.update(jobs)
			.set({ runAt: new Date(0) })
			.where(eq(jobs.state, 'pending'));
		await drain(testWorker(db(), sink.url));

		expect(sink.messages).toEqual([]);
		const [email] = await db().select().from(jobs).where(eq(jobs.id, emailJob.id));
		expect(email).toMatchObject({ state: 'dropped', lastError: 'no-access', attempts: 1 });
		const earlyJob = (await db().select().from(jobs)).find(
			(j) => j.dedupeKey.startsWith(lateNotice) && j.dedupeKey.endsWith(`:${early.id}`)
		)!;
		expect(earlyJob).toMatchObject({ state: 'dropped', lastError: 'no-access' });
		expect(await db().select().from(notifications).where(eq(notifications.recipientId, early.id))).toEqual([]);
	});

	it('[J3] a failing send is retried with growing waits, then listed for the administrator, who can queue it again', async () => {
		const plan = await createPlan(db());
		await savePreferences(db(), plan.coordinator.id, only('contacts.three_misses'));
		await queueNotices(db(), [
			{
				kind: 'contacts.three_misses',
				recipientId: plan.coordinator.id,
				planId: plan.planId,
				linkPath: `/plans/${plan.planId}`,
				dedupeKey: `contacts.three_misses:e-${testId()}:${plan.coordinator.id}`
			}
		]);
		// Nothing listens on port 9: every attempt fails at connect.
		const worker = testWorker(db(), 'smtp://127.0.0.1:9', { backoff: { baseMs: 40, maxMs: 1000 } });
		await worker.runOnce(); // the notice: creates the e-mail job
		const waits: number[] = [];
		for (let attempt = 1; attempt <= 6; attempt++) {
			const [job] = await db()
				.select()
				.from(jobs)
				.where(and(eq(jobs.type, 'email'), eq(jobs.state, 'pending')));
			await db()
				.update(jobs)
				.set({ runAt: new Date(0) })
				.where(eq(jobs.id, job.id));
			await worker.runOnce();
			const [after] = await db().select().from(jobs).where(eq(jobs.id, job.id));
			expect(after.attempts).toBe(attempt);
			if (attempt < 6) {
				expect(after.state).toBe('pending');
				waits.push(after.runAt.getTime() - after.lockedAt!.getTime());
			} else expect(after.state).toBe('failed');
			expect(after.lastError).toMatch(/^E[A-Z]+/);
		}
		// Counted from the start of each attempt: 40, 80, 160, 320, 640 ms.
		expect(waits).toEqual([40, 80, 160, 320, 640]);

		const [admin] = await db()
			.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
			.from(users)
			.where(eq(users.id, plan.outsider.id));
		await db().update(users).set({ isAdmin: true }).where(eq(users.id, admin.id));
		const data = (await adminLoad({ locals: { db: db(), user: { ...admin, isAdmin: true } } } as never)) as {
			failed: Array<{ id: number; type: string; lastError: string }>;
		};
		const listed = data.failed.find((f) => f.type === 'email');
		expect(listed?.lastError).toMatch(/^E[A-Z]+/);
		// Someone who is not an administrator gets 403.
		await expect(
			adminLoad({ locals: { db: db(), user: { ...admin, isAdmin: false } } } as never)
		).rejects.toMatchObject({ status: 403 });
		const form = new FormData();
		form.set('id', String(listed!.id));
		await adminActions.retry({
			locals: { db: db(), user: { ...admin, isAdmin: true } },
			request: new Request('http://x/admin/varsler', { method: 'POST', body: form })
		} as never);
		const [again] = await db().select().from(jobs).where(eq(jobs.id, listed!.id));
		expect(again).toMatchObject({ state: 'pending', attempts: 0 });
		await db().update(jobs).set({ state: 'done' }).where(eq(jobs.id, listed!.id));
	});

	it('the daily digest: one e-mail a day with how many things wait, by kind, and nothing else', async () => {
		sink.messages.length = 0;
		const plan = await createPlan(db());
		const person = plan.coordinator;
		await savePreferences(db(), person.id, only('contacts.three_misses', 'digest'));
		const events = [1, 2, 3].map((i) => ({
			kind: 'contacts.three_misses' as const,
			recipientId: person.id,
			planId: plan.planId,
			linkPath: `/plans/${plan.planId}`,
			dedupeKey: `contacts.three_misses:d${i}-${testId()}:${person.id}`
		}));
		await queueNotices(db(), events);
		const worker = testWorker(db(), sink.url, { sweep: { digestHour: 0 } });
		await drain(worker);
		expect(sink.messages).toEqual([]); // nothing at once
		await db()
			.update(notifications)
			.set({ readAt: new Date() })
			.where(eq(notifications.dedupeKey, events[0].dedupeKey));
		// The sweep queues the day's digest; a second sweep the same day queues nothing more.
		const sweeping = testWorker(db(), sink.url, { sweepEveryMs: 1, sweep: { digestHour: 0 } });
		for (let i = 0; i < 4; i++) {
			await sweeping.runOnce();
			await new Promise((r) => setTimeout(r, 2));
		}
		const mine = sink.messages.filter((m) => m.to.includes(`${person.id}@example.test`));
		expect(mine.length).toBe(1);
		const text = mine[0].parsed.text ?? '';
		expect(text).toContain(': 2'); // two unread, the read one is not counted
		expect(text).not.toContain('Test plan');
		expect(text).not.toContain(plan.patient.name);
		expect(mine[0].parsed.subject).toBe('Dette venter på deg i Fellesplan');
	});
});

describe.runIf(postgresAvailable)('two nodes on one PostgreSQL', () => {
	let a: TestDatabase;
	let b: Awaited<ReturnType<typeof openDatabase>>;
	let sink: SmtpSink;
	beforeAll(async () => {
		a = await createTestDatabase('postgres');
		b = await openDatabase({ url: a.url!, dataDir: '' });
		sink = await startSmtpSink();
	});
	afterAll(async () => {
		await b?.close();
		await a?.drop();
		await sink?.close();
	});

	it('[J1] two workers running at once send each reminder exactly once', async () => {
		const { invited } = await meetingAhead(a.db, 12);
		const one = testWorker(a.db, sink.url, { nodeId: 'node-a', sweepEveryMs: 20, batch: 2, log: silentLog });
		const two = testWorker(b.db, sink.url, { nodeId: 'node-b', sweepEveryMs: 20, batch: 2, log: silentLog });
		one.start();
		two.start();
		const deadline = Date.now() + 15_000;
		while (sink.messages.length < invited.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
		// Let both run a few more sweeps: nothing may come twice.
		await new Promise((r) => setTimeout(r, 300));
		await Promise.all([one.stop(), two.stop()]);
		const counts = perAddress(sink);
		for (const u of invited) expect(counts.get(`${u.id}@example.test`), u.name).toBe(1);
		expect(sink.messages.length).toBe(invited.length);
		// One e-mail job per reminder, however many sweeps the two nodes ran.
		const emailJobs = await a.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.type, 'email'));
		expect(emailJobs.length).toBe(invited.length);
	});
});
