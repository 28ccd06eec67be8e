/**
 * The consent and access-log JSON endpoints, called as SvelteKit calls them (the request event), against the demo
 * plan on both engines. The runtime's collab server is replaced by a recorder, to see that every change revalidates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, consents, users } from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import type { Db } from '../../../src/lib/server/db';
import { POST as postConsent } from '../../../src/routes/api/plans/[id]/consents/+server';
import { POST as postWithdraw } from '../../../src/routes/api/plans/[id]/consents/[consentId]/withdraw/+server';
import { GET as getAccessLog } from '../../../src/routes/api/plans/[id]/access-log/+server';
import { createPlan } from '../collab/fixtures';

const RUNTIME = Symbol.for('fellesplan.runtime');
const revalidated: unknown[] = [];
const holder = globalThis as { [RUNTIME]?: unknown };
const previous = holder[RUNTIME];
beforeAll(() => {
	holder[RUNTIME] = Promise.resolve({
		collab: { revalidate: async (filter: unknown) => void revalidated.push(filter) }
	});
});
afterAll(() => {
	holder[RUNTIME] = previous;
});

type Handler = (event: never) => Promise<Response> | Response;

async function call(
	handler: Handler,
	db: Db,
	userId: string | null,
	params: Record<string, string>,
	body?: unknown,
	raw?: string
): Promise<Response> {
	const user = userId
		? (
				await db
					.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
					.from(users)
					.where(eq(users.id, userId))
			)[0]
		: null;
	const url = new URL(`http://localhost/api/plans/${params.id}`);
	const request = new Request(
		url,
		body === undefined && raw === undefined
			? { method: 'GET' }
			: { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) }
	);
	return handler({ params, url, request, locals: { db, user, engine: 'pglite', session: null } } as never);
}

describe.each(engines)('the consent and access-log API on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	let demo: DemoSeed;
	const db = () => testDb().db;
	const consentCount = async () =>
		(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(consents)
		)[0].n;
	const post = (who: string | null, body: unknown, planId = demo.planId) =>
		call(postConsent, db(), who ? demo.userIds[who] : null, { id: planId }, body);
	const withdraw = (who: string, consentId: string, planId = demo.planId) =>
		call(postWithdraw, db(), demo.userIds[who], { id: planId, consentId }, {});

	beforeAll(async () => {
		demo = await seedDemo(db());
		revalidated.length = 0;
	});

	it('refuses those who may not manage consent: 401 without a session, 403 for other members, outsiders and an administrator without a seat', async () => {
		const before = await consentCount();
		const body = { userId: demo.userIds.nav, scopes: ['plan'], givenBy: 'patient' };
		expect((await post(null, body)).status).toBe(401);
		for (const who of ['nav', 'sister', 'outsider', 'admin']) {
			const res = await post(who, body);
			expect(res.status, who).toBe(403);
			expect(await res.json()).toMatchObject({ error: 'forbidden' });
		}
		const navConsent = (await db().select().from(consents).where(eq(consents.granteeUserId, demo.userIds.nav)))[0];
		expect((await withdraw('gp', navConsent.id)).status).toBe(403);
		expect(await consentCount()).toBe(before);
		expect((await db().select().from(consents).where(eq(consents.id, navConsent.id)))[0].withdrawnAt).toBeNull();
		expect(revalidated).toEqual([]);
	});

	it('answers a bad body with 400 naming the field, and writes nothing', async () => {
		const before = await consentCount();
		const nav = demo.userIds.nav;
		const cases: [unknown, string][] = [
			[{ userId: nav, scopes: ['plan'], givenBy: 'patient', extra: 1 }, 'extra'],
			[{ userId: nav, serviceId: demo.serviceIds.nav, scopes: ['plan'], givenBy: 'patient' }, 'serviceId'],
			[{ scopes: ['plan'], givenBy: 'patient' }, 'userId'],
			[{ userId: nav, scopes: [], givenBy: 'patient' }, 'scopes'],
			[{ userId: nav, scopes: ['everything'], givenBy: 'patient' }, 'scopes'],
			[{ userId: nav, scopes: ['plan'], givenBy: 'patient', until: '31.03.2027' }, 'until'],
			[{ userId: nav, scopes: ['plan'], givenBy: 'patient', until: '2020-01-01' }, 'until'],
			[{ userId: nav, scopes: ['plan'] }, 'givenBy'],
			[{ userId: nav, scopes: ['plan'], givenBy: 'guardian' }, 'givenBy'],
			[{ userId: 42, scopes: ['plan'], givenBy: 'patient' }, 'userId'],
			[{ userId: demo.userIds.outsider, scopes: ['plan'], givenBy: 'patient' }, 'userId'],
			[{ userId: demo.userIds.coordinator, scopes: ['plan'], givenBy: 'patient' }, 'userId'],
			[{ serviceId: demo.serviceIds.home_care, scopes: ['plan'], givenBy: 'patient' }, 'serviceId'],
			[{ kind: 'plan', userId: nav, givenBy: 'patient' }, 'userId'],
			[{ kind: 'plan', scopes: ['plan'], givenBy: 'patient' }, 'scopes']
		];
		for (const [body, field] of cases) {
			const res = await post('patient', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			const answer = await res.json();
			expect(answer.field, JSON.stringify(body)).toBe(field);
			expect(answer.message).toContain(field);
		}
		// The coordinator may record that the patient cannot decide now, but only with a review date.
		const staff = await post('coordinator', { userId: nav, scopes: ['plan'], givenBy: 'staff_capacity' });
		expect(staff.status).toBe(400);
		expect(await staff.json()).toMatchObject({ field: 'reviewDate' });
		const notJson = await call(postConsent, db(), demo.userIds.patient, { id: demo.planId }, undefined, '{"userId":');
		expect(notJson.status).toBe(400);
		expect(await consentCount()).toBe(before);
		expect(revalidated).toEqual([]);
	});

	it('records a grant (201 with its id), which revalidates the plan and opens exactly its scopes', async () => {
		const res = await post('patient', {
			userId: demo.userIds.sister,
			scopes: ['voice'],
			until: '2099-12-31',
			givenBy: 'patient'
		});
		expect(res.status).toBe(201);
		const { id } = await res.json();
		const [row] = await db().select().from(consents).where(eq(consents.id, id));
		expect(row).toMatchObject({
			planId: demo.planId,
			granteeUserId: demo.userIds.sister,
			scopes: ['voice'],
			givenBy: 'patient',
			recordedBy: demo.userIds.patient
		});
		expect(row.validUntil?.toISOString()).toBe('2099-12-31T23:00:00.000Z');
		expect(revalidated.at(-1)).toEqual({ planId: demo.planId });
		expect([...(await planAccess(db(), demo.userIds.sister, demo.planId))!.scopes].sort()).toEqual([
			'crisis',
			'meetings',
			'voice'
		]);

		const staff = await post('coordinator', {
			serviceId: demo.serviceIds.gp,
			scopes: ['crisis'],
			givenBy: 'staff_capacity',
			reviewDate: '2099-01-01'
		});
		expect(staff.status).toBe(201);
		const plan = await post('coordinator', { kind: 'plan', givenBy: 'patient' });
		expect(plan.status).toBe(201);
	});

	it('withdraws (204) and revalidates; 404 for a consent of another plan, 409 the second time', async () => {
		const navConsent = (
			await db()
				.select()
				.from(consents)
				.where(and(eq(consents.planId, demo.planId), eq(consents.granteeUserId, demo.userIds.nav)))
		)[0];
		const other = await createPlan(db());
		revalidated.length = 0;
		// The patient of another plan cannot reach this plan's consent through their own plan's address.
		const elsewhere = await call(
			postWithdraw,
			db(),
			other.patient.id,
			{ id: other.planId, consentId: navConsent.id },
			{}
		);
		expect(elsewhere.status).toBe(404);
		expect(revalidated).toEqual([]);

		const res = await withdraw('patient', navConsent.id);
		expect(res.status).toBe(204);
		expect(await res.text()).toBe('');
		expect(revalidated).toEqual([{ planId: demo.planId }]);
		expect((await planAccess(db(), demo.userIds.nav, demo.planId))?.scopes.size).toBe(0);
		const again = await withdraw('coordinator', navConsent.id);
		expect(again.status).toBe(409);
		expect(await again.json()).toMatchObject({ error: 'already_withdrawn' });
	});

	it('serves the access log to the patient, the coordinator and an administrator, and to nobody else', async () => {
		const log = (who: string, planId = demo.planId, query = '') =>
			getAccessLog({
				params: { id: planId },
				url: new URL(`http://localhost/api/plans/${planId}/access-log${query}`),
				request: new Request('http://localhost/'),
				locals: { db: db(), user: null, engine: 'pglite', session: null }
			} as never);
		const as = async (who: string, planId = demo.planId, query = '') => {
			const [user] = await db()
				.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
				.from(users)
				.where(eq(users.id, demo.userIds[who]));
			return getAccessLog({
				params: { id: planId },
				url: new URL(`http://localhost/api/plans/${planId}/access-log${query}`),
				request: new Request('http://localhost/'),
				locals: { db: db(), user, engine: 'pglite', session: null }
			} as never);
		};
		const res = await as('patient');
		expect(res.status).toBe(200);
		const rows = (await res.json()) as {
			at: string;
			actor: { id: string; name: string; service: string | null } | null;
			action: string;
			what: string;
		}[];
		// Newest first: the withdrawal just made, by the patient, about NAV.
		expect(rows[0]).toMatchObject({
			action: 'consent.withdrawn',
			actor: { id: demo.userIds.patient, name: 'Jonas Berg', service: null },
			what: 'Ahmed Karimi'
		});
		expect(Object.keys(rows[0]).sort()).toEqual(['action', 'actor', 'at', 'what']);
		expect(new Date(rows[0].at).getTime()).toBeGreaterThan(Date.now() - 60_000);
		const recorded = rows.find((r) => r.action === 'consent.recorded' && r.what.startsWith('Silje Berg'));
		expect(recorded?.what).toBe('Silje Berg: «Hva er viktig for meg»');

		expect((await log('nobody')).status).toBe(401);
		for (const who of ['nav', 'gp', 'sister', 'outsider']) expect((await as(who)).status, who).toBe(403);
		expect((await as('coordinator')).status).toBe(200);
		expect((await as('admin')).status).toBe(200);
		expect((await as('admin', 'nosuchplan')).status).toBe(404);
		expect((await as('patient', demo.planId, '?page=zero')).status).toBe(400);
		// Each read of the log is itself in the log.
		const reads = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'access_log.read'), eq(auditEvents.planId, demo.planId)));
		expect(reads.map((r) => r.actorId)).toEqual(
			expect.arrayContaining([demo.userIds.patient, demo.userIds.coordinator, demo.userIds.admin])
		);
	});
});
