/**
 * Issue 8, "rights inside the document, enforced by the server": the rights table against the stock y-websocket
 * client, on the real sync server, on PGlite and PostgreSQL. A refused update is neither applied, stored nor
 * forwarded; the refused client starts again from the server's copy (as the browser does) and its next valid
 * update goes through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGoal, addMeasure, getMeasure, getGoal, removeGoal, ROOT, updateMeasure } from '../../../src/lib/plan';
import { measuresRoot } from '../../../src/lib/plan/roots';
import { planMembers, services } from '../../../src/lib/server/db/schema';
import type { Db } from '../../../src/lib/server/db';
import { parseRefusal } from '../../../src/lib/sync/close-codes';
import { planAccess } from '../../../src/lib/server/access/plans';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan, createUser, grantConsent, testId, type TestUser } from './fixtures';
import {
	cleanup,
	connectClient,
	connectSynced,
	countUpdates,
	startNode,
	waitFor,
	withTimeout,
	type TestClient,
	type TestNode
} from './harness';
import { getMark, setMark } from './plan-edits';

/** A staff member with a writing seat for a service. */
async function serviceMember(db: Db, planId: string, serviceId: string, name: string): Promise<TestUser> {
	const user = await createUser(db, { name });
	await db
		.insert(planMembers)
		.values({ planId, userId: user.id, role: 'service_provider', access: 'write', serviceId });
	await grantConsent(db, planId, user.id, ['plan', 'crisis']);
	return user;
}

/** The close code and reason of the first close the server sends to a stock client. */
function closeOf(client: TestClient): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) =>
		client.provider.on('connection-close', (event) => {
			if (event) resolve({ code: event.code, reason: event.reason });
		})
	);
}

