import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from './fixtures';
import { cleanup, connectSynced, countUpdates, rawSocket, startNode, waitFor, withTimeout } from './harness';
import { deleteText, getMark, readText, setMark, typeText } from './plan-edits';

function syncStep2(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0); // sync
	encoding.writeVarUint(e, 1); // step 2
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

describe.each(engines)('collab robustness (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('closes an oversized message with 1009 and keeps serving the others', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const cap = 64 * 1024;
		const node = await startNode(db, { config: { collabMaxMessageBytes: cap } });
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const observer = await connectSynced(node, plan.planDoc, plan.patient);

		const big = rawSocket(node, plan.planDoc, plan.coordinator);
		await big.opened;
		const bigDoc = new Y.Doc();
		typeText(bigDoc, 'x'.repeat(cap + 1000));
		big.ws.send(syncStep2(Y.encodeStateAsUpdate(bigDoc)));
		expect(await withTimeout(big.closed, 5000, 'oversized close')).toBe(1009);

		setMark(writer.doc, 'after', 'still here');
		await waitFor(() => getMark(observer.doc, 'after') === 'still here', { what: 'sync after oversized' });
		expect(readText(observer.doc)).toBe('');
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(1);
	});

	it('closes only the sender of malformed bytes with 4400; the document and other clients carry on', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const observer = await connectSynced(node, plan.planDoc, plan.patient);
		setMark(writer.doc, 'before', '1');
		await waitFor(() => getMark(observer.doc, 'before') === '1', { what: 'first write' });

		// Random garbage: an unknown message type.
		const garbage = rawSocket(node, plan.planDoc, plan.coordinator);
		await garbage.opened;
		garbage.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x42, 0x13]));
		// A text frame.
		const text = rawSocket(node, plan.planDoc, plan.coordinator);
		await text.opened;
		text.ws.send('hello');
		// A sync step 2 whose update is cut short in its delete set: valid framing, readable structs, corrupt
		// tail. `Y.applyUpdate` alone would integrate the structs before failing; it must not get that far.
		const corrupt = rawSocket(node, plan.planDoc, plan.coordinator);
		await corrupt.opened;
		const source = new Y.Doc();
		typeText(source, 'this update is about to be truncated');
		deleteText(source, 0, 5);
		const update = Y.encodeStateAsUpdate(source);
		corrupt.ws.send(syncStep2(update.slice(0, update.length - 1)));
		// A sync message with a length prefix beyond its end.
		const truncated = rawSocket(node, plan.planDoc, plan.coordinator);
		await truncated.opened;
		truncated.ws.send(Buffer.from([0, 2, 200, 1, 1, 2, 3]));

		const codes = await withTimeout(
			Promise.all([garbage.closed, text.closed, corrupt.closed, truncated.closed]),
			5000,
			'bad sockets closed'
		);
		expect(codes).toEqual([4400, 4400, 4400, 4400]);

		setMark(writer.doc, 'after', '2');
		await waitFor(() => getMark(observer.doc, 'after') === '2', { what: 'sync after malformed' });
		expect(readText(observer.doc)).toBe('');
		expect(writer.provider.wsconnected && observer.provider.wsconnected).toBe(true);
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(2);
		expect(node.collab.stats()).toEqual({ docs: 1, connections: 2 });
	});
});
