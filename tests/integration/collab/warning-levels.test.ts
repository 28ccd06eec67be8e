/**
 * Issue 10, warning signs by level, on the real sync server (PGlite and PostgreSQL): a writer's level is stored,
 * delivered and rendered; a level the field schema does not know is refused (4422) and neither stored nor forwarded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addWarningSign, crisisDocName, listWarningSigns, ROOT, setWarningSignLevel } from '../../../src/lib/plan';
import { loadPlanContent } from '../../../src/lib/server/plans/content';
import { parseRefusal } from '../../../src/lib/sync/close-codes';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from './fixtures';
import { cleanup, connectSynced, countUpdates, startNode, waitFor, withTimeout, type TestClient } from './harness';

function closeOf(client: TestClient): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) =>
		client.provider.on('connection-close', (event) => {
			if (event) resolve({ code: event.code, reason: event.reason });
		})
	);
}

const levelAt = (doc: Y.Doc, id: string) => listWarningSigns(doc).find((w) => w.id === id)?.level;

describe.each(engines)('warning sign levels through the sync server (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('a writer’s level is stored, delivered to the others and rendered on the server', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const name = crisisDocName(plan.planId);
		const node = await startNode(db);
		const patient = await connectSynced(node, name, plan.patient);
		const coordinator = await connectSynced(node, name, plan.coordinator);
		const sign = addWarningSign(patient.doc, { text: 'Stemmene blir mer kritiske', level: 'acute' });
		const later = addWarningSign(patient.doc, { text: 'Sover dårlig' });
		await waitFor(() => levelAt(coordinator.doc, sign) === 'acute' && levelAt(coordinator.doc, later) === 'early', {
			what: 'the signs with their levels at the coordinator'
		});
		setWarningSignLevel(coordinator.doc, later, 'worse');
		await waitFor(() => levelAt(patient.doc, later) === 'worse', { what: 'the changed level at the patient' });
		expect(patient.provider.wsconnected).toBe(true);
		expect(coordinator.provider.wsconnected).toBe(true);

		await node.collab.flush();
		// From storage, on a node that never saw the document in memory.
		await node.stop();
		const again = await startNode(db);
		const content = await loadPlanContent(again.collab, plan.planId, ['crisis']);
		expect(content.crisisPlan!.warningSigns.map((w) => [w.text, w.level])).toEqual([
			['Stemmene blir mer kritiske', 'acute'],
			['Sover dårlig', 'worse']
		]);
	});

	it('an unknown level is refused with 4422 (invalid-value warningSign/level), not stored, not forwarded', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const name = crisisDocName(plan.planId);
		const node = await startNode(db);
		const patient = await connectSynced(node, name, plan.patient);
		const observer = await connectSynced(node, name, plan.coordinator);
		const sign = addWarningSign(patient.doc, { text: 'Trekker meg unna', level: 'worse' });
		await waitFor(() => levelAt(observer.doc, sign) === 'worse', { what: 'the sign at the observer' });
		await node.collab.flush();
		const stored = await countUpdates(db, name);

		// What the model never writes, but a client could: the gate's field schema is what stops it.
		const closed = closeOf(patient);
		(patient.doc.getMap(ROOT.warningSigns).get(sign) as Y.Map<unknown>).set('level', 'catastrophic');
		const { code, reason } = await withTimeout(closed, 5000, 'refusal');
		expect(code).toBe(4422);
		expect(parseRefusal(reason)).toEqual({
			reason: 'invalid-value',
			detail: { entity: 'warningSign', field: 'level', id: null }
		});

		// A later valid change from someone else arrives, and the refused value never did.
		setWarningSignLevel(observer.doc, sign, 'acute');
		const other = await connectSynced(node, name, plan.patient);
		await waitFor(() => levelAt(other.doc, sign) === 'acute', { what: 'the later valid level' });
		expect((observer.doc.getMap(ROOT.warningSigns).get(sign) as Y.Map<unknown>).get('level')).toBe('acute');
		await node.collab.flush();
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await node.collab.readDocState(name));
		expect((reloaded.getMap(ROOT.warningSigns).get(sign) as Y.Map<unknown>).get('level')).toBe('acute');
		// Exactly one more update stored: the valid one.
		expect(await countUpdates(db, name)).toBe(stored + 1);
	});
});
