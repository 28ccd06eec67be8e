import { describe, expect, it } from 'vitest';
import { PgDocStore } from '../../../src/lib/server/collab';
import { crisisPlanChangedAt } from '../../../src/lib/server/plans/crisis-changed';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from '../collab/fixtures';

describe.each(engines)('when the crisis plan last changed (%s)', (engine) => {
	const testDb = useTestDatabase(engine);

	it("is the newest stored update of the crisis document, not of the plan's other documents", async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		expect(await crisisPlanChangedAt(db, plan.planId)).toBeNull();

		const store = new PgDocStore(db);
		const bytes = new Uint8Array([0, 0]);
		await store.append(`crisis:${plan.planId}`, [
			{ update: bytes, userId: plan.coordinator.id, at: new Date('2026-11-20T10:00:00Z') }
		]);
		await store.append(`crisis:${plan.planId}`, [
			{ update: bytes, userId: plan.patient.id, at: new Date('2026-11-21T18:30:00Z') }
		]);
		// A later change to the goals is not a change to the crisis plan.
		await store.append(plan.planDoc, [
			{ update: bytes, userId: plan.coordinator.id, at: new Date('2026-11-22T09:00:00Z') }
		]);

		expect((await crisisPlanChangedAt(db, plan.planId))?.toISOString()).toBe('2026-11-21T18:30:00.000Z');
	});
});
