/**
 * Projections of goals and measures, fed by the sync server: an edit through a stock y-websocket client reaches
 * the SQL rows within 5 seconds, the rows equal a rebuild from storage, and projecting again is a no-op.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { createSession } from '../../../src/lib/server/auth/session';
import type { Db } from '../../../src/lib/server/db';
import { projectedGoals, projectedMeasures, projectionState } from '../../../src/lib/server/db/schema';
import { addGoal, addMeasure, listAllMeasures, planDocName, removeMeasure, updateMeasure } from '../../../src/lib/plan';
import {
	projectDocument,
	Projector,
	projectStale,
	readPlanRows,
	rebuildProjections
} from '../../../src/lib/server/projections';
import { cleanup, connectSynced, silentLog, startNode, waitFor } from '../collab/harness';
import type { TestUser } from '../collab/fixtures';

async function sessionFor(db: Db, userId: string, name: string): Promise<TestUser> {
	const { token } = await createSession(db, userId);
	return { id: userId, name, token, cookie: `session=${token}` };
}

/** Every projected row in a stable order (`updatedAt`: when its content last changed, so a rebuild keeps it). */
async function projected(db: Db) {
	const goals = await db.select().from(projectedGoals).orderBy(asc(projectedGoals.planId), asc(projectedGoals.goalId));
	const measures = await db
		.select()
		.from(projectedMeasures)
		.orderBy(asc(projectedMeasures.planId), asc(projectedMeasures.measureId));
	const states = await db
		.select({ docName: projectionState.docName, throughId: projectionState.throughId })
		.from(projectionState)
		.orderBy(asc(projectionState.docName));
	return {
		goals,
		measures,
		states
	};
}

