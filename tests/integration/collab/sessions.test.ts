import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions } from '../../../src/lib/server/db/schema';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan } from './fixtures';
import { cleanup, connectSynced, sleep, startNode, waitFor } from './harness';
import { typeText } from './plan-edits';

const sessionIdOf = (token: string) => token.split('.')[0];

describe.each(engines)('live connections and the session inactivity timeout (%s)', (engine) => {
	const testDb = useTestDatabase(engine);
	afterEach(cleanup);

	it('closes a socket with 4401 once its session has been idle too long, and editing keeps a session alive', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db, { sessionSweepMs: 200 });
		const idle = await connectSynced(node, plan.planDoc, plan.reader);
		const busy = await connectSynced(node, plan.planDoc, plan.coordinator);
		// The coordinator keeps typing (from before the sessions age, so no sweep sees her idle); the reader only watches.
		const typing = setInterval(() => typeText(busy.doc, 'x', 0), 10);
		try {
			await sleep(100);
			const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
			for (const user of [plan.reader, plan.coordinator]) {
				await db
					.update(sessions)
					.set({ lastVerifiedAt: twoHoursAgo })
					.where(eq(sessions.id, sessionIdOf(user.token)));
			}
			expect(await idle.closed).toBe(4401);
			await waitFor(
				async () => {
					const [row] = await db
						.select()
						.from(sessions)
						.where(eq(sessions.id, sessionIdOf(plan.coordinator.token)));
					return row.lastVerifiedAt.getTime() > twoHoursAgo.getTime();
				},
				{ what: 'the busy session refreshed' }
			);
			await sleep(200);
			expect(busy.provider.wsconnected).toBe(true);
		} finally {
			clearInterval(typing);
		}
	});

	it('closes the socket of a session that no longer exists', async () => {
		const { db } = testDb();
		const plan = await createPlan(db);
		const node = await startNode(db, { sessionSweepMs: 50 });
		const client = await connectSynced(node, plan.planDoc, plan.patient);
		await db.delete(sessions).where(eq(sessions.id, sessionIdOf(plan.patient.token)));
		expect(await client.closed).toBe(4401);
		await waitFor(() => node.collab.stats().connections === 0, { what: 'no connections left' });
	});
});
