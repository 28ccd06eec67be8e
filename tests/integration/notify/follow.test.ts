/**
 * Following a measure (issue 12: "a measure I own, proposed or follow changes status"): a follower is told of a
 * status change like the named person and the proposer — never the one who made it, nobody twice — until they stop
 * following; a follower whose consent is withdrawn gets nothing. Only a person whose consent covers the plan's goals
 * and measures may follow, and only a measure of the live plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import type { Db } from '../../../src/lib/server/db';
import { auditEvents, consents, measureFollowers, notifications, jobs } from '../../../src/lib/server/db/schema';
import { projectStale } from '../../../src/lib/server/projections';
import { withdrawConsent } from '../../../src/lib/server/consent';
import { followedMeasures, MeasureActionError, setFollowing } from '../../../src/lib/server/measures';
import { createUser } from '../collab/fixtures';
import { cleanup, startNode, type TestNode } from '../collab/harness';
import { addTestMeasure, drain, recipientsOf, setMeasure, testWorker } from './helpers';

describe.each(engines)('following a measure on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = (): Db => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let sink: SmtpSink;
	let u: Record<string, string>;
	let plan: string;

	const follow = (userId: string, measureId: string, on = true) =>
		setFollowing({ db: db(), collab: node.collab }, userId, plan, measureId, on);
	/** A new measure the coordinator proposes to NAV, named to NAV's adviser. */
	const measure = (title: string) =>
		addTestMeasure(node, db(), plan, u.coordinator, { title, serviceId: demo.serviceIds.nav, personId: u.nav });
	const refusal = async (p: Promise<unknown>) => {
		try {
			await p;
		} catch (err) {
			if (err instanceof MeasureActionError) return err.status;
			throw err;
		}
		return 'allowed';
	};

	beforeAll(async () => {
		demo = await seedDemo(db());
		await projectStale(db());
		node = await startNode(db());
		sink = await startSmtpSink();
		u = demo.userIds;
		plan = demo.planId;
	});
	afterAll(async () => {
		await cleanup();
		await sink?.close();
	});

	it('a follower is told of a status change; the owner who also follows is told once; the changer never', async () => {
		const m = await measure('Følge opp søknad om arbeidsavklaringspenger');
		expect(await follow(u.gp, m)).toBe(true);
		expect(await follow(u.nav, m)).toBe(true);
		// Following twice is one row.
		await follow(u.gp, m);
		expect(await db().select().from(measureFollowers).where(eq(measureFollowers.measureId, m))).toHaveLength(2);
		expect(await followedMeasures(db(), u.gp, plan)).toContain(m);

		// The coordinator (who proposed it) starts it: NAV (named and following) once, the GP; not the coordinator.
		await setMeasure(node, db(), plan, u.coordinator, m, { status: 'in_progress' });
		await drain(testWorker(db(), sink.url));
		expect(await recipientsOf(db(), 'measure.status', ['measureId', m])).toEqual([u.gp, u.nav].sort());

		// A follower who makes the change is not told of it; the others are.
		await follow(u.dps, m);
		await setMeasure(node, db(), plan, u.gp, m, { status: 'completed' });
		await drain(testWorker(db(), sink.url));
		const second = (await db().select().from(notifications).where(eq(notifications.kind, 'measure.status')))
			.filter((n) => n.refs.measureId === m)
			.map((n) => n.recipientId);
		expect(second.filter((r) => r === u.gp)).toHaveLength(1); // only the first change
		expect(second.filter((r) => r === u.nav)).toHaveLength(2);
		expect(second.filter((r) => r === u.dps)).toHaveLength(1);
		expect(second.filter((r) => r === u.coordinator)).toHaveLength(1); // the proposer, now that someone else acted

		// Attributable: who followed what, by id.
		const audit = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'measure.followed'), eq(auditEvents.target, m)));
		expect(audit.map((a) => a.actorId).sort()).toEqual([u.dps, u.gp, u.nav].sort());
	});

	it('after unfollowing, a status change no longer reaches the person', async () => {
		const m = await measure('Avtale time hos fastlegen for blodprøver');
		await follow(u.gp, m);
		expect(await follow(u.gp, m, false)).toBe(false);
		expect(await followedMeasures(db(), u.gp, plan)).not.toContain(m);
		await setMeasure(node, db(), plan, u.coordinator, m, { status: 'in_progress' });
		await drain(testWorker(db(), sink.url));
		expect(await recipientsOf(db(), 'measure.status', ['measureId', m])).toEqual([u.nav]);
		expect(
			await db()
				.select()
				.from(auditEvents)
				.where(
					and(eq(auditEvents.action, 'measure.unfollowed'), eq(auditEvents.target, m), eq(auditEvents.actorId, u.gp))
				)
		).toHaveLength(1);
	});

	it('a measure that is not in the plan is refused (404), a missing id too (400)', async () => {
		expect(await refusal(follow(u.gp, 'no-such-measure'))).toBe(404);
		expect(await refusal(follow(u.gp, ''))).toBe(400);
		expect(await db().select().from(measureFollowers).where(eq(measureFollowers.measureId, 'no-such-measure'))).toEqual(
			[]
		);
	});

	it('without consent to the plan (the sister sees the crisis plan and meetings only) or without a seat: 403', async () => {
		const m = await measure('Skaffe bankID');
		expect(await refusal(follow(u.sister, m))).toBe(403);
		const outsider = await createUser(db(), { name: 'Utenforstående Person' });
		expect(await refusal(follow(outsider.id, m))).toBe(403);
		expect(await db().select().from(measureFollowers).where(eq(measureFollowers.measureId, m))).toEqual([]);
		expect(
			await db()
				.select()
				.from(auditEvents)
				.where(and(eq(auditEvents.action, 'plan.denied'), eq(auditEvents.target, m)))
		).toHaveLength(2);
	});

	it('a follower whose consent is withdrawn gets nothing: the queued notice is dropped', async () => {
		const m = await measure('Søke om støttekontakt');
		await follow(u.act, m);
		const [c] = await db()
			.select({ id: consents.id })
			.from(consents)
			.where(and(eq(consents.planId, plan), eq(consents.granteeUserId, u.act)));
		expect((await withdrawConsent(db(), plan, c.id, u.patient)).ok).toBe(true);
		await setMeasure(node, db(), plan, u.coordinator, m, { status: 'in_progress' });
		// Queued for the follower (ids only), then dropped as it goes out.
		const job = (await db().select().from(jobs)).find(
			(j) => j.dedupeKey.startsWith(`notice:measure.status:${m}:`) && j.dedupeKey.endsWith(`:${u.act}`)
		);
		expect(job).toBeTruthy();
		await drain(testWorker(db(), sink.url));
		expect(await recipientsOf(db(), 'measure.status', ['measureId', m])).toEqual([u.nav]);
		expect((await db().select().from(jobs).where(eq(jobs.id, job!.id)))[0]).toMatchObject({
			state: 'dropped',
			lastError: 'no-access'
		});
		// And they can no longer follow.
		expect(await refusal(follow(u.act, m))).toBe(403);
	});
});
