/**
 * The meeting page's load, as the server runs it, on both engines: a member whose consent covers the meetings but
 * not the plan's goals and measures (the demo's sister) sees the agenda, but not the titles of goals and measures
 * it names; the coordinator sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from '../../helpers/services';
import { installRuntime, sessionUser } from '../../helpers/runtime';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { planAccess } from '../../../src/lib/server/access/plans';
import { planMeeting } from '../../../src/lib/server/meetings';
import { load } from '../../../src/routes/plans/[id]/moter/[meetingId]/+page.server';
import { cleanup, startNode, type TestNode } from '../collab/harness';

describe.each(engines)('the meeting page on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let restoreRuntime = () => {};

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		restoreRuntime = installRuntime(node.collab);
	});
	afterAll(async () => {
		restoreRuntime();
		await cleanup();
	});

	async function pageAs(who: string, meetingId: string) {
		const user = await sessionUser(db(), demo.userIds[who]);
		const url = new URL(`http://localhost/plans/${demo.planId}/moter/${meetingId}`);
		return (await load({
			params: { id: demo.planId, meetingId },
			url,
			locals: { db: db(), user, engine, session: null }
		} as never)) as { agenda: { kind: string; title: string; generated: boolean }[] };
	}

	it('shows the agenda to a member with the meetings scope only without the goal and measure titles it names', async () => {
		const coordinatorAccess = await planAccess(db(), demo.userIds.coordinator, demo.planId);
		const id = await planMeeting(
			{ db: db(), collab: node.collab },
			demo.userIds.coordinator,
			coordinatorAccess,
			demo.planId,
			{ date: '2027-01-12', time: '10:00', duration: '60', place: 'Møterom 2', videoLink: '' }
		);
		const sisterAccess = await planAccess(db(), demo.userIds.sister, demo.planId);
		expect(sisterAccess?.scopes.has('meetings')).toBe(true);
		expect(sisterAccess?.scopes.has('plan')).toBe(false);

		const full = await pageAs('coordinator', id);
		const named = full.agenda.filter(
			(i) => i.generated && ['overdue_measure', 'waiting_measure', 'goal_evaluation'].includes(i.kind)
		);
		expect(named.length).toBeGreaterThan(0);
		const sister = await pageAs('sister', id);
		expect(sister.agenda).toHaveLength(full.agenda.length);
		const shown = new Set(sister.agenda.map((i) => i.title));
		for (const item of named) expect(shown.has(item.title)).toBe(false);
		expect(
			sister.agenda.filter((i) => i.title === 'Et punkt om et mål eller tiltak i planen').length
		).toBeGreaterThanOrEqual(named.length);
		// The patient's own-points item names no goal, and stays as it is.
		expect(sister.agenda[0]).toMatchObject({ kind: 'patient_point', title: 'Det Jonas vil ta opp' });
	});
});
