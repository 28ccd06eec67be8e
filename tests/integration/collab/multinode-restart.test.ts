/**
 * Issue 11: a node restarts under 1,000 open connections (50 plans, 20 sockets each, behind a TCP load balancer).
 * Every client must come back and be in sync with what is stored; the time it takes is reported.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startNodeProcess, type NodeProcess } from '../../helpers/node-process';
import {
	createTestDatabase,
	postgresAvailable,
	REDIS_URL,
	redisAvailable,
	type TestDatabase
} from '../../helpers/services';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';
import { createPlan, testId, type TestPlan } from './fixtures';
import { cleanup, connectClient, storedDoc, waitFor, type TestClient, type TestNode } from './harness';
import { readText, typeText } from './plan-edits';

const PLANS = 50;
const PER_PLAN = 20;
/** One address and a few people open all of these: the per-address and per-person limits make room. */
const LIMITS = JSON.stringify({
	connectionsPerAddress: 5000,
	connectionsPerUser: 200,
	upgradesPerUser: { burst: 500, perSecond: 100 }
});

const via = (wsBase: string): TestNode => ({ collab: null as never, port: 0, wsBase, stop: async () => {} });

describe.skipIf(!(postgresAvailable && redisAvailable))('multinode: a restart with 1,000 open connections', () => {
	let database: TestDatabase;
	const processes: NodeProcess[] = [];
	let lb: TcpProxy | undefined;
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
	});
	afterAll(async () => {
		await database?.drop();
	});
	afterEach(async () => {
		await cleanup();
		for (const p of processes.splice(0)) {
			p.child.kill('SIGKILL');
			await p.exited;
		}
		await lb?.close();
	});

	it(
		'every client is back and in sync after the node restarts; the time is reported',
		{ timeout: 300_000 },
		async () => {
			const plans: TestPlan[] = [];
			for (let i = 0; i < PLANS; i++) plans.push(await createPlan(database.db));
			const env = { DATABASE_URL: database.url!, REDIS_URL, NODE_ID: `r-${testId()}`, COLLAB_LIMITS: LIMITS };
			const first = await startNodeProcess(env);
			processes.push(first);
			lb = await startTcpProxy([first.port]);
			const base = `ws://127.0.0.1:${lb.port}/collab`;

			const clients: Array<{ plan: TestPlan; client: TestClient }> = [];
			for (const plan of plans) {
				for (let i = 0; i < PER_PLAN; i++)
					clients.push({
						plan,
						client: connectClient(via(base), plan.planDoc, i % 2 ? plan.patient : plan.coordinator)
					});
			}
			const t0 = performance.now();
			await waitFor(() => clients.every(({ client }) => client.provider.synced), {
				what: '1,000 clients synced',
				timeout: 120_000,
				interval: 100
			});
			console.log(
				`[multinode] ${clients.length} connections over ${PLANS} plans synced in ${Math.round(performance.now() - t0)} ms`
			);
			// One edit per plan, by its first client, seen by all of that plan's clients.
			for (let p = 0; p < PLANS; p++) typeText(clients[p * PER_PLAN].client.doc, `før-${p};`);
			await waitFor(
				() => clients.every(({ client }, i) => readText(client.doc).includes(`før-${Math.floor(i / PER_PLAN)};`)),
				{ what: 'edits before the restart', timeout: 60_000, interval: 100 }
			).catch((err) => {
				const missing = clients.filter(
					({ client }, i) => !readText(client.doc).includes(`før-${Math.floor(i / PER_PLAN)};`)
				);
				console.log(
					missing.length,
					missing
						.slice(0, 5)
						.map(({ client }) => [client.provider.wsconnected, client.provider.synced, readText(client.doc)])
				);
				throw err;
			});

			// Graceful restart: the old node stores everything and closes every socket (1001); a new one takes over.
			const restartAt = performance.now();
			first.child.kill('SIGTERM');
			await first.exited;
			// Edits made while no node runs wait in the clients and are sent once they are back.
			for (let p = 0; p < PLANS; p++) typeText(clients[p * PER_PLAN + 1].client.doc, `under-${p};`);
			const second = await startNodeProcess(env);
			processes.push(second);
			lb.setUpstreams([second.port]);
			await waitFor(
				() =>
					clients.every(
						({ client }, i) =>
							client.provider.wsconnected &&
							client.provider.synced &&
							readText(client.doc).includes(`under-${Math.floor(i / PER_PLAN)};`)
					),
				{ what: 'every client back, synced, with the edits made during the restart', timeout: 180_000, interval: 100 }
			).catch((err) => {
				const missing = clients.filter(
					({ client }, i) =>
						!(
							client.provider.wsconnected &&
							client.provider.synced &&
							readText(client.doc).includes(`under-${Math.floor(i / PER_PLAN)};`)
						)
				);
				console.log(
					missing.length,
					missing
						.slice(0, 5)
						.map(({ client }) => [client.provider.wsconnected, client.provider.synced, readText(client.doc)])
				);
				throw err;
			});
			const back = performance.now() - restartAt;
			console.log(
				`[multinode] restart with ${clients.length} open connections: all back and in sync ${Math.round(back)} ms after SIGTERM (new process start included)`
			);

			// In sync: every client of a plan holds exactly the stored document.
			for (let p = 0; p < PLANS; p++) {
				const stored = await waitFor(
					async () => {
						const doc = await storedDoc(database.db, plans[p].planDoc);
						return readText(doc).includes(`under-${p};`) ? doc : null;
					},
					{ what: `plan ${p} stored`, timeout: 20_000 }
				);
				const sv = Y.encodeStateVector(stored);
				for (let i = 0; i < PER_PLAN; i++) {
					const c = clients[p * PER_PLAN + i].client;
					expect(Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(sv))).toBe(true);
					expect(readText(c.doc)).toBe(readText(stored));
				}
			}
		}
	);
});
