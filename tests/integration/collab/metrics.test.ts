/** Issue 11: `GET /metrics` serves the sync server's Prometheus metrics, only to a scraper with the token. */
import { afterEach, describe, expect, it } from 'vitest';
import { GET } from '../../../src/routes/metrics/+server';
import { useTestDatabase } from '../../helpers/services';
import { addGoal, removeGoal } from '../../../src/lib/plan';
import { addMember, createPlan, createUser } from './fixtures';
import { cleanup, connectSynced, startNode, waitFor } from './harness';
import { typeText } from './plan-edits';

/** The handler as SvelteKit calls it; an `error()` it throws comes back as its status. */
async function scrape(headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
	try {
		const res = await GET({ request: new Request('http://app.test/metrics', { headers }) } as never);
		return { status: res.status, text: await res.text() };
	} catch (err) {
		return { status: (err as { status: number }).status, text: '' };
	}
}

/** One sample's value from Prometheus text. */
function sample(text: string, name: string): number {
	const line = text.split('\n').find((l) => l.startsWith(name + ' '));
	return line ? Number(line.slice(name.length + 1)) : NaN;
}

describe('GET /metrics', () => {
	const database = useTestDatabase('pglite');
	afterEach(async () => {
		delete process.env.METRICS_TOKEN;
		await cleanup();
	});

	it('is not there without METRICS_TOKEN (404), refuses a scrape without the token (401)', async () => {
		expect((await scrape()).status).toBe(404);
		expect((await scrape({ authorization: 'Bearer guess' })).status).toBe(404);
		process.env.METRICS_TOKEN = 'skrape-hemmelighet';
		expect((await scrape()).status).toBe(401);
		expect((await scrape({ authorization: 'Bearer skrape-hemmelighe' })).status).toBe(401);
		expect((await scrape({ authorization: 'skrape-hemmelighet' })).status).toBe(401);
	});

	it('reports connections, loaded documents, accepted and stored updates, store latency and refusals by reason', async () => {
		process.env.METRICS_TOKEN = 'skrape-hemmelighet';
		const auth = { authorization: 'Bearer skrape-hemmelighet' };
		const before = (await scrape(auth)).text;
		const node = await startNode(database().db, { engine: 'pglite' });
		const plan = await createPlan(database().db);
		const writer = await connectSynced(node, plan.planDoc, plan.coordinator);
		const reader = await connectSynced(node, plan.planDoc, plan.reader);
		typeText(writer.doc, 'målt');
		typeText(reader.doc, 'bare lese');
		await node.collab.flush();

		const res = await waitFor(
			async () => {
				const r = await scrape(auth);
				return sample(r.text, 'fellesplan_collab_updates_refused_total{reason="read-only"}') >= 1 ? r : null;
			},
			{ what: 'the read-only refusal counted' }
		);
		expect(res.status).toBe(200);
		expect(sample(res.text, 'fellesplan_collab_connections')).toBeGreaterThanOrEqual(2);
		expect(sample(res.text, 'fellesplan_collab_documents_loaded')).toBeGreaterThanOrEqual(1);
		const counted = (name: string) => sample(res.text, name) - (sample(before, name) || 0);
		expect(counted('fellesplan_collab_updates_accepted_total')).toBeGreaterThanOrEqual(1);
		expect(counted('fellesplan_collab_updates_stored_total')).toBeGreaterThanOrEqual(1);
		expect(counted('fellesplan_collab_store_seconds_count')).toBeGreaterThanOrEqual(1);
		expect(res.text).toContain('# TYPE fellesplan_collab_store_seconds histogram');
		expect(res.text).not.toMatch(/session|cookie/i);
	});

	it('counts a refused update under its kind of refusal only, never under the entity id the client chose', async () => {
		process.env.METRICS_TOKEN = 'skrape-hemmelighet';
		const auth = { authorization: 'Bearer skrape-hemmelighet' };
		const node = await startNode(database().db, { engine: 'pglite' });
		const plan = await createPlan(database().db);
		const writer = await createUser(database().db, { name: 'Skriver Siri' });
		await addMember(database().db, plan.planId, writer.id, 'service_provider', 'write');
		const coordinator = await connectSynced(node, plan.planDoc, plan.coordinator);
		const goalId = addGoal(coordinator.doc, {
			lifeArea: 'housing',
			title: 'Egen leilighet',
			expressedBy: 'staff',
			createdBy: plan.coordinator.id
		});
		const member = await connectSynced(node, plan.planDoc, writer);
		await waitFor(() => member.doc.getMap('goals').has(goalId), { what: 'the goal reached the member' });
		// Only the coordinator (or the author while proposed) deletes a goal: refused, with the goal's id in the close reason.
		removeGoal(member.doc, goalId);
		const res = await waitFor(
			async () => {
				const r = await scrape(auth);
				return sample(r.text, 'fellesplan_collab_updates_refused_total{reason="not-allowed"}') >= 1 ? r : null;
			},
			{ what: 'the refusal counted' }
		);
		expect(res.text).not.toContain(goalId);
		const labels = res.text.split('\n').filter((l) => l.startsWith('fellesplan_collab_updates_refused_total{'));
		for (const line of labels) expect(line).toMatch(/^fellesplan_collab_updates_refused_total\{reason="[a-z-]+"\} /);
	});
});
