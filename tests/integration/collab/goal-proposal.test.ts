/**
 * Issue 10, "one list of goals": a goal the patient writes is a goal of the plan, in their words. On the real
 * sync server, on PGlite and PostgreSQL: staff (the coordinator included) cannot reword it, only propose a
 * wording; only the patient accepts or declines it; the old own-goals list in the voice is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	acceptProposedTitle,
	addGoal,
	declineProposedTitle,
	getGoal,
	proposeGoalTitle,
	RETIRED_ROOT,
	updateGoal
} from '../../../src/lib/plan';
import { planMembers, services } from '../../../src/lib/server/db/schema';
import { parseRefusal } from '../../../src/lib/sync/close-codes';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan, createUser, grantConsent, testId } from './fixtures';
import { cleanup, connectSynced, countUpdates, startNode, waitFor, withTimeout, type TestClient } from './harness';

/** The close code and reason of the first close the server sends to a stock client. */
function closeOf(client: TestClient): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) =>
		client.provider.on('connection-close', (event) => {
			if (event) resolve({ code: event.code, reason: event.reason });
		})
	);
}

describe.each(engines)("the patient's goal: proposed wordings, enforced by the sync server (%s)", (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	async function setup() {
		const { db } = testDb();
		const plan = await createPlan(db);
		const nav = testId();
		await db.insert(services).values({ id: nav, name: 'NAV Testvik', kind: 'nav', organisation: 'Testvik kommune' });
		const navUser = await createUser(db, { name: 'Nina NAV' });
		await db
			.insert(planMembers)
			.values({ planId: plan.planId, userId: navUser.id, role: 'service_provider', access: 'write', serviceId: nav });
		await grantConsent(db, plan.planId, navUser.id, ['plan']);
		const node = await startNode(db);
		return { db, plan, node, navUser };
	}

	it('the patient adds a goal; the coordinator cannot reword it, proposes a wording, and the patient accepts it', async () => {
		const { db, plan, node } = await setup();
		const patient = await connectSynced(node, plan.planDoc, plan.patient);
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const goalId = addGoal(patient.doc, {
			lifeArea: 'housing',
			title: 'Flytte for meg selv',
			expressedBy: 'patient',
			createdBy: plan.patient.id
		});
		await waitFor(() => getGoal(coordinator.doc, goalId)?.expressedBy === 'patient', {
			what: "the patient's goal at the coordinator"
		});

		// Rewording it is refused, not stored, and the coordinator's copy starts again from the server's.
		const stored = await countUpdates(db, plan.planDoc);
		const closed = closeOf(coordinator);
		updateGoal(coordinator.doc, goalId, { title: 'Skaffe egen bolig' });
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		expect(parseRefusal(reason)).toEqual({
			reason: 'not-allowed',
			detail: { entity: 'goal', field: 'title', id: goalId }
		});
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(stored);
		coordinator.destroy();

		const again = await connectSynced(node, plan.planDoc, plan.coordinator);
		expect(getGoal(again.doc, goalId)?.title).toBe('Flytte for meg selv');
		proposeGoalTitle(again.doc, goalId, 'Flytte til egen leilighet med oppfølging', plan.coordinator.id);
		await waitFor(() => getGoal(patient.doc, goalId)?.proposal?.title === 'Flytte til egen leilighet med oppfølging', {
			what: 'the proposal at the patient'
		});
		expect(getGoal(patient.doc, goalId)?.proposal?.by).toBe(plan.coordinator.id);

		acceptProposedTitle(patient.doc, goalId);
		await waitFor(() => getGoal(again.doc, goalId)?.title === 'Flytte til egen leilighet med oppfølging', {
			what: 'the accepted wording at the coordinator'
		});
		expect(getGoal(again.doc, goalId)?.proposal).toBeNull();
		// Stored: a reload from storage has it.
		await node.collab.flush();
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await node.collab.readDocState(plan.planDoc));
		expect(getGoal(reloaded, goalId)).toMatchObject({
			title: 'Flytte til egen leilighet med oppfølging',
			expressedBy: 'patient',
			proposal: null
		});
		expect(again.provider.wsconnected).toBe(true);
	});

	it('NAV proposes in its own name only; the coordinator cannot clear it, NAV can take it back; the patient keeps their words', async () => {
		const { plan, node, navUser } = await setup();
		const patient = await connectSynced(node, plan.planDoc, plan.patient);
		const goalId = addGoal(patient.doc, {
			lifeArea: 'economy',
			title: 'Penger til mat hele måneden',
			expressedBy: 'patient',
			createdBy: plan.patient.id
		});
		const nav = await connectSynced(node, plan.planDoc, navUser);
		await waitFor(() => getGoal(nav.doc, goalId) !== null, { what: 'the goal at NAV' });

		// Signed as someone else: refused.
		let closed = closeOf(nav);
		proposeGoalTitle(nav.doc, goalId, 'Fast budsjett', plan.coordinator.id);
		expect(parseRefusal((await withTimeout(closed, 5000, 'refusal')).reason)?.detail).toEqual({
			entity: 'goal',
			field: 'proposedBy',
			id: goalId
		});
		nav.destroy();

		const nav2 = await connectSynced(node, plan.planDoc, navUser);
		proposeGoalTitle(nav2.doc, goalId, 'Fast budsjett hver måned', navUser.id);
		await waitFor(() => getGoal(patient.doc, goalId)?.proposal?.by === navUser.id, {
			what: "NAV's proposal at the patient"
		});
		// Clearing it is answering it (the patient's) or taking it back (NAV's): not the coordinator's.
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		closed = closeOf(coordinator);
		declineProposedTitle(coordinator.doc, goalId);
		expect(parseRefusal((await withTimeout(closed, 5000, 'refusal')).reason)?.detail).toEqual({
			entity: 'goal',
			field: 'proposedTitle',
			id: goalId
		});
		expect(getGoal(patient.doc, goalId)?.proposal?.title).toBe('Fast budsjett hver måned');
		coordinator.destroy();
		declineProposedTitle(nav2.doc, goalId);
		await waitFor(() => getGoal(patient.doc, goalId)?.proposal === null, { what: "NAV's withdrawal at the patient" });

		proposeGoalTitle(nav2.doc, goalId, 'Budsjett for mat', navUser.id);
		await waitFor(() => getGoal(patient.doc, goalId)?.proposal?.title === 'Budsjett for mat', {
			what: 'the second proposal at the patient'
		});
		declineProposedTitle(patient.doc, goalId);
		await waitFor(() => getGoal(nav2.doc, goalId)?.proposal === null, { what: 'the decline at NAV' });
		expect(getGoal(nav2.doc, goalId)?.title).toBe('Penger til mat hele måneden');
		expect(nav2.provider.wsconnected).toBe(true);
	});

	it('the old own-goals list in the voice is refused as any unknown root', async () => {
		const { db, plan, node } = await setup();
		const patient = await connectSynced(node, plan.voiceDoc, plan.patient);
		const stored = await countUpdates(db, plan.voiceDoc);
		const closed = closeOf(patient);
		patient.doc.transact(() => {
			const entry = new Y.Map<unknown>();
			patient.doc.getMap(RETIRED_ROOT.ownGoals).set('old', entry);
			entry.set('text', 'Egen leilighet');
			entry.set('order', 'a0');
		});
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		expect(parseRefusal(reason)?.reason).toBe('unknown-root');
		await node.collab.flush();
		expect(await countUpdates(db, plan.voiceDoc)).toBe(stored);
	});
});
