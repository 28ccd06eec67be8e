import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PgDocStore, type DocStore } from '../../../src/lib/server/collab';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from './fixtures';
import {
	cleanup,
	connectSynced,
	countUpdates,
	sleep,
	snapshotRow,
	startNode,
	storedDoc,
	storedUpdates,
	waitFor
} from './harness';

const contains = (haystack: Uint8Array, needle: string) => Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'));

describe.each(engines)('collab persistence (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('keeps everything across a graceful restart', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		// A slow disk: the edits are still queued when the server is asked to stop, so stop() must store them.
		const store = new PgDocStore(db);
		const slowStore: DocStore = {
			load: (n) => store.load(n),
			loadSince: (n, id) => store.loadSince(n, id),
			append: async (n, entries) => {
				await sleep(300);
				return store.append(n, entries);
			},
			saveSnapshot: (n, st, id) => store.saveSnapshot(n, st, id)
		};
		const first = await startNode(db, { store: slowStore, idleUnloadMs: 60_000 });
		const writer = await connectSynced(first, plan.planDoc, plan.coordinator);
		writer.doc.getMap('plan').set('title', 'Før omstart');
		writer.doc.getText('notes').insert(0, 'Skrevet før omstart');
		await sleep(50); // the edits reach the server
		expect(await countUpdates(db, plan.planDoc)).toBe(0);
		writer.destroy();
		await first.stop();
		expect(await countUpdates(db, plan.planDoc)).toBe(2);

		const second = await startNode(db);
		const reader = await connectSynced(second, plan.planDoc, plan.patient);
		expect(reader.doc.getMap('plan').get('title')).toBe('Før omstart');
		expect(reader.doc.getText('notes').toString()).toBe('Skrevet før omstart');
	});

	it('keeps every stored update across a crash (no graceful flush)', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const first = await startNode(db, { idleUnloadMs: 60_000 });
		const writer = await connectSynced(first, plan.planDoc, plan.coordinator);
		writer.doc.getMap('plan').set('title', 'Før krasj');
		await waitFor(async () => (await countUpdates(db, plan.planDoc)) === 1, { what: 'update stored' });
		await first.stop({ flush: false });
		expect(await snapshotRow(db, plan.planDoc)).toBeNull();

		const second = await startNode(db);
		const reader = await connectSynced(second, plan.planDoc, plan.patient);
		expect(reader.doc.getMap('plan').get('title')).toBe('Før krasj');
		writer.destroy();
		await second.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(1);
	});

	it('compacts by re-encoding a Y.Doc past the threshold and at unload; a reopen is identical', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const threshold = 20;
		const node = await startNode(db, { compactThreshold: threshold, idleUnloadMs: 100 });
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const text = writer.doc.getText('notes');
		text.insert(0, 'SECRET-DELETED');
		for (let i = 0; i < 30; i++) {
			text.insert(text.length, `linje ${i}\n`);
			await sleep(1);
		}
		text.delete(0, 'SECRET-DELETED'.length);
		writer.doc.getMap('plan').set('title', 'Komprimert');
		const expected = { notes: text.toString(), title: 'Komprimert' };

		// Past the threshold a snapshot appears while the document is still open.
		const early = await waitFor(() => snapshotRow(db, plan.planDoc), { what: 'threshold snapshot' });
		expect(early.throughId).toBeGreaterThan(threshold);

		writer.destroy();
		await waitFor(() => node.collab.stats().docs === 0, { what: 'unload' });
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows.length).toBe(33);
		const snap = await snapshotRow(db, plan.planDoc);
		expect(snap).not.toBeNull();
		expect(snap!.throughId).toBe(rows[rows.length - 1].id);

		// Re-encoded through a Y.Doc: deleted text is garbage-collected, which merging the updates would keep.
		expect(contains(snap!.state, 'SECRET-DELETED')).toBe(false);
		expect(contains(Y.mergeUpdates(rows.map((r) => r.update)), 'SECRET-DELETED')).toBe(true);
		const fromUpdates = new Y.Doc();
		for (const r of rows) Y.applyUpdate(fromUpdates, r.update);
		const fromSnapshot = new Y.Doc();
		Y.applyUpdate(fromSnapshot, snap!.state);
		expect(fromSnapshot.getText('notes').toString()).toBe(expected.notes);
		expect(fromSnapshot.getMap('plan').toJSON()).toEqual(fromUpdates.getMap('plan').toJSON());
		expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(fromUpdates));

		// A cold open (snapshot, empty tail) gives the same content.
		const reader = await connectSynced(node, plan.planDoc, plan.patient);
		expect(reader.doc.getText('notes').toString()).toBe(expected.notes);
		expect(reader.doc.getMap('plan').get('title')).toBe(expected.title);
		const stored = await storedDoc(db, plan.planDoc);
		expect(stored.getText('notes').toString()).toBe(expected.notes);
	});

	it('on a cold open with a long stored tail, saves the loaded state as the snapshot without re-reading it', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 50; i++) source.getText('notes').insert(source.getText('notes').length, `${i};`);
		const store = new PgDocStore(db);
		const lastId = await store.append(plan.planDoc, updates.map((update) => ({ update, userId: plan.coordinator.id })));
		let reads = 0;
		const counting: DocStore = {
			load: (n) => (reads++, store.load(n)),
			loadSince: (n, id) => store.loadSince(n, id),
			append: (n, entries) => store.append(n, entries),
			saveSnapshot: (n, st, id) => store.saveSnapshot(n, st, id)
		};

		const node = await startNode(db, { compactThreshold: 20, store: counting });
		const client = await connectSynced(node, plan.planDoc, plan.patient);
		expect(client.doc.getText('notes').toString()).toBe(source.getText('notes').toString());
		const snap = await waitFor(() => snapshotRow(db, plan.planDoc), { what: 'snapshot from the load' });
		expect(snap.throughId).toBe(lastId);
		const fromSnapshot = new Y.Doc();
		Y.applyUpdate(fromSnapshot, snap.state);
		expect(fromSnapshot.getText('notes').toString()).toBe(source.getText('notes').toString());
		expect(reads).toBe(1); // the compaction did not read the document a second time
	});

	it('unloads an idle document after its last client leaves, not before', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db, { idleUnloadMs: 150 });
		const a = await connectSynced(node, plan.planDoc, plan.coordinator);
		const b = await connectSynced(node, plan.planDoc, plan.patient);
		expect(node.collab.stats()).toEqual({ docs: 1, connections: 2 });
		a.destroy();
		await waitFor(() => node.collab.stats().connections === 1, { what: 'first client gone' });
		await sleep(300);
		expect(node.collab.stats().docs).toBe(1);
		b.doc.getMap('plan').set('last', 'word');
		b.destroy();
		await waitFor(() => node.collab.stats().docs === 0, { what: 'unload', timeout: 3000 });
		expect(node.collab.stats().connections).toBe(0);
		// What was queued at unload is stored.
		expect(await countUpdates(db, plan.planDoc)).toBe(1);
		// And it comes back on the next open.
		const c = await connectSynced(node, plan.planDoc, plan.reader);
		expect(c.doc.getMap('plan').get('last')).toBe('word');
		expect(node.collab.stats().docs).toBe(1);
	});
});
