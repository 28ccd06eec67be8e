import { and, eq, isNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PgDocStore } from '../../../src/lib/server/collab';
import { auditEvents, planMembers } from '../../../src/lib/server/db/schema';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from './fixtures';
import {
	APP_ORIGIN,
	cleanup,
	connectClient,
	connectSynced,
	countUpdates,
	sleep,
	startNode,
	storedUpdates,
	waitFor,
	withTimeout
} from './harness';

describe.each(engines)('collab sync (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('syncs two users and stores the update attributed to its sender', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const patient = await connectSynced(node, plan.planDoc, plan.patient);

		coordinator.doc.getMap('plan').set('title', 'Bolig først');
		coordinator.doc.getText('notes').insert(0, 'Møte tirsdag');

		await waitFor(() => patient.doc.getMap('plan').get('title') === 'Bolig først' && patient.doc.getText('notes').toString() === 'Møte tirsdag', {
			what: 'the patient to see the edit'
		});
		await node.collab.flush();
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows).toHaveLength(2);
		expect(rows.every((r) => r.userId === plan.coordinator.id)).toBe(true);
		const rebuilt = new Y.Doc();
		for (const r of rows) Y.applyUpdate(rebuilt, r.update);
		expect(rebuilt.getMap('plan').get('title')).toBe('Bolig først');

		const opens = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'doc.open'), eq(auditEvents.planId, plan.planId)));
		expect(opens.map((e) => e.actorId).sort()).toEqual([plan.coordinator.id, plan.patient.id].sort());
		const changes = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'doc.change'), eq(auditEvents.planId, plan.planId)));
		expect(changes.map((e) => e.actorId)).toEqual([plan.coordinator.id]);
		expect(node.collab.stats()).toEqual({ docs: 1, connections: 2 });
	});

	it('refuses with 4401 without a session and 4403 without a seat, from a foreign origin, or for an unknown document', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);

		const anonymous = connectClient(node, plan.planDoc, null);
		const outsider = connectClient(node, plan.planDoc, plan.outsider);
		const foreign = connectClient(node, plan.planDoc, plan.coordinator, { origin: 'https://evil.example' });
		const unknown = connectClient(node, `notes:${plan.planId}`, plan.coordinator);
		const garbled = connectClient(node, 'plan:%E0%A4%A', plan.coordinator);
		const codes = await withTimeout(
			Promise.all([anonymous.closed, outsider.closed, foreign.closed, unknown.closed, garbled.closed]),
			5000,
			'refusals'
		);
		expect(codes).toEqual([4401, 4403, 4403, 4403, 4403]);
		// 44xx tells the stock client to stop retrying.
		expect(anonymous.provider.shouldConnect).toBe(false);
		expect(outsider.provider.shouldConnect).toBe(false);

		// The configured origin and the server's own host are fine.
		const sameSite = await connectSynced(node, plan.planDoc, plan.coordinator, { origin: APP_ORIGIN });
		const sameHost = await connectSynced(node, plan.planDoc, plan.patient, { origin: `http://127.0.0.1:${node.port}` });
		expect(sameSite.provider.synced && sameHost.provider.synced).toBe(true);

		const denied = await db.select().from(auditEvents).where(eq(auditEvents.action, 'doc.denied'));
		expect(denied.some((e) => e.actorId === plan.outsider.id && e.planId === plan.planId && e.target === plan.planDoc)).toBe(true);
		expect(denied.some((e) => e.actorId === plan.coordinator.id && e.planId === null && e.target === null)).toBe(true);
	});

	it('drops a read-only member’s writes (not applied, stored or sent) while the reader still receives', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const observer = await connectSynced(node, plan.planDoc, plan.patient);
		const reader = await connectSynced(node, plan.planDoc, plan.reader);
		const before = await countUpdates(db, plan.planDoc);

		reader.doc.getMap('plan').set('forged', 'by reader');
		// Barrier: the reader's next message (awareness, allowed) reaches the observer only after the server
		// has handled the forged update sent before it on the same socket.
		reader.provider.awareness.setLocalStateField('cursor', 7);
		await waitFor(() => observer.provider.awareness.getStates().get(reader.doc.clientID)?.cursor === 7, { what: 'reader presence' });

		writer.doc.getMap('plan').set('legit', 'by coordinator');
		await waitFor(() => observer.doc.getMap('plan').get('legit') === 'by coordinator', { what: 'legit write at observer' });
		await waitFor(() => reader.doc.getMap('plan').get('legit') === 'by coordinator', { what: 'legit write at reader' });
		await sleep(300);
		expect(observer.doc.getMap('plan').has('forged')).toBe(false);
		expect(writer.doc.getMap('plan').has('forged')).toBe(false);

		await node.collab.flush();
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows.length).toBe(before + 1);
		expect(rows.some((r) => r.userId === plan.reader.id)).toBe(false);

		const late = await connectSynced(node, plan.planDoc, plan.patient);
		expect(late.doc.getMap('plan').get('legit')).toBe('by coordinator');
		expect(late.doc.getMap('plan').has('forged')).toBe(false);
	});

	it('voice document: the patient writes, every other member only reads', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const patient = await connectSynced(node, plan.voiceDoc, plan.patient);
		const coordinator = await connectSynced(node, plan.voiceDoc, plan.coordinator);

		patient.doc.getText('whatMatters').insert(0, 'Å bo for meg selv');
		await waitFor(() => coordinator.doc.getText('whatMatters').toString() === 'Å bo for meg selv', { what: 'voice at coordinator' });

		coordinator.doc.getText('whatMatters').insert(0, 'Staff rewrite: ');
		coordinator.provider.awareness.setLocalStateField('cursor', 1);
		await waitFor(() => patient.provider.awareness.getStates().get(coordinator.doc.clientID)?.cursor === 1, { what: 'barrier' });
		patient.doc.getMap('own').set('goal', 'Ringe søster');
		await waitFor(() => coordinator.doc.getMap('own').get('goal') === 'Ringe søster', { what: 'second patient write' });
		await sleep(200);
		expect(patient.doc.getText('whatMatters').toString()).toBe('Å bo for meg selv');

		await node.collab.flush();
		const rows = await storedUpdates(db, plan.voiceDoc);
		expect(rows.length).toBe(2);
		expect(rows.every((r) => r.userId === plan.patient.id)).toBe(true);
	});

	it('awareness carries the server-known identity, whatever the client claims', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const patient = await connectSynced(node, plan.planDoc, plan.patient);

		coordinator.provider.awareness.setLocalStateField('user', { name: 'Someone else', id: plan.patient.id });
		coordinator.provider.awareness.setLocalStateField('cursor', 3);
		const seen = await waitFor(
			() => {
				const s = patient.provider.awareness.getStates().get(coordinator.doc.clientID);
				return s?.cursor === 3 ? s : null;
			},
			{ what: 'coordinator presence' }
		);
		expect(seen.user).toMatchObject({ id: plan.coordinator.id, name: 'Koordinator Kari' });
		expect(typeof seen.user.color).toBe('string');

		// Another person cannot take over a client id someone else owns.
		const imposterDoc = new Y.Doc();
		imposterDoc.clientID = coordinator.doc.clientID;
		const imposter = connectClient(node, plan.planDoc, plan.patient, { doc: imposterDoc });
		for (let i = 0; i < 20; i++) imposter.provider.awareness.setLocalStateField('cursor', 100 + i);
		await imposter.whenSynced();
		await sleep(200);
		const after = patient.provider.awareness.getStates().get(coordinator.doc.clientID);
		expect(after?.user).toMatchObject({ id: plan.coordinator.id });
		expect(after?.cursor).toBe(3);

		// Leaving removes the presence for the others.
		coordinator.destroy();
		await waitFor(() => !patient.provider.awareness.getStates().has(coordinator.doc.clientID), { what: 'presence removed' });
	});

	it('revalidate closes a member whose seat ended with 4403 at once, and downgrades writers who may now only read', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const patient = await connectSynced(node, plan.planDoc, plan.patient);
		const reader = await connectSynced(node, plan.planDoc, plan.reader);

		await db
			.update(planMembers)
			.set({ endedAt: new Date() })
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.reader.id), isNull(planMembers.endedAt)));
		await db
			.update(planMembers)
			.set({ access: 'read' })
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.coordinator.id)));
		const started = Date.now();
		await node.collab.revalidate({ planId: plan.planId });
		expect(await withTimeout(reader.closed, 1000, 'reader closed')).toBe(4403);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(reader.provider.shouldConnect).toBe(false);
		expect(node.collab.stats().connections).toBe(2);

		const before = await countUpdates(db, plan.planDoc);
		coordinator.doc.getMap('plan').set('afterDowngrade', true);
		coordinator.provider.awareness.setLocalStateField('cursor', 9);
		await waitFor(() => patient.provider.awareness.getStates().get(coordinator.doc.clientID)?.cursor === 9, { what: 'barrier' });
		patient.doc.getMap('plan').set('patientWrite', true);
		await waitFor(() => coordinator.doc.getMap('plan').get('patientWrite') === true, { what: 'patient write' });
		expect(patient.doc.getMap('plan').has('afterDowngrade')).toBe(false);
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(before + 1);
	});

	it('serves stored state complete to the very first client (no empty-document race)', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const source = new Y.Doc();
		source.getMap('plan').set('title', 'Lagret plan');
		source.getText('notes').insert(0, 'Lang historikk');
		const store = new PgDocStore(db);
		await store.append(plan.planDoc, [{ update: Y.encodeStateAsUpdate(source), userId: plan.coordinator.id }]);

		// A slow disk widens the window in which a naive server would answer from an empty document.
		let loads = 0;
		const slowStore = {
			load: async (name: string) => {
				loads++;
				await sleep(200);
				return store.load(name);
			},
			loadSince: store.loadSince.bind(store),
			append: store.append.bind(store),
			saveSnapshot: store.saveSnapshot.bind(store)
		};
		const node = await startNode(db, { store: slowStore });
		const clients = [plan.patient, plan.coordinator, plan.reader].map((u) => connectClient(node, plan.planDoc, u));
		const atSync = clients.map(
			(c) =>
				new Promise<string | undefined>((resolve) =>
					c.provider.on('sync', (s: boolean) => {
						if (s) resolve(`${c.doc.getMap('plan').get('title')}|${c.doc.getText('notes').toString()}`);
					})
				)
		);
		expect(await withTimeout(Promise.all(atSync), 5000, 'first sync')).toEqual(Array(3).fill('Lagret plan|Lang historikk'));
		// Three concurrent opens shared one load.
		expect(loads).toBe(1);
	});

	it('applyServerChange writes with the server as origin, attributed to the actor, and reaches clients', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const patient = await connectSynced(node, plan.planDoc, plan.patient);
		await node.collab.applyServerChange(
			plan.planDoc,
			(doc) => {
				doc.getMap('measures').set('m1', 'accepted');
				doc.getMap('plan').set('status', 'active');
			},
			plan.coordinator.id
		);
		// Resolved means stored.
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows.map((r) => r.userId)).toEqual([plan.coordinator.id]);
		await waitFor(() => patient.doc.getMap('measures').get('m1') === 'accepted', { what: 'server change at client' });

		// Also on a document nobody has open.
		await node.collab.applyServerChange(plan.voiceDoc, (doc) => doc.getMap('own').set('seeded', true), null);
		expect(await countUpdates(db, plan.voiceDoc)).toBe(1);
	});
});
