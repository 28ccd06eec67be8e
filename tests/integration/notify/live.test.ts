/**
 * `/notices`: the socket belongs to the session that opened it, carries a stamp and never a notice, changes when
 * the person's own notices change (not someone else's), and closes when the session ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { engines, useTestDatabase } from '../../helpers/services';
import { listenForUpgrades } from '../../helpers/upgrade-server';
import type { Db } from '../../../src/lib/server/db';
import { notifications, sessions } from '../../../src/lib/server/db/schema';
import { NoticeHub } from '../../../src/lib/server/notify';
import { createNotice } from '../../../src/lib/server/notify/notices';
import { NOTICES_MAX_FRAME_BYTES } from '../../../src/lib/server/notify/live';
import { createPlan, type TestPlan } from '../collab/fixtures';
import { silentLog } from '../collab/harness';

const ORIGIN = 'http://app.example.test';

interface Listener {
	ws: WebSocket;
	messages: string[];
	closed: Promise<number>;
	next(after: number): Promise<string>;
}

function listen(port: number, headers: Record<string, string>): Listener {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/notices`, { headers: { origin: ORIGIN, ...headers } });
	const messages: string[] = [];
	const waiters: Array<() => void> = [];
	ws.on('message', (data) => {
		messages.push(String(data));
		waiters.splice(0).forEach((w) => w());
	});
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	const next = async (after: number) => {
		while (messages.length <= after) await new Promise<void>((r) => waiters.push(r));
		return messages[after];
	};
	return { ws, messages, closed, next };
}

describe.each(engines)('the live notice socket on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = (): Db => testDb().db;
	let hub: NoticeHub;
	let server: Awaited<ReturnType<typeof listenForUpgrades>>;
	let plan: TestPlan;

	beforeAll(async () => {
		hub = new NoticeHub({
			db: db(),
			log: silentLog,
			origin: ORIGIN,
			sessionIdleMs: 3_600_000,
			pollMs: 20,
			sessionCheckMs: 50
		});
		server = await listenForUpgrades((req, socket, head) => {
			if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
		});
		plan = await createPlan(db());
	});
	afterAll(async () => {
		await hub?.close();
		await server?.close();
	});

	it('refuses a socket without a session (4401) or from another site (4403)', async () => {
		expect(await listen(server.port, {}).closed).toBe(4401);
		expect(await listen(server.port, { cookie: plan.coordinator.cookie, origin: 'https://evil.example' }).closed).toBe(
			4403
		);
	});

	it('tells the owner a stamp when their notices change, never a notice, and nothing about anyone else’s', async () => {
		const mine = listen(server.port, { cookie: plan.coordinator.cookie });
		const first = await mine.next(0);
		expect(JSON.parse(first)).toEqual({ stamp: expect.any(String) });
		// Someone else's notice: no message for this socket.
		await createNotice(
			db(),
			{
				kind: 'plan.revision_due',
				recipientId: plan.patient.id,
				planId: plan.planId,
				linkPath: `/plans/${plan.planId}`,
				dedupeKey: `t:other:${plan.planId}`
			},
			new Date()
		);
		await new Promise((r) => setTimeout(r, 150));
		expect(mine.messages.length).toBe(1);
		// Their own: a new stamp, which names nothing.
		const id = await createNotice(
			db(),
			{
				kind: 'measure.assigned',
				recipientId: plan.coordinator.id,
				planId: plan.planId,
				linkPath: `/plans/${plan.planId}#measure-m1-title`,
				refs: { measureId: 'm1' },
				dedupeKey: `t:mine:${plan.planId}`
			},
			new Date()
		);
		hub.poke(plan.coordinator.id);
		const second = await mine.next(1);
		expect(second).not.toBe(first);
		expect(second).not.toContain('measure');
		expect(second).not.toContain(plan.planId);
		// Reading it changes the stamp again (another tab's count follows).
		await db().update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, id!));
		expect(await mine.next(2)).not.toBe(second);
		mine.ws.close();
	});

	it('closes with 4401 once the session is gone', async () => {
		const mine = listen(server.port, { cookie: plan.reader.cookie });
		await mine.next(0);
		await db().delete(sessions).where(eq(sessions.userId, plan.reader.id));
		expect(await mine.closed).toBe(4401);
	});

	it('closes a socket that sends a frame over the limit (1009), since the socket only listens', async () => {
		const mine = listen(server.port, { cookie: plan.coordinator.cookie });
		await mine.next(0);
		mine.ws.send('x'.repeat(NOTICES_MAX_FRAME_BYTES + 1));
		expect(await mine.closed).toBe(1009);
	});
});