describe.each(engines)('projections on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let projector: Projector;

	beforeAll(async () => {
		demo = await seedDemo(db());
		projector = new Projector({ db: db(), log: silentLog, delayMs: 200 });
		// The seed writes stored updates directly: the start-up catch-up projects both demo plans.
		expect(await projector.catchUp()).toBe(2);
	});
	afterEach(cleanup);

	it('an edit through the sync server is projected within 5 s, and the live projection equals a rebuild', async () => {
		const node = await startNode(db(), { onStored: (name) => projector.notify(name) });
		const coordinator = await sessionFor(db(), demo.userIds.coordinator, 'Ingrid');
		const docName = planDocName(demo.planId);
		const client = await connectSynced(node, docName, coordinator);

		const goalId = addGoal(client.doc, {
			lifeArea: 'leisure',
			title: 'Begynne å svømme igjen',
			expressedBy: 'patient'
		});
		const measureId = addMeasure(client.doc, {
			goalId,
			title: 'Søke om fritidskort',
			serviceId: demo.serviceIds.nav,
			personId: demo.userIds.nav,
			dueDate: '2027-01-10'
		});
		const started = Date.now();
		const row = await waitFor(
			async () => (await db().select().from(projectedMeasures).where(eq(projectedMeasures.measureId, measureId)))[0],
			{ timeout: 5000, what: 'the new measure in projected_measures' }
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(row).toMatchObject({
			planId: demo.planId,
			goalId,
			title: 'Søke om fritidskort',
			serviceId: demo.serviceIds.nav,
			personId: demo.userIds.nav,
			status: 'requested',
			dueDate: '2027-01-10'
		});

		// A change and a removal follow the same way.
		const declined = listAllMeasures(client.doc).find((m) => m.status === 'rejected')!;
		updateMeasure(client.doc, measureId, { title: 'Fritidskort for et år' });
		// Accepting is NAV's answer, written by the server as its measure actions do (the gate refuses it from a client).
		await node.collab.applyServerChange(
			docName,
			(doc) => updateMeasure(doc, measureId, { status: 'accepted' }),
			demo.userIds.nav
		);
		removeMeasure(client.doc, declined.id);
		await waitFor(
			async () => {
				const [m] = await db().select().from(projectedMeasures).where(eq(projectedMeasures.measureId, measureId));
				const gone =
					(await db().select().from(projectedMeasures).where(eq(projectedMeasures.measureId, declined.id))).length ===
					0;
				return m?.status === 'accepted' && m.title === 'Fritidskort for et år' && gone;
			},
			{ what: 'the change and the removal projected' }
		);
		await node.collab.flush();
		await projector.idle();

		// The projection says what the document says, measure for measure; untouched rows kept their time.
		const live = await projected(db());
		const seededAt = live.measures.find((m) => m.planId === demo.secondPlanId)!.updatedAt;
		expect(live.measures.find((m) => m.measureId === measureId)!.updatedAt.getTime()).toBeGreaterThan(
			seededAt.getTime()
		);
		const fromDoc = readPlanRows(client.doc)
			.measures.map((m) => m.measureId)
			.sort();
		expect(
			live.measures
				.filter((m) => m.planId === demo.planId)
				.map((m) => m.measureId)
				.sort()
		).toEqual(fromDoc);

		const totals = await rebuildProjections(db());
		expect(totals.documents).toBe(2);
		expect(await projected(db())).toEqual(live);
	});

	it('projecting a version already projected writes nothing; rows of a plan without a document go on rebuild', async () => {
		const docName = planDocName(demo.secondPlanId);
		const [before] = await db().select().from(projectionState).where(eq(projectionState.docName, docName));
		const rowsBefore = await projected(db());
		expect(await projectDocument(db(), docName)).toEqual({ kind: 'current', throughId: before.throughId });
		const [after] = await db().select().from(projectionState).where(eq(projectionState.docName, docName));
		expect(after.projectedAt).toEqual(before.projectedAt);
		expect(await projected(db())).toEqual(rowsBefore);
		// Forced (the rebuild) it writes the same rows again.
		expect(await projectDocument(db(), docName, { force: true })).toMatchObject({
			kind: 'projected',
			throughId: before.throughId,
			goals: 4,
			measures: 5
		});
		expect(await projected(db())).toEqual(rowsBefore);
		// Not a plan document: nothing to do.
		expect(await projectDocument(db(), `voice:${demo.planId}`)).toEqual({ kind: 'skipped' });

		await db().insert(projectedMeasures).values({
			planId: 'nosuchplan',
			measureId: 'x',
			goalId: 'y',
			title: 'stale',
			status: 'requested',
			updatedAt: new Date()
		});
		await rebuildProjections(db());
		expect(await projected(db())).toEqual(rowsBefore);
	});

	it('a failing onStored listener never fails the edit: it is stored and reaches the others', async () => {
		let told = 0;
		const node = await startNode(db(), {
			onStored: () => {
				told++;
				throw new Error('listener broke');
			}
		});
		const docName = planDocName(demo.secondPlanId);
		const a = await connectSynced(node, docName, await sessionFor(db(), demo.userIds.coordinator, 'Ingrid'));
		const b = await connectSynced(node, docName, await sessionFor(db(), demo.userIds.nav, 'Ahmed'));
		addGoal(a.doc, { lifeArea: 'leisure', title: 'Gå tur hver dag', expressedBy: 'patient' });
		await waitFor(() => readPlanRows(b.doc).goals.some((g) => g.title === 'Gå tur hver dag'), {
			what: 'the goal at the other client'
		});
		expect(told).toBeGreaterThan(0);
		// Nothing projected it (this node's listener is broken): the start-up catch-up finds it stale.
		expect(await projectStale(db())).toBe(1);
	});

	it('a document edited without pause is still projected while the edits go on (the wait is not pushed back)', async () => {
		const busy = new Projector({ db: db(), log: silentLog, delayMs: 500 });
		const node = await startNode(db(), { onStored: (name) => busy.notify(name) });
		const docName = planDocName(demo.secondPlanId);
		const client = await connectSynced(node, docName, await sessionFor(db(), demo.userIds.coordinator, 'Ingrid'));
		const [goal] = readPlanRows(client.doc).goals;
		const measureId = addMeasure(client.doc, {
			goalId: goal.goalId,
			title: 'Endres hele tiden',
			serviceId: demo.serviceIds.nav
		});
		const seen = new Set<string>();
		const until = Date.now() + 2500;
		for (let i = 0; Date.now() < until; i++) {
			updateMeasure(client.doc, measureId, { title: `Endres hele tiden ${i}` });
			const [row] = await db()
				.select({ title: projectedMeasures.title })
				.from(projectedMeasures)
				.where(eq(projectedMeasures.measureId, measureId));
			if (row) seen.add(row.title);
			await new Promise((r) => setTimeout(r, 100));
		}
		// Edits every 100 ms for 2.5 s: a debounce that restarted on every change would have projected none of them yet.
		expect(seen.size).toBeGreaterThanOrEqual(2);
		await node.collab.flush();
		await busy.close();
	});
});
