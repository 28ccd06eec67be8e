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
import {
	addOwnResourceMark,
	getMark,
	ownResourceText,
	readText,
	readVoice,
	setMark,
	typeText,
	typeVoice
} from './plan-edits';

describe.each(engines)('collab sync (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('syncs two users and stores the update attributed to its sender', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const patient = await connectSynced(node, plan.planDoc, plan.patient);

		setMark(coordinator.doc, 'title', 'Bolig først');
		typeText(coordinator.doc, 'Møte tirsdag');

		await waitFor(() => getMark(patient.doc, 'title') === 'Bolig først' && readText(patient.doc) === 'Møte tirsdag', {
			what: 'the patient to see the edit'
		});
		await node.collab.flush();
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows).toHaveLength(2);
		expect(rows.every((r) => r.userId === plan.coordinator.id)).toBe(true);
		const rebuilt = new Y.Doc();
		for (const r of rows) Y.applyUpdate(rebuilt, r.update);
		expect(getMark(rebuilt, 'title')).toBe('Bolig først');

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

		// The configured origin is fine. With ORIGIN set it is the only one: an Origin that merely matches the
		// Host header proves nothing, since the client writes both (defect 7 of the security review).
		const sameSite = await connectSynced(node, plan.planDoc, plan.coordinator, { origin: APP_ORIGIN });
		expect(sameSite.provider.synced).toBe(true);
		const hostOnly = connectClient(node, plan.planDoc, plan.patient, { origin: `http://127.0.0.1:${node.port}` });
		expect(await withTimeout(hostOnly.closed, 5000, 'host-only origin refused')).toBe(4403);
		// Served directly (no ORIGIN), the page and the socket share a host, and that is what is checked.
		const direct = await startNode(db, { config: { origin: undefined } });
		const sameHost = await connectSynced(direct, plan.planDoc, plan.patient, {
			origin: `http://127.0.0.1:${direct.port}`
		});
		expect(sameHost.provider.synced).toBe(true);
		const otherHost = connectClient(direct, plan.planDoc, plan.patient, { origin: 'http://evil.example' });
		expect(await withTimeout(otherHost.closed, 5000, 'foreign origin refused')).toBe(4403);

		const denied = await db.select().from(auditEvents).where(eq(auditEvents.action, 'doc.denied'));
		expect(
			denied.some((e) => e.actorId === plan.outsider.id && e.planId === plan.planId && e.target === plan.planDoc)
		).toBe(true);
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

		setMark(reader.doc, 'forged', 'by reader');
		// Barrier: the reader's next message (awareness, allowed) reaches the observer only after the server
		// has handled the forged update sent before it on the same socket.
		reader.provider.awareness.setLocalStateField('cursor', 7);
		await waitFor(() => observer.provider.awareness.getStates().get(reader.doc.clientID)?.cursor === 7, {
			what: 'reader presence'
		});

		setMark(writer.doc, 'legit', 'by coordinator');
		await waitFor(() => getMark(observer.doc, 'legit') === 'by coordinator', { what: 'legit write at observer' });
		await waitFor(() => getMark(reader.doc, 'legit') === 'by coordinator', { what: 'legit write at reader' });
		await sleep(300);
		expect(getMark(observer.doc, 'forged')).toBeUndefined();
		expect(getMark(writer.doc, 'forged')).toBeUndefined();

		await node.collab.flush();
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows.length).toBe(before + 1);
		expect(rows.some((r) => r.userId === plan.reader.id)).toBe(false);

		const late = await connectSynced(node, plan.planDoc, plan.patient);
		expect(getMark(late.doc, 'legit')).toBe('by coordinator');
		expect(getMark(late.doc, 'forged')).toBeUndefined();
	});

	it('voice document: the patient writes, every other member only reads', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const patient = await connectSynced(node, plan.voiceDoc, plan.patient);
		const coordinator = await connectSynced(node, plan.voiceDoc, plan.coordinator);

		typeVoice(patient.doc, 'Å bo for meg selv');
		await waitFor(() => readVoice(coordinator.doc) === 'Å bo for meg selv', { what: 'voice at coordinator' });

		typeVoice(coordinator.doc, 'Staff rewrite: ');
		coordinator.provider.awareness.setLocalStateField('cursor', 1);
		await waitFor(() => patient.provider.awareness.getStates().get(coordinator.doc.clientID)?.cursor === 1, {
			what: 'barrier'
		});
		addOwnResourceMark(patient.doc, 'res', 'Søsteren min stiller opp');
		await waitFor(() => ownResourceText(coordinator.doc, 'res') === 'Søsteren min stiller opp', {
			what: 'second patient write'
		});
		await sleep(200);
		expect(readVoice(patient.doc)).toBe('Å bo for meg selv');

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
		await waitFor(() => !patient.provider.awareness.getStates().has(coordinator.doc.clientID), {
			what: 'presence removed'
		});
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
			.where(
				and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, plan.reader.id), isNull(planMembers.endedAt))
			);
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
		setMark(coordinator.doc, 'afterDowngrade', 'ja');
		coordinator.provider.awareness.setLocalStateField('cursor', 9);
		await waitFor(() => patient.provider.awareness.getStates().get(coordinator.doc.clientID)?.cursor === 9, {
			what: 'barrier'
		});
		setMark(patient.doc, 'patientWrite', 'ja');
		await waitFor(() => getMark(coordinator.doc, 'patientWrite') === 'ja', { what: 'patient write' });
		expect(getMark(patient.doc, 'afterDowngrade')).toBeUndefined();
		await node.collab.flush();
		expect(await countUpdates(db, plan.planDoc)).toBe(before + 1);
	});

	it('serves stored state complete to the very first client (no empty-document race)', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const source = new Y.Doc();
		setMark(source, 'title', 'Lagret plan');
		typeText(source, 'Lang historikk');
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
						if (s) resolve(`${getMark(c.doc, 'title')}|${readText(c.doc)}`);
					})
				)
		);
		expect(await withTimeout(Promise.all(atSync), 5000, 'first sync')).toEqual(
			Array(3).fill('Lagret plan|Lang historikk')
		);
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
				setMark(doc, 'm1', 'akseptert');
				typeText(doc, 'skrevet av serveren');
			},
			plan.coordinator.id
		);
		// Resolved means stored.
		const rows = await storedUpdates(db, plan.planDoc);
		expect(rows.map((r) => r.userId)).toEqual([plan.coordinator.id]);
		await waitFor(() => getMark(patient.doc, 'm1') === 'akseptert', { what: 'server change at client' });

		// Also on a document nobody has open.
		await node.collab.applyServerChange(
			plan.voiceDoc,
			(doc) => addOwnResourceMark(doc, 'seeded', 'Sådd av serveren'),
			null
		);
		expect(await countUpdates(db, plan.voiceDoc)).toBe(1);
	});
});
