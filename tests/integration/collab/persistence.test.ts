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
import { deleteText, getMark, readText, setMark, typeText } from './plan-edits';

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
		setMark(writer.doc, 'title', 'Før omstart');
		typeText(writer.doc, 'Skrevet før omstart');
		await sleep(50); // the edits reach the server
		expect(await countUpdates(db, plan.planDoc)).toBe(0);
		writer.destroy();
		await first.stop();
		expect(await countUpdates(db, plan.planDoc)).toBe(2);

		const second = await startNode(db);
		const reader = await connectSynced(second, plan.planDoc, plan.patient);
		expect(getMark(reader.doc, 'title')).toBe('Før omstart');
		expect(readText(reader.doc)).toBe('Skrevet før omstart');
	});

	it('keeps every stored update across a crash (no graceful flush)', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const first = await startNode(db, { idleUnloadMs: 60_000 });
		const writer = await connectSynced(first, plan.planDoc, plan.coordinator);
		setMark(writer.doc, 'title', 'Før krasj');
		await waitFor(async () => (await countUpdates(db, plan.planDoc)) === 1, { what: 'update stored' });
		await first.stop({ flush: false });
		expect(await snapshotRow(db, plan.planDoc)).toBeNull();

		const second = await startNode(db);
		const reader = await connectSynced(second, plan.planDoc, plan.patient);
		expect(getMark(reader.doc, 'title')).toBe('Før krasj');
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
		typeText(writer.doc, 'SECRET-DELETED');
		for (let i = 0; i < 30; i++) {
			typeText(writer.doc, `linje ${i}\n`);
			await sleep(1);
		}
		deleteText(writer.doc, 0, 'SECRET-DELETED'.length);
		setMark(writer.doc, 'title', 'Komprimert');
		const expected = { notes: readText(writer.doc), title: 'Komprimert' };

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
		expect(readText(fromSnapshot)).toBe(expected.notes);
		expect(getMark(fromSnapshot, 'title')).toBe(getMark(fromUpdates, 'title'));
		expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(fromUpdates));

		// A cold open (snapshot, empty tail) gives the same content.
		const reader = await connectSynced(node, plan.planDoc, plan.patient);
		expect(readText(reader.doc)).toBe(expected.notes);
		expect(getMark(reader.doc, 'title')).toBe(expected.title);
		const stored = await storedDoc(db, plan.planDoc);
		expect(readText(stored)).toBe(expected.notes);
	});

	it('on a cold open with a long stored tail, saves the loaded state as the snapshot without re-reading it', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 50; i++) typeText(source, `${i};`);
		const store = new PgDocStore(db);
		const lastId = await store.append(
			plan.planDoc,
			updates.map((update) => ({ update, userId: plan.coordinator.id }))
		);
		let reads = 0;
		const counting: DocStore = {
			load: (n) => (reads++, store.load(n)),
			loadSince: (n, id) => store.loadSince(n, id),
			append: (n, entries) => store.append(n, entries),
			saveSnapshot: (n, st, id) => store.saveSnapshot(n, st, id)
		};

		const node = await startNode(db, { compactThreshold: 20, store: counting });
		const client = await connectSynced(node, plan.planDoc, plan.patient);
		expect(readText(client.doc)).toBe(readText(source));
		const snap = await waitFor(() => snapshotRow(db, plan.planDoc), { what: 'snapshot from the load' });
		expect(snap.throughId).toBe(lastId);
		const fromSnapshot = new Y.Doc();
		Y.applyUpdate(fromSnapshot, snap.state);
		expect(readText(fromSnapshot)).toBe(readText(source));
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
		setMark(b.doc, 'last', 'word');
		b.destroy();
		await waitFor(() => node.collab.stats().docs === 0, { what: 'unload', timeout: 3000 });
		expect(node.collab.stats().connections).toBe(0);
		// What was queued at unload is stored.
		expect(await countUpdates(db, plan.planDoc)).toBe(1);
		// And it comes back on the next open.
		const c = await connectSynced(node, plan.planDoc, plan.reader);
		expect(getMark(c.doc, 'last')).toBe('word');
		expect(node.collab.stats().docs).toBe(1);
	});
});