describe.each(engines)('rights inside the plan, enforced by the sync server (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	async function setup() {
		const { db } = testDb();
		const plan = await createPlan(db);
		const nav = testId();
		const dps = testId();
		await db.insert(services).values([
			{ id: nav, name: 'NAV Testvik', kind: 'nav', organisation: 'Testvik kommune' },
			{ id: dps, name: 'DPS Testvik', kind: 'dps', organisation: 'Helse Testvik' }
		]);
		const navUser = await serviceMember(db, plan.planId, nav, 'Nina NAV');
		const dpsUser = await serviceMember(db, plan.planId, dps, 'Dag DPS');
		const node = await startNode(db);
		let goalId = '';
		let measureId = '';
		await node.collab.applyServerChange(
			plan.planDoc,
			(doc) => {
				goalId = addGoal(doc, {
					lifeArea: 'mental_health',
					title: 'Færre innleggelser',
					expressedBy: 'staff',
					status: 'active',
					createdBy: plan.coordinator.id
				});
				measureId = addMeasure(doc, {
					goalId,
					title: 'Samtaler hver uke',
					serviceId: dps,
					status: 'accepted',
					createdBy: plan.coordinator.id
				});
			},
			plan.coordinator.id
		);
		return { db, plan, node, navUser, dpsUser, nav, dps, goalId, measureId };
	}

	/** Proves `observer` got nothing of a refused update: a later change from someone else arrives, and nothing before it. */
	async function nothingForwarded(
		node: TestNode,
		observer: TestClient,
		writer: TestUser,
		docName: string,
		check: () => void
	): Promise<void> {
		const other = await connectSynced(node, docName, writer);
		setMark(other.doc, 'marker', 'etter avvisningen');
		await waitFor(() => getMark(observer.doc, 'marker') === 'etter avvisningen', {
			what: 'a later change reaching the observer'
		});
		check();
		other.destroy();
	}

	it('a read-only seat in the owning service gives no rights over its measures: only writing seats make the actor', async () => {
		const { db, plan, node, navUser, dps, measureId } = await setup();
		// NAV's adviser also holds a read-only seat for DPS (say, an observer from the DPS side).
		await db.insert(planMembers).values({
			planId: plan.planId,
			userId: navUser.id,
			role: 'observer',
			access: 'read',
			serviceId: dps,
			joinedAt: new Date()
		});
		const access = await planAccess(db, navUser.id, plan.planId);
		expect(access?.docs.plan).toBe('write');
		expect([...(access?.actor.serviceIds ?? [])]).not.toContain(dps);
		expect([...(access?.actor.roles ?? [])]).toEqual(['service_provider']);
		const client = await connectSynced(node, plan.planDoc, navUser);
		const closed = closeOf(client);
		updateMeasure(client.doc, measureId, { status: 'completed' });
		const close = await withTimeout(closed, 5000, 'refused');
		expect(close.code).toBe(4422);
		expect(parseRefusal(close.reason)?.detail).toMatchObject({ entity: 'measure', field: 'status' });
		client.destroy();
	});

	it('NAV cannot change the status of a DPS measure: refused (4422, not-allowed measure/status), not stored, not forwarded', async () => {
		const { db, plan, node, navUser, measureId } = await setup();
		const observer = await connectSynced(node, plan.planDoc, plan.patient);
		const navClient = await connectSynced(node, plan.planDoc, navUser);
		const stored = await countUpdates(db, plan.planDoc);
		const closed = closeOf(navClient);
		updateMeasure(navClient.doc, measureId, { status: 'cancelled', statusReason: 'Avsluttet av NAV' });
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		expect(parseRefusal(reason)).toEqual({
			reason: 'not-allowed',
			detail: { entity: 'measure', field: 'status', id: measureId }
		});
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(stored);
		await nothingForwarded(node, observer, plan.coordinator, plan.planDoc, () =>
			expect(getMeasure(observer.doc, measureId)?.status).toBe('accepted')
		);
		// Reloaded from storage, the plan never had it.
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await node.collab.readDocState(plan.planDoc));
		expect(getMeasure(reloaded, measureId)?.status).toBe('accepted');
	});

	it('NAV cannot delete a goal; the refused client resyncs from the server and its next valid update goes through', async () => {
		const { db, plan, node, navUser, goalId, measureId } = await setup();
		const observer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const navClient = await connectSynced(node, plan.planDoc, navUser);
		const closed = closeOf(navClient);
		removeGoal(navClient.doc, goalId);
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		// The goal goes first; its measures would have gone with it.
		expect(parseRefusal(reason)?.detail).toMatchObject({ field: 'delete' });
		expect(getGoal(observer.doc, goalId)).not.toBeNull();

		// What the browser does on 4422: drop the local copy, open a fresh document, sync from the server.
		navClient.destroy();
		const again = await connectSynced(node, plan.planDoc, navUser);
		expect(getGoal(again.doc, goalId)?.title).toBe('Færre innleggelser');
		const before = await countUpdates(db, plan.planDoc);
		// A status note is any writer's.
		updateMeasure(again.doc, measureId, { statusReason: 'NAV har sendt søknad om arbeidsavklaringspenger' });
		await waitFor(
			() => getMeasure(observer.doc, measureId)?.statusReason === 'NAV har sendt søknad om arbeidsavklaringspenger',
			{ what: "NAV's note reaching the coordinator" }
		);
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(before + 1);
		expect(again.provider.wsconnected).toBe(true);
	});

	it('the owning service moves its measure on; nobody answers by writing the document (answers are server actions)', async () => {
		const { plan, node, dpsUser, dps, measureId, goalId } = await setup();
		const observer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const dpsClient = await connectSynced(node, plan.planDoc, dpsUser);
		updateMeasure(dpsClient.doc, measureId, { status: 'in_progress' });
		await waitFor(() => getMeasure(observer.doc, measureId)?.status === 'in_progress', {
			what: "DPS's status reaching the coordinator"
		});

		// A proposal to DPS, by the coordinator: DPS may not accept it by writing the status.
		let proposal = '';
		await node.collab.applyServerChange(
			plan.planDoc,
			(doc) =>
				(proposal = addMeasure(doc, {
					goalId,
					title: 'Innleggelse ved behov',
					serviceId: dps,
					createdBy: plan.coordinator.id
				})),
			plan.coordinator.id
		);
		await waitFor(() => getMeasure(dpsClient.doc, proposal), { what: 'the proposal reaching DPS' });
		const closed = closeOf(dpsClient);
		updateMeasure(dpsClient.doc, proposal, { status: 'accepted' });
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		expect(parseRefusal(reason)?.detail).toEqual({ entity: 'measure', field: 'status', id: proposal });
		expect(getMeasure(observer.doc, proposal)?.status).toBe('requested');
	});

	it('refuses unknown roots, unknown keys and values of the wrong type from a writer', async () => {
		const { plan, node, measureId } = await setup();
		const attempts: Array<[string, (doc: Y.Doc) => void, string]> = [
			['an unknown root map', (doc) => doc.getMap('extra').set('x', new Y.Map()), 'unknown-root'],
			[
				'an unknown key on a measure',
				(doc) => (measuresRoot(doc).get(measureId) as Y.Map<unknown>).set('hidden', 'x'),
				'unknown-key measure'
			],
			[
				'a status of the wrong type',
				(doc) => (measuresRoot(doc).get(measureId) as Y.Map<unknown>).set('status', 42),
				'invalid-value measure/status'
			],
			['a goal that is not a map', (doc) => doc.getMap(ROOT.goals).set('g1', 'just text'), 'invalid-value goal']
		];
		for (const [what, write, expected] of attempts) {
			// The coordinator may change anything in the plan: these are refused for what they are, not for who sent them.
			const client = await connectSynced(node, plan.planDoc, plan.coordinator);
			const closed = closeOf(client);
			client.doc.transact(() => write(client.doc));
			const { code, reason } = await withTimeout(closed, 5000, what);
			expect(code, what).toBe(4422);
			expect(reason, what).toBe(expected);
			client.destroy();
		}
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await node.collab.readDocState(plan.planDoc));
		expect([...reloaded.share.keys()].sort()).toEqual([ROOT.goals, ROOT.measures].sort());
		expect([...(measuresRoot(reloaded).get(measureId) as Y.Map<unknown>).keys()]).not.toContain('hidden');
	});

	it('rights follow the seats: after a revalidation, a new seat in the owning service lets the same connection move the measure on', async () => {
		const { db, plan, node, navUser, dps, measureId } = await setup();
		const observer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const navClient = connectClient(node, plan.planDoc, navUser);
		await navClient.whenSynced();
		// The seat starts by the app's clock, as `insertSeat` does: the database's default now() carries microseconds
		// the app's Date cannot, so such a seat would begin just after the revalidation that should see it.
		await db.insert(planMembers).values({
			planId: plan.planId,
			userId: navUser.id,
			role: 'service_provider',
			access: 'write',
			serviceId: dps,
			joinedAt: new Date()
		});
		await node.collab.revalidate({ userId: navUser.id });
		updateMeasure(navClient.doc, measureId, { status: 'completed' });
		await waitFor(() => getMeasure(observer.doc, measureId)?.status === 'completed', {
			what: 'the status from the new DPS seat'
		});
		expect(navClient.provider.wsconnected).toBe(true);
	});

	it('the crisis plan is written by clinical staff, read by NAV', async () => {
		const { plan, node, navUser, dpsUser } = await setup();
		const dpsClient = await connectSynced(node, `crisis:${plan.planId}`, dpsUser);
		const navClient = await connectSynced(node, `crisis:${plan.planId}`, navUser);
		dpsClient.doc.getMap(ROOT.warningSigns).set(
			'w1',
			new Y.Map([
				['text', 'Sover lite'],
				['order', 'a0']
			])
		);
		await waitFor(() => navClient.doc.getMap(ROOT.warningSigns).has('w1'), { what: 'the warning sign reaching NAV' });
		// NAV reads: its update is dropped, never applied.
		navClient.doc.getMap(ROOT.warningSigns).set(
			'w2',
			new Y.Map([
				['text', 'Fra NAV'],
				['order', 'a1']
			])
		);
		dpsClient.doc.getMap(ROOT.warningSigns).set(
			'w3',
			new Y.Map([
				['text', 'Trekker seg unna'],
				['order', 'a2']
			])
		);
		await waitFor(() => navClient.doc.getMap(ROOT.warningSigns).has('w3'), { what: 'a later sign reaching NAV' });
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await node.collab.readDocState(`crisis:${plan.planId}`));
		expect(reloaded.getMap(ROOT.warningSigns).has('w2')).toBe(false);
		expect(reloaded.getMap(ROOT.warningSigns).has('w3')).toBe(true);
	});
});
