import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PgDocStore, type DocStore } from '../../../src/lib/server/collab';
import { openDatabase, type Database } from '../../../src/lib/server/db';
import {
	createTestDatabase,
	postgresAvailable,
	REDIS_URL,
	redisAvailable,
	type TestDatabase
} from '../../helpers/services';
import { createPlan, testId } from './fixtures';
import { cleanup, connectSynced, countUpdates, sleep, startNode, storedUpdates, waitFor, withTimeout } from './harness';
import { getMark, readText, setMark, typeText } from './plan-edits';

const gates: Array<() => void> = [];

/** A store whose appends wait until `open()`, and that notes when each append was done. */
function gatedStore(inner: DocStore) {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	gates.push(release);
	const storedAt: number[] = [];
	const store: DocStore = {
		load: (n) => inner.load(n),
		loadSince: (n, id) => inner.loadSince(n, id),
		append: async (n, entries) => {
			await gate;
			const id = await inner.append(n, entries);
			storedAt.push(performance.now());
			return id;
		},
		saveSnapshot: (n, s, id) => inner.saveSnapshot(n, s, id)
	};
	return { store, storedAt, open: () => release() };
}

describe.skipIf(!(redisAvailable && postgresAvailable))('collab across nodes (PostgreSQL + Redis)', () => {
	let database: TestDatabase;
	let second: Database;
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		second = await openDatabase({ url: database.url!, dataDir: '' });
	});
	afterAll(async () => {
		await second?.close();
		await database?.drop();
	});
	afterEach(async () => {
		for (const open of gates.splice(0)) open();
		await cleanup();
	});

	const nodePair = async (optsA: Parameters<typeof startNode>[1] = {}) => {
		const prefix = testId();
		const a = await startNode(database.db, { redisUrl: REDIS_URL, nodeId: `a-${prefix}`, ...optsA });
		const b = await startNode(second.db, { redisUrl: REDIS_URL, nodeId: `b-${prefix}` });
		return { a, b };
	};

	it('clients on different nodes see each other’s edits and presence; each update is stored once', async () => {
		const plan = await createPlan(database.db);
		const { a, b } = await nodePair();
		const onA = await connectSynced(a, plan.planDoc, plan.coordinator);
		onA.provider.awareness.setLocalStateField('cursor', 5);
		await sleep(50);
		const onB = await connectSynced(b, plan.planDoc, plan.patient);

		// Presence set before B's node had the document reaches B (awareness query on load).
		const seen = await waitFor(() => onB.provider.awareness.getStates().get(onA.doc.clientID), {
			what: 'A presence at B'
		});
		expect(seen.user).toMatchObject({ id: plan.coordinator.id, name: 'Koordinator Kari' });
		onB.provider.awareness.setLocalStateField('cursor', 8);
		await waitFor(() => onA.provider.awareness.getStates().get(onB.doc.clientID)?.cursor === 8, {
			what: 'B presence at A'
		});

		setMark(onA.doc, 'fromA', 'skrevet på node A');
		await waitFor(() => getMark(onB.doc, 'fromA') === 'skrevet på node A', { what: 'A edit at B' });
		typeText(onB.doc, 'skrevet på node B');
		await waitFor(() => readText(onA.doc) === 'skrevet på node B', { what: 'B edit at A' });

		await Promise.all([a.collab.flush(), b.collab.flush()]);
		await sleep(100);
		const rows = await storedUpdates(database.db, plan.planDoc);
		expect(rows.map((r) => r.userId).sort()).toEqual([plan.coordinator.id, plan.patient.id].sort());

		// Leaving node A removes the presence on node B.
		onA.destroy();
		await waitFor(() => !onB.provider.awareness.getStates().has(onA.doc.clientID), { what: 'A presence removed at B' });
	});

	it('an update reaches another node only once it is stored (store before forward)', async () => {
		const plan = await createPlan(database.db);
		const gated = gatedStore(new PgDocStore(database.db));
		const { a, b } = await nodePair({ store: gated.store });
		const onA = await connectSynced(a, plan.planDoc, plan.coordinator);
		const onB = await connectSynced(b, plan.planDoc, plan.patient);
		let seenAtB = NaN;
		onB.doc.on('update', () => {
			if (Number.isNaN(seenAtB) && getMark(onB.doc, 'unstored')) seenAtB = performance.now();
		});
		setMark(onA.doc, 'unstored', 'bare i minnet på node A');
		await sleep(200);
		expect(await countUpdates(database.db, plan.planDoc)).toBe(0);
		expect(getMark(onB.doc, 'unstored')).toBeUndefined();

		gated.open();
		await waitFor(() => getMark(onB.doc, 'unstored') === 'bare i minnet på node A', { what: 'the stored update at B' });
		expect(seenAtB).toBeGreaterThanOrEqual(gated.storedAt[0]);
		await Promise.all([a.collab.flush(), b.collab.flush()]);
		await sleep(100);
		const rows = await storedUpdates(database.db, plan.planDoc);
		expect(rows).toHaveLength(1);
		expect(rows[0].userId).toBe(plan.coordinator.id);
	});

	it('a session ended on one node (logout, password changed) closes its sockets on every node (4401)', async () => {
		const plan = await createPlan(database.db);
		const { a, b } = await nodePair();
		const onB = await connectSynced(b, plan.planDoc, plan.coordinator);
		const otherOnB = await connectSynced(b, plan.planDoc, plan.patient);
		// Logout is handled by whichever node took the request: here A, which holds none of the sockets.
		expect(a.collab.endSession(plan.coordinator.token.split('.')[0])).toBe(0);
		expect(await withTimeout(onB.closed, 2000, 'the session socket on node B closing')).toBe(4401);
		await sleep(100);
		expect(otherOnB.provider.wsconnected).toBe(true);
	});

	it('re-reads the stored tail shortly after a load, for a write whose broadcast it missed', async () => {
		const plan = await createPlan(database.db);
		const prefix = testId();
		const node = await startNode(database.db, { redisUrl: REDIS_URL, nodeId: `c-${prefix}`, catchUpDelayMs: 300 });
		const client = await connectSynced(node, plan.planDoc, plan.patient);
		// Another node stored this after our load read, and its broadcast never reached us.
		const other = new Y.Doc();
		setMark(other, 'missed', 'lagret av en annen node');
		await new PgDocStore(second.db).append(plan.planDoc, [
			{ update: Y.encodeStateAsUpdate(other), userId: plan.coordinator.id }
		]);
		await waitFor(() => getMark(client.doc, 'missed') === 'lagret av en annen node', {
			what: 'catch-up',
			timeout: 3000
		});
		await node.collab.flush();
		expect(await countUpdates(database.db, plan.planDoc)).toBe(1);
	});
});
