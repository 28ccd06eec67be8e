import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eq } from 'drizzle-orm';
import {
	addGoal,
	addOwnResource,
	listGoals,
	listOwnResources,
	planDocName,
	renderVoice,
	RETIRED_ROOT,
	voiceDocName
} from '../../../src/lib/plan';
import { PgDocStore, applyStoredDoc } from '../../../src/lib/server/collab/doc-store';
import { runDataMigrations } from '../../../src/lib/server/db/data-migrations';
import { mergeOwnGoals } from '../../../src/lib/server/db/data-migrations/merge-own-goals';
import { dataMigrations, docUpdates, plans } from '../../../src/lib/server/db/schema';
import { engines, useTestDatabase } from '../../helpers/services';
import { createUser, testId } from '../collab/fixtures';

async function stored(db: Parameters<typeof mergeOwnGoals>[0], name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	applyStoredDoc(doc, await new PgDocStore(db).load(name));
	return doc;
}

/** An own goal as the voice document held it before the patient's goals joined the plan's. */
function oldOwnGoal(doc: Y.Doc, id: string, text: string, order: string): void {
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		doc.getMap(RETIRED_ROOT.ownGoals).set(id, entry);
		entry.set('text', text);
		entry.set('order', order);
	});
}

describe.each(engines)("the patient's own goals become goals of the plan (%s)", (engine) => {
	const testDb = useTestDatabase(engine);

	it('moves each stored own goal into the plan, expressed and created by the patient, loses nothing, and runs once', async () => {
		const { db } = testDb();
		const patient = await createUser(db, { name: 'Pasient', kind: 'patient' });
		const coordinator = await createUser(db, { name: 'Koordinator' });
		const planId = testId();
		await db
			.insert(plans)
			.values({ id: planId, patientId: patient.id, title: 'Gammel plan', createdBy: coordinator.id });
		const store = new PgDocStore(db);

		// The voice as the patient wrote it, update by update; one own goal already is a goal of the plan.
		const voice = new Y.Doc();
		const voiceUpdates: Uint8Array[] = [];
		voice.on('update', (u: Uint8Array) => voiceUpdates.push(u));
		oldOwnGoal(voice, 'own1', 'Ha penger til mat hele måneden', 'a2');
		oldOwnGoal(voice, 'own2', 'Besøke søsteren min hver søndag', 'a1');
		oldOwnGoal(voice, 'own3', 'flytte til egen leilighet ', 'a3');
		addOwnResource(voice, { text: 'Jeg liker å gå turer' });
		await store.append(
			voiceDocName(planId),
			voiceUpdates.map((update) => ({ update, userId: patient.id }))
		);
		const plan = new Y.Doc();
		const planUpdates: Uint8Array[] = [];
		plan.on('update', (u: Uint8Array) => planUpdates.push(u));
		addGoal(plan, {
			lifeArea: 'housing',
			title: 'Flytte til egen leilighet',
			expressedBy: 'patient',
			status: 'active',
			createdBy: patient.id
		});
		addGoal(plan, {
			lifeArea: 'physical_health',
			title: 'Sove bedre',
			expressedBy: 'staff',
			createdBy: coordinator.id
		});
		await store.append(
			planDocName(planId),
			planUpdates.map((update) => ({ update, userId: coordinator.id }))
		);
		const rowsBefore = await db
			.select({ id: docUpdates.id })
			.from(docUpdates)
			.where(eq(docUpdates.docName, voiceDocName(planId)));

		expect(await mergeOwnGoals(db)).toBe(1);

		const goals = listGoals(await stored(db, planDocName(planId)));
		const theirs = goals.filter((g) => g.expressedBy === 'patient');
		// In the order the patient had them; the one already in the plan is not doubled.
		expect(theirs.map((g) => g.title)).toEqual([
			'Flytte til egen leilighet',
			'Besøke søsteren min hver søndag',
			'Ha penger til mat hele måneden'
		]);
		// The same ids as in the old list; in the patient's name.
		expect(theirs.slice(1).map((g) => g.id)).toEqual(['own2', 'own1']);
		for (const g of theirs.slice(1))
			expect(g).toMatchObject({ createdBy: patient.id, status: 'proposed', proposal: null });
		expect(goals.find((g) => g.title === 'Sove bedre')?.expressedBy).toBe('staff');

		// Gone from the voice; the rest of the voice is untouched.
		const voiceAfter = await stored(db, voiceDocName(planId));
		expect(voiceAfter.getMap(RETIRED_ROOT.ownGoals).size).toBe(0);
		expect(listOwnResources(voiceAfter).map((r) => r.text)).toEqual(['Jeg liker å gå turer']);
		expect(Object.keys(renderVoice(voiceAfter))).not.toContain('ownGoals');
		// Every earlier update is still there (the attribution history), plus the one emptying the list.
		const rowsAfter = await db
			.select({ id: docUpdates.id, userId: docUpdates.userId })
			.from(docUpdates)
			.where(eq(docUpdates.docName, voiceDocName(planId)));
		expect(rowsAfter.length).toBe(rowsBefore.length + 1);
		expect(rowsAfter.slice(0, rowsBefore.length).every((r) => r.userId === patient.id)).toBe(true);

		// A second run finds nothing to move, and doubles nothing.
		expect(await mergeOwnGoals(db)).toBe(0);
		expect(listGoals(await stored(db, planDocName(planId)))).toHaveLength(goals.length);
	});

	it('runs at start, once: a database opened again does not run it again', async () => {
		const { db } = testDb();
		const names = (await db.select().from(dataMigrations)).map((r) => r.name);
		expect(names).toContain('2026-11-merge-own-goals');
		expect(await runDataMigrations(db)).toEqual([]);
	});
});
