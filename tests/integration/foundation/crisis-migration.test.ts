import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eq } from 'drizzle-orm';
import { crisisDocName, planDocName, readCrisisPlan, renderCrisisPlan, renderGoals } from '../../../src/lib/plan';
import { PgDocStore, applyStoredDoc } from '../../../src/lib/server/collab/doc-store';
import { runDataMigrations } from '../../../src/lib/server/db/data-migrations';
import { splitCrisisPlan } from '../../../src/lib/server/db/data-migrations/split-crisis-plan';
import { dataMigrations, docUpdates, plans } from '../../../src/lib/server/db/schema';
import { fillDemoPlan } from '../../../src/lib/server/seed/demo-plan';
import { engines, useTestDatabase } from '../../helpers/services';
import { createUser, testId } from '../collab/fixtures';

async function stored(db: Parameters<typeof splitCrisisPlan>[0], name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	applyStoredDoc(doc, await new PgDocStore(db).load(name));
	return doc;
}

describe.each(engines)('the crisis plan moves into its own document (%s)', (engine) => {
	const testDb = useTestDatabase(engine);

	it('copies a plan kept in the old layout, loses nothing, keeps every old update, and runs once', async () => {
		const { db } = testDb();
		const coordinator = await createUser(db, { name: 'Koordinator' });
		const planId = testId();
		await db
			.insert(plans)
			.values({ id: planId, patientId: coordinator.id, title: 'Gammel plan', createdBy: coordinator.id });
		// The demo plan as it was stored before the split: the crisis plan inside `plan:<id>`, edited a few times.
		const old = new Y.Doc();
		const updates: Uint8Array[] = [];
		old.on('update', (u: Uint8Array) => updates.push(u));
		const refs = {
			services: { nav: 's1', housing: 's2', gp: 's3', dps: 's4', mental_health: 's5', act: 's6' },
			people: { coordinator: 'u1', nav: 'u2', gp: 'u3', dps: 'u4', housing: 'u5', patient: 'u6', sister: 'u7' }
		};
		fillDemoPlan({ plan: old, crisis: old, voice: new Y.Doc() }, refs);
		const store = new PgDocStore(db);
		await store.append(
			planDocName(planId),
			updates.map((update) => ({ update, userId: coordinator.id }))
		);
		const before = { crisis: renderCrisisPlan(old), goals: renderGoals(old) };
		const rowsBefore = await db
			.select({ id: docUpdates.id })
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(planId)));

		expect(await splitCrisisPlan(db)).toBe(1);

		const crisis = await stored(db, crisisDocName(planId));
		const plan = await stored(db, planDocName(planId));
		expect(renderCrisisPlan(crisis)).toEqual(before.crisis);
		expect(renderGoals(plan)).toEqual(before.goals);
		// Gone from the goals document, so consent to goals and measures no longer shows the crisis plan.
		expect(readCrisisPlan(plan)).toEqual({
			warningSigns: [],
			whatHelps: expect.anything(),
			wishes: expect.anything(),
			contacts: [],
			openReturn: null
		});
		expect(renderCrisisPlan(plan).warningSigns).toEqual([]);
		// Every earlier update is still there (the attribution history), plus the one removing the crisis plan.
		const rowsAfter = await db
			.select({ id: docUpdates.id, userId: docUpdates.userId })
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(planId)));
		expect(rowsAfter.length).toBe(rowsBefore.length + 1);
		expect(rowsAfter.slice(0, rowsBefore.length).every((r) => r.userId === coordinator.id)).toBe(true);

		// A second run finds nothing to move.
		expect(await splitCrisisPlan(db)).toBe(0);
		expect(renderCrisisPlan(await stored(db, crisisDocName(planId)))).toEqual(before.crisis);
	});

	it('runs at start, once: a database opened again does not run it again', async () => {
		const { db } = testDb();
		const names = (await db.select().from(dataMigrations)).map((r) => r.name);
		expect(names).toContain('2026-11-split-crisis-plan');
		expect(await runDataMigrations(db)).toEqual([]);
	});
});
