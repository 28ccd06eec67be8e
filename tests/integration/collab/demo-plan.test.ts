import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from '../../helpers/services';
import type { Db } from '../../../src/lib/server/db';
import { seedDemo, DEMO_PASSWORD, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { attemptLogin } from '../../../src/lib/server/auth/login';
import { createSession } from '../../../src/lib/server/auth/session';
import {
	addGoal,
	addMeasure,
	addWarningSign,
	crisisDocName,
	listGoals,
	listWarningSigns,
	planDocName
} from '../../../src/lib/plan';
import { loadPlanContent } from '../../../src/lib/server/plans/content';
import { cleanup, connectClient, connectSynced, countUpdates, sleep, startNode, waitFor } from './harness';
import type { TestUser } from './fixtures';

/** The "done when", on the demo municipality, with the stock y-websocket client and real logins. */
async function loginAs(db: Db, who: string): Promise<TestUser> {
	const result = await attemptLogin(db, {
		email: `${who}@demo.fellesplan.no`,
		password: DEMO_PASSWORD,
		ip: '127.0.0.1'
	});
	if (!result.ok) throw new Error(`login failed for ${who}`);
	const { token } = await createSession(db, result.userId);
	return { id: result.userId, name: who, token, cookie: `session=${token}` };
}

describe.each(engines)('the demo plan, live, on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	beforeAll(async () => {
		demo = await seedDemo(testDb().db);
	});
	afterEach(cleanup);

	it('coordinator and patient sync plan:<id>; the sister may only read the crisis plan; utenfor is refused; a restart keeps it', async () => {
		const docName = planDocName(demo.planId);
		let node = await startNode(testDb().db);
		const [coordinator, patient, sister, outsider] = await Promise.all(
			['koordinator', 'pasient', 'parorende', 'utenfor'].map((w) => loginAs(testDb().db, w))
		);

		const a = await connectSynced(node, docName, coordinator);
		const b = await connectSynced(node, docName, patient);
		// The seeded demo content arrives complete.
		expect(listGoals(b.doc).map((g) => g.title)).toContain('Flytte til egen leilighet');

		const goalId = addGoal(a.doc, { lifeArea: 'leisure', title: 'Begynne på svømming igjen', expressedBy: 'patient' });
		addMeasure(a.doc, {
			goalId,
			title: 'Søke om fritidskort',
			serviceId: demo.serviceIds.nav,
			personId: demo.userIds.nav
		});
		await waitFor(() => listGoals(b.doc).some((g) => g.title === 'Begynne på svømming igjen'), {
			what: 'the goal at the patient'
		});

		expect(await connectClient(node, docName, null).closed).toBe(4401);
		expect(await connectClient(node, docName, outsider).closed).toBe(4403);

		const stored = await waitFor(async () => {
			const n = await countUpdates(testDb().db, docName);
			return n >= 2 ? n : 0;
		});
		// Her consent covers the crisis plan and meetings: goals and measures are refused, the crisis plan is read-only.
		expect(await connectClient(node, docName, sister).closed).toBe(4403);
		const crisisName = crisisDocName(demo.planId);
		const s = await connectSynced(node, crisisName, sister);
		expect(listWarningSigns(s.doc).length).toBeGreaterThan(0);
		const crisisStored = await countUpdates(testDb().db, crisisName);
		addWarningSign(s.doc, { text: 'Skrevet av en leser' });
		await sleep(300);
		const crisisAtCoordinator = await connectSynced(node, crisisName, coordinator);
		expect(listWarningSigns(crisisAtCoordinator.doc).map((w) => w.text)).not.toContain('Skrevet av en leser');
		expect(await countUpdates(testDb().db, crisisName)).toBe(crisisStored);
		expect(await countUpdates(testDb().db, docName)).toBe(stored);

		// kill -9 after the update is stored: no flush, no goodbye.
		await node.stop({ flush: false });
		node = await startNode(testDb().db);
		const fresh = await connectSynced(node, docName, patient);
		expect(listGoals(fresh.doc).map((g) => g.title)).toContain('Begynne på svømming igjen');
		// What the page renders on the server sees the same.
		const content = await loadPlanContent(node.collab, demo.planId);
		const leisure = content.lifeAreas!.find((x) => x.lifeArea === 'leisure');
		const ours = leisure?.goals.find((g) => g.title === 'Begynne på svømming igjen');
		expect(ours?.measures[0]).toMatchObject({
			title: 'Søke om fritidskort',
			serviceId: demo.serviceIds.nav,
			personId: demo.userIds.nav
		});
		expect(content.voice!.ownResources.length).toBeGreaterThan(0);
		// His own goals are among the plan's goals, in his words.
		expect(
			content
				.lifeAreas!.flatMap((a) => a.goals)
				.filter((g) => g.expressedBy === 'patient')
				.map((g) => g.title)
		).toContain('Komme meg ut av huset hver dag');
		expect(content.crisisPlan!.contacts.some((c) => c.phone === '116 117')).toBe(true);
		// Only what is asked for is read: the sister's page loads the crisis plan alone.
		const hers = await loadPlanContent(node.collab, demo.planId, ['crisis']);
		expect(hers.lifeAreas).toBeNull();
		expect(hers.voice).toBeNull();
		expect(hers.crisisPlan?.warningSigns.length).toBeGreaterThan(0);
	});
});
