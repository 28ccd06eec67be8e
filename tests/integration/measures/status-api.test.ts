/**
 * The measure actions (accept, decline, counter-propose, progress, cancel) through `POST
 * /api/plans/<id>/measures/<measureId>/status`, as SvelteKit calls it, against the demo plan on both engines, with a
 * real collab server: the change reaches a connected stock y-websocket client, is stored, and is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { installRuntime } from '../../helpers/runtime';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, users } from '../../../src/lib/server/db/schema';
import { getMeasure, listAllMeasures, planDocName, type Measure } from '../../../src/lib/plan';
import { POST } from '../../../src/routes/api/plans/[id]/measures/[measureId]/status/+server';
import { cleanup, connectSynced, startNode, storedDoc, waitFor, type TestNode } from '../collab/harness';
import type { TestUser } from '../collab/fixtures';
import { createSession } from '../../../src/lib/server/auth/session';

describe.each(engines)('measure actions on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let restoreRuntime = () => {};

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		restoreRuntime = installRuntime(node.collab);
	});
	afterAll(async () => {
		restoreRuntime();
		await cleanup();
	});

	async function call(who: string | null, measureId: string, body: unknown, planId = demo.planId) {
		const userId = who ? demo.userIds[who] : null;
		const user = userId
			? (
					await db()
						.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
						.from(users)
						.where(eq(users.id, userId))
				)[0]
			: null;
		const request = new Request(`http://localhost/api/plans/${planId}/measures/${measureId}/status`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		const response = await POST({
			params: { id: planId, measureId },
			request,
			locals: { db: db(), user, engine, session: null }
		} as never);
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	async function measures(): Promise<Measure[]> {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await node.collab.readDocState(planDocName(demo.planId)));
		return listAllMeasures(doc);
	}
	const find = async (title: string) => (await measures()).find((m) => m.title.startsWith(title))!;
	const asUser = async (who: string): Promise<TestUser> => {
		const { token } = await createSession(db(), demo.userIds[who]);
		return { id: demo.userIds[who], name: who, token, cookie: `session=${token}` };
	};

	it('NAV accepts its measure naming a NAV person: the live document, every connected client and the store say so, and it is audited', async () => {
		const aft = await find('Søke om arbeidsforberedende trening');
		expect(aft.status).toBe('requested');
		const watcher = await connectSynced(node, planDocName(demo.planId), await asUser('coordinator'));

		const res = await call('nav', aft.id, { action: 'accept', personId: demo.userIds.nav });
		expect(res.status).toBe(200);
		expect(res.body.measure).toMatchObject({
			id: aft.id,
			status: 'accepted',
			personId: demo.userIds.nav,
			answeredBy: demo.userIds.nav
		});
		expect(typeof (res.body.measure as Measure).answeredAt).toBe('string');

		await waitFor(() => getMeasure(watcher.doc, aft.id)?.status === 'accepted', {
			what: 'the accept to reach a connected client'
		});
		expect(getMeasure(watcher.doc, aft.id)!.answeredBy).toBe(demo.userIds.nav);
		await node.collab.flush();
		const stored = await storedDoc(db(), planDocName(demo.planId));
		expect(getMeasure(stored, aft.id)!.status).toBe('accepted');

		const [event] = await db()
			.select()
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.planId, demo.planId),
					eq(auditEvents.action, 'measure.answered'),
					eq(auditEvents.target, aft.id)
				)
			);
		expect(event).toMatchObject({
			actorId: demo.userIds.nav,
			detail: { from: 'requested', to: 'accepted', personId: demo.userIds.nav }
		});
	});

	it('a member of another service cannot accept (403, audited), and nothing changes', async () => {
		const dpsMeasure = await find('Gjennomgang av medisinene');
		expect(dpsMeasure.status).toBe('requested');
		for (const who of ['nav', 'coordinator', 'patient']) {
			const res = await call(who, dpsMeasure.id, { action: 'accept', personId: demo.userIds.dps });
			expect(res.status, who).toBe(403);
			expect(res.body).toMatchObject({ error: 'not_allowed' });
			expect(res.body.message).toMatch(/owning service/);
		}
		// No seat at all, or no session.
		expect((await call('outsider', dpsMeasure.id, { action: 'accept', personId: demo.userIds.dps })).status).toBe(403);
		expect((await call(null, dpsMeasure.id, { action: 'accept', personId: demo.userIds.dps })).status).toBe(401);
		expect((await find('Gjennomgang av medisinene')).status).toBe('requested');
		const denied = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.denied'), eq(auditEvents.target, dpsMeasure.id)));
		expect(denied.length).toBeGreaterThanOrEqual(4);
	});

	it('accepting needs a named person from the owning service; declining needs a reason: 400, nothing changed', async () => {
		const dpsMeasure = await find('Gjennomgang av medisinene');
		const before = await db().select().from(auditEvents);
		expect((await call('dps', dpsMeasure.id, { action: 'accept' })).body).toMatchObject({
			error: 'person_required',
			field: 'personId'
		});
		const wrongPerson = await call('dps', dpsMeasure.id, { action: 'accept', personId: demo.userIds.nav });
		expect(wrongPerson).toMatchObject({ status: 400, body: { error: 'person_not_in_service' } });
		const noReason = await call('dps', dpsMeasure.id, { action: 'decline', reason: '   ' });
		expect(noReason).toMatchObject({ status: 400, body: { error: 'reason_required', field: 'reason' } });
		expect((await call('dps', dpsMeasure.id, { action: 'explode' })).status).toBe(400);
		expect((await call('dps', dpsMeasure.id, { action: 'decline', reason: 'x', colour: 'red' })).body).toMatchObject({
			error: 'bad_request',
			field: 'colour'
		});
		expect((await call('dps', 'no-such-measure', { action: 'decline', reason: 'x' })).status).toBe(404);
		expect((await find('Gjennomgang av medisinene')).status).toBe('requested');
		expect((await db().select().from(auditEvents)).length).toBe(before.length);
	});

	it('DPS counter-proposes: a new proposed measure linked to the original, which becomes counter-proposed', async () => {
		const dpsMeasure = await find('Gjennomgang av medisinene');
		const res = await call('dps', dpsMeasure.id, {
			action: 'counter',
			counter: { title: 'Medisinsamtale på DPS poliklinikk', dueDate: '2027-02-01' }
		});
		expect(res.status).toBe(200);
		expect(res.body.measure).toMatchObject({ status: 'counter_proposed', answeredBy: demo.userIds.dps });
		const counter = res.body.counter as Measure;
		expect(counter).toMatchObject({
			title: 'Medisinsamtale på DPS poliklinikk',
			status: 'requested',
			counterOf: dpsMeasure.id,
			serviceId: dpsMeasure.serviceId,
			goalId: dpsMeasure.goalId,
			createdBy: demo.userIds.dps,
			dueDate: '2027-02-01'
		});
		expect((await measures()).find((m) => m.id === counter.id)?.counterOf).toBe(dpsMeasure.id);
		// Already answered: a second answer is a conflict, not a silent overwrite.
		expect((await call('dps', dpsMeasure.id, { action: 'accept', personId: demo.userIds.dps })).status).toBe(409);
		// The coordinator asks DPS again: the earlier answer no longer stands. Nobody else may.
		expect((await call('dps', dpsMeasure.id, { action: 'reopen' })).status).toBe(403);
		const reopened = await call('coordinator', dpsMeasure.id, { action: 'reopen' });
		expect(reopened.body.measure).toMatchObject({ status: 'requested', answeredBy: null, answeredAt: null });
		expect(
			(await call('dps', dpsMeasure.id, { action: 'accept', personId: demo.userIds.dps })).body.measure
		).toMatchObject({ status: 'accepted', personId: demo.userIds.dps });
	});

	it('the owning service moves work on; waiting needs a reason and an interim measure; the coordinator cancels with a reason', async () => {
		const aft = await find('Søke om arbeidsforberedende trening');
		expect((await call('gp', aft.id, { action: 'start' })).status).toBe(403);
		expect((await call('nav', aft.id, { action: 'start' })).body.measure).toMatchObject({ status: 'in_progress' });
		expect((await call('nav', aft.id, { action: 'hold', reason: 'Venter på plass' })).body).toMatchObject({
			error: 'interim_required'
		});
		const held = await call('nav', aft.id, {
			action: 'hold',
			reason: 'Venter på plass hos tiltaksarrangør',
			interimMeasure: 'Ukentlig samtale med veileder'
		});
		expect(held.body.measure).toMatchObject({
			status: 'on_hold',
			statusReason: 'Venter på plass hos tiltaksarrangør',
			interimMeasure: 'Ukentlig samtale med veileder'
		});
		// NAV may not cancel; the coordinator may, with a reason.
		expect((await call('nav', aft.id, { action: 'cancel', reason: 'Ikke aktuelt' })).status).toBe(403);
		expect((await call('coordinator', aft.id, { action: 'cancel' })).body).toMatchObject({ error: 'reason_required' });
		const cancelled = await call('coordinator', aft.id, {
			action: 'cancel',
			reason: 'Jonas ønsker heller arbeidstrening senere'
		});
		expect(cancelled.body.measure).toMatchObject({
			status: 'cancelled',
			statusReason: 'Jonas ønsker heller arbeidstrening senere'
		});
		const events = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'measure.status_changed'), eq(auditEvents.target, aft.id)));
		expect(events.map((e) => (e.detail as { to: string }).to)).toEqual(['in_progress', 'on_hold', 'cancelled']);
		// Reasons stay in the plan, never in the log.
		expect(JSON.stringify(events.map((e) => e.detail))).not.toContain('Venter');
	});
});
