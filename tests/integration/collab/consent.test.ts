/**
 * Issue 7: consent decides who sees what, at once. Against the real sync server: a withdrawal or an expiry ends
 * the member's sockets (4403), on every node; a consent covers exactly its scopes; a closed plan is read-only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { listPlansForUser, planAccess } from '../../../src/lib/server/access/plans';
import { openDatabase } from '../../../src/lib/server/db';
import { consents, planMembers, plans, services } from '../../../src/lib/server/db/schema';
import {
	createTestDatabase,
	engines,
	postgresAvailable,
	REDIS_URL,
	redisAvailable,
	useTestDatabase
} from '../../helpers/services';
import { addMember, createPlan, createUser, grantConsent, testId } from './fixtures';
import { cleanup, connectClient, connectSynced, countUpdates, sleep, startNode, waitFor, withTimeout } from './harness';
import { getMark, setMark } from './plan-edits';

describe.each(engines)('consent at the sync server (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('a withdrawn consent closes the member’s sockets with 4403 at once, and takes the plan off their list', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const nav = await createUser(db, { name: 'NAV Nils' });
		await addMember(db, plan.planId, nav.id, 'service_provider', 'write', []);
		const consentId = await grantConsent(db, plan.planId, nav.id, ['plan', 'crisis']);
		const node = await startNode(db);
		const onPlan = await connectSynced(node, plan.planDoc, nav);
		expect((await listPlansForUser(db, nav.id)).map((p) => p.id)).toEqual([plan.planId]);

		await db
			.update(consents)
			.set({ withdrawnAt: new Date(), withdrawnBy: plan.patient.id })
			.where(eq(consents.id, consentId));
		const started = Date.now();
		await node.collab.revalidate({ planId: plan.planId });
		expect(await withTimeout(onPlan.closed, 2000, 'closed after withdrawal')).toBe(4403);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(await listPlansForUser(db, nav.id)).toEqual([]);
		expect((await planAccess(db, nav.id, plan.planId))?.scopes.size).toBe(0);
		expect(await withTimeout(connectClient(node, plan.planDoc, nav).closed, 5000, 'refused')).toBe(4403);
	});

	it('a consent that runs out closes the sockets it opened within 2 seconds, with nobody asking', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const nav = await createUser(db, { name: 'NAV Nora' });
		await addMember(db, plan.planId, nav.id, 'service_provider', 'write', []);
		const until = new Date(Date.now() + 1500);
		await grantConsent(db, plan.planId, nav.id, ['plan'], { validUntil: until });
		const node = await startNode(db);
		const client = await connectSynced(node, plan.planDoc, nav);
		expect(await withTimeout(client.closed, 5000, 'closed at expiry')).toBe(4403);
		const late = Date.now() - until.getTime();
		expect(late).toBeGreaterThanOrEqual(0);
		expect(late).toBeLessThan(2000);
	});

	it('covers exactly its scopes: the crisis plan alone, or everyone from one service', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const sister = await createUser(db, { name: 'Søster Sara', kind: 'relative' });
		await addMember(db, plan.planId, sister.id, 'relative', 'read', ['crisis', 'meetings']);
		const serviceId = testId();
		await db
			.insert(services)
			.values({ id: serviceId, name: 'NAV Testvik', kind: 'nav', organisation: 'Testvik kommune' });
		const adviser = await createUser(db, { name: 'Rådgiver Rune' });
		await db
			.insert(planMembers)
			.values({ planId: plan.planId, userId: adviser.id, role: 'service_provider', access: 'write', serviceId });
		const node = await startNode(db);

		expect(await withTimeout(connectClient(node, plan.planDoc, sister).closed, 5000, 'sister on plan')).toBe(4403);
		expect(await withTimeout(connectClient(node, plan.voiceDoc, sister).closed, 5000, 'sister on voice')).toBe(4403);
		await connectSynced(node, `crisis:${plan.planId}`, sister);
		// No consent for the service yet: the adviser sees nothing.
		expect(await withTimeout(connectClient(node, plan.planDoc, adviser).closed, 5000, 'adviser before')).toBe(4403);
		await db.insert(consents).values({
			planId: plan.planId,
			kind: 'access',
			granteeServiceId: serviceId,
			scopes: ['plan'],
			validFrom: new Date(Date.now() - 1000),
			givenBy: 'patient',
			recordedBy: plan.coordinator.id
		});
		const writer = await connectSynced(node, plan.planDoc, adviser);
		setMark(writer.doc, 'fra-nav', 'Tiltak fra NAV');
		await waitFor(async () => (await countUpdates(db, plan.planDoc)) === 1, { what: 'the adviser’s edit stored' });
	});

	it('a closed plan is read-only for everyone: writers are downgraded and their edits dropped', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db);
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const observer = await connectSynced(node, plan.planDoc, plan.patient);
		setMark(writer.doc, 'before', 'før avslutning');
		await waitFor(() => getMark(observer.doc, 'before') === 'før avslutning', { what: 'edit before closing' });
		await db.update(plans).set({ status: 'closed' }).where(eq(plans.id, plan.planId));
		await node.collab.revalidate({ planId: plan.planId });
		setMark(writer.doc, 'after', 'etter avslutning');
		await sleep(300);
		expect(getMark(observer.doc, 'after')).toBeUndefined();
		expect(await countUpdates(db, plan.planDoc)).toBe(1);
		// Still readable: its documents and history are kept.
		const reader = await connectSynced(node, plan.planDoc, plan.reader);
		expect(getMark(reader.doc, 'before')).toBe('før avslutning');
	});

	it('a seat that ends (a handover’s overlap running out) ends access by itself', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const leaving = await createUser(db, { name: 'Forlater Frida' });
		await addMember(db, plan.planId, leaving.id, 'service_provider', 'write');
		const endsAt = new Date(Date.now() + 1200);
		await db
			.update(planMembers)
			.set({ endedAt: endsAt })
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, leaving.id)));
		const node = await startNode(db);
		const client = await connectSynced(node, plan.planDoc, leaving);
		expect(await withTimeout(client.closed, 5000, 'closed when the seat ends')).toBe(4403);
		expect(Date.now() - endsAt.getTime()).toBeLessThan(2000);
	});
});

describe.skipIf(!(redisAvailable && postgresAvailable))('consent across nodes (PostgreSQL + Redis)', () => {
	afterEach(cleanup);

	it('a withdrawal revalidated on one node closes the member’s socket on another within 2 seconds', async () => {
		const database = await createTestDatabase('postgres');
		const second = await openDatabase({ url: database.url!, dataDir: '' });
		try {
			const plan = await createPlan(database.db);
			const nav = await createUser(database.db, { name: 'NAV Nina' });
			await addMember(database.db, plan.planId, nav.id, 'service_provider', 'write', []);
			const consentId = await grantConsent(database.db, plan.planId, nav.id, ['plan']);
			const prefix = testId();
			const a = await startNode(database.db, { redisUrl: REDIS_URL, nodeId: `a-${prefix}` });
			const b = await startNode(second.db, { redisUrl: REDIS_URL, nodeId: `b-${prefix}` });
			const onB = await connectSynced(b, plan.planDoc, nav);
			await database.db.update(consents).set({ withdrawnAt: new Date() }).where(eq(consents.id, consentId));
			const started = Date.now();
			await a.collab.revalidate({ planId: plan.planId });
			expect(await withTimeout(onB.closed, 2000, 'closed on the other node')).toBe(4403);
			expect(Date.now() - started).toBeLessThan(2000);
		} finally {
			await cleanup();
			await second.close();
			await database.drop();
		}
	});
});
