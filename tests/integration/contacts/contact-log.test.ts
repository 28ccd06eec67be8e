/**
 * The contact log on both engines, with a real collab server (measure ids are checked against the live plan):
 * recording, who may record and read, strike-out keeping the row, and "three misses in a row" raised and cleared,
 * on the plan and per measure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq, inArray } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, consents, contactEntries, jobs, users } from '../../../src/lib/server/db/schema';
import { GET, POST } from '../../../src/routes/api/plans/[id]/contacts/+server';
import { listAllMeasures, planDocName } from '../../../src/lib/plan';
import {
	followUpAccess,
	FollowUpError,
	listContacts,
	missedInARow,
	recordContact,
	strikeContact,
	toOsloWallTime,
	type ContactInput
} from '../../../src/lib/server/contacts';
import { planWarnings } from '../../../src/lib/server/plans/warnings';
import { withdrawConsent } from '../../../src/lib/server/consent';
import { cleanup, startNode, type TestNode } from '../collab/harness';
import { addMember, createUser } from '../collab/fixtures';

const MINUTE = 60_000;

describe.each(engines)('the contact log on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let measureIds: string[];
	const ctx = () => ({ db: db(), collab: node.collab });
	const record = (who: string, input: ContactInput, now?: Date) =>
		recordContact(ctx(), demo.userIds[who] ?? who, demo.planId, input, now);
	const refusal = async (p: Promise<unknown>) => {
		const err = await p.then(
			() => null,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(FollowUpError);
		return err as FollowUpError;
	};
	/** An Oslo wall time `minutes` before now, as a datetime-local input sends it. */
	const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
	const audits = async (action: string) =>
		db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, action as never), eq(auditEvents.planId, demo.planId)));

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await node.collab.readDocState(planDocName(demo.planId)));
		measureIds = listAllMeasures(doc).map((m) => m.id);
		expect(measureIds.length).toBeGreaterThanOrEqual(2);
	});
	afterAll(cleanup);
	beforeEach(async () => {
		await db().delete(contactEntries);
	});

	it('records an entry by a staff member, with their service, when it happened and a short note; the audit holds ids only', async () => {
		const { id } = await record('act', {
			kind: 'home_visit',
			occurredAt: ago(90),
			measureId: measureIds[0],
			note: '  Hjemme, tok kaffe.\r\nAvtalte ny tid.  '
		});
		const [entry] = await listContacts(db(), demo.planId);
		expect(entry).toMatchObject({
			id,
			kind: 'home_visit',
			measureId: measureIds[0],
			note: 'Hjemme, tok kaffe.\nAvtalte ny tid.',
			recordedBy: { id: demo.userIds.act, name: 'Tone Vik' },
			serviceName: 'ACT-team Fjordregionen',
			struck: null
		});
		expect(Math.abs(entry.occurredAt.getTime() - (Date.now() - 90 * MINUTE))).toBeLessThan(2000);
		const [event] = (await audits('contact.recorded')).filter((e) => e.target === id);
		expect(event.actorId).toBe(demo.userIds.act);
		expect(JSON.stringify(event.detail)).not.toContain('kaffe');

		// Without a time, it is now; an Oslo wall time is read as Oslo's.
		const { id: now } = await record('coordinator', { kind: 'phone' });
		const twoHoursAgo = new Date(Math.floor((Date.now() - 120 * MINUTE) / MINUTE) * MINUTE);
		const { id: wall } = await record('coordinator', { kind: 'sms', occurredAt: toOsloWallTime(twoHoursAgo) });
		const rows = await listContacts(db(), demo.planId);
		expect(Math.abs(rows.find((r) => r.id === now)!.occurredAt.getTime() - Date.now())).toBeLessThan(5000);
		expect(rows.find((r) => r.id === wall)!.occurredAt.toISOString()).toBe(twoHoursAgo.toISOString());
		// Filtered by measure.
		expect((await listContacts(db(), demo.planId, { measureId: measureIds[0] })).map((r) => r.id)).toEqual([id]);
	});

	it('checks every field on the server, naming it, and writes nothing', async () => {
		expect(await refusal(record('act', { kind: 'visited' }))).toMatchObject({ status: 400, field: 'kind' });
		expect(await refusal(record('act', { kind: 42 as never }))).toMatchObject({ status: 400, field: 'kind' });
		expect(
			await refusal(record('act', { kind: 'met', occurredAt: new Date(Date.now() + 60 * MINUTE).toISOString() }))
		).toMatchObject({ status: 400, code: 'future_time', field: 'occurredAt' });
		expect(await refusal(record('act', { kind: 'met', occurredAt: '2026-02-30T10:00' }))).toMatchObject({
			status: 400,
			field: 'occurredAt'
		});
		expect(await refusal(record('act', { kind: 'met', occurredAt: ago(60 * 24 * 400) }))).toMatchObject({
			status: 400,
			code: 'too_old'
		});
		expect(await refusal(record('act', { kind: 'met', measureId: 'no-such-measure' }))).toMatchObject({
			status: 400,
			field: 'measureId'
		});
		expect(await refusal(record('act', { kind: 'met', note: 'x'.repeat(501) }))).toMatchObject({
			status: 400,
			field: 'note'
		});
		expect(await listContacts(db(), demo.planId)).toEqual([]);
	});

	it('lets staff with write access record; the patient reads their own log; readers read; others neither', async () => {
		// A relative with a read seat and consent to the plan reads, records nothing.
		const reader = await createUser(db(), { kind: 'relative' });
		await addMember(db(), demo.planId, reader.id, 'relative', 'read', ['plan']);
		// A staff member whose consent is then withdrawn: nothing at once.
		const staff = await createUser(db(), { kind: 'staff' });
		await addMember(db(), demo.planId, staff.id, 'service_provider', 'write', ['plan']);
		expect((await followUpAccess(db(), staff.id, demo.planId))?.records).toBe(true);
		await record(staff.id, { kind: 'met' });

		expect(await followUpAccess(db(), demo.userIds.patient, demo.planId)).toMatchObject({
			reads: true,
			records: false
		});
		expect(await followUpAccess(db(), reader.id, demo.planId)).toMatchObject({ reads: true, records: false });
		// The sister's consent covers the crisis plan and the meetings, not the plan.
		expect(await followUpAccess(db(), demo.userIds.sister, demo.planId)).toMatchObject({
			reads: false,
			records: false
		});
		expect(await followUpAccess(db(), demo.userIds.outsider, demo.planId)).toBeNull();
		for (const who of ['patient', 'sister', 'outsider'])
			expect(await refusal(record(who, { kind: 'met' }))).toMatchObject({ status: 403 });
		expect(await refusal(record(reader.id, { kind: 'met' }))).toMatchObject({ status: 403 });

		const [grant] = await db()
			.select({ id: consents.id })
			.from(consents)
			.where(and(eq(consents.planId, demo.planId), eq(consents.granteeUserId, staff.id)));
		expect((await withdrawConsent(db(), demo.planId, grant.id, demo.userIds.coordinator)).ok).toBe(true);
		expect(await followUpAccess(db(), staff.id, demo.planId)).toMatchObject({ reads: false, records: false });
		expect(await refusal(record(staff.id, { kind: 'met' }))).toMatchObject({ status: 403 });
		expect((await listContacts(db(), demo.planId)).length).toBe(1);
		// Each refusal is logged.
		const denied = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.denied'), inArray(auditEvents.actorId, [reader.id, staff.id])));
		expect(denied.length).toBeGreaterThanOrEqual(2);
	});

	it('strikes out a wrong entry with a reason: the row stays, shown as struck, once', async () => {
		const { id } = await record('nav', { kind: 'no_show', note: 'Feil person' });
		expect(await refusal(strikeContact(ctx(), demo.userIds.nav, demo.planId, id, '   '))).toMatchObject({
			status: 400,
			field: 'reason'
		});
		expect(await refusal(strikeContact(ctx(), demo.userIds.patient, demo.planId, id, 'Ikke meg'))).toMatchObject({
			status: 403
		});
		expect(await refusal(strikeContact(ctx(), demo.userIds.nav, demo.planId, 'no-such-entry', 'Feil'))).toMatchObject({
			status: 404
		});
		// Another service does not strike NAV's entry; the writer or the coordinator does.
		expect(await refusal(strikeContact(ctx(), demo.userIds.act, demo.planId, id, 'Feil'))).toMatchObject({
			status: 403,
			code: 'not_yours'
		});
		await strikeContact(ctx(), demo.userIds.coordinator, demo.planId, id, 'Registrert på feil plan');
		expect(await refusal(strikeContact(ctx(), demo.userIds.nav, demo.planId, id, 'Igjen'))).toMatchObject({
			status: 409
		});
		const [row] = await listContacts(db(), demo.planId);
		expect(row).toMatchObject({
			id,
			kind: 'no_show',
			note: 'Feil person',
			struck: { byName: 'Ingrid Solberg', reason: 'Registrert på feil plan' }
		});
		expect((await audits('contact.struck')).map((e) => e.target)).toContain(id);

		// The database itself refuses any other change, and a second strike-out.
		const { id: other } = await record('nav', { kind: 'met', note: 'Kaffe' });
		const refused = (p: Promise<unknown>) =>
			p.then(
				() => 'changed',
				() => 'refused'
			);
		expect(
			await refused(db().update(contactEntries).set({ note: 'Omskrevet' }).where(eq(contactEntries.id, other)))
		).toBe('refused');
		expect(
			await refused(db().update(contactEntries).set({ struckReason: 'Ny grunn' }).where(eq(contactEntries.id, id)))
		).toBe('refused');
		expect((await listContacts(db(), demo.planId)).find((r) => r.id === other)?.note).toBe('Kaffe');
	});

	it('flags three misses in a row to the coordinator, once, and clears the flag at the next contact', async () => {
		const before = (await audits('contact.flagged')).length;
		await record('act', { kind: 'no_show', occurredAt: ago(300) });
		await record('act', { kind: 'door_not_opened', occurredAt: ago(200) });
		expect(await missedInARow(db(), demo.planId)).toEqual([]);
		const third = await record('nav', { kind: 'no_show', occurredAt: ago(100) });
		expect(third.raised).toMatchObject([{ measureId: null, count: 3 }]);
		expect(await missedInARow(db(), demo.planId)).toMatchObject([{ measureId: null, count: 3 }]);
		expect((await planWarnings(db(), demo.planId)).filter((w) => w.kind === 'contact_misses')).toMatchObject([
			{ count: 3, measureId: null }
		]);
		expect((await audits('contact.flagged')).length).toBe(before + 1);
		// The coordinator is to be told (a queued notice), once, about the entry that made the third miss; nobody else.
		const told = async () =>
			(await db().select().from(jobs)).filter((j) => j.dedupeKey.startsWith('notice:contacts.three_misses:'));
		expect((await told()).map((j) => j.dedupeKey)).toEqual([
			`notice:contacts.three_misses:${third.id}:${demo.userIds.coordinator}`
		]);

		// A fourth miss keeps the flag (no new event); an SMS is not contact; a visit dated before the misses changes nothing.
		expect((await record('act', { kind: 'door_not_opened', occurredAt: ago(50) })).raised).toEqual([]);
		await record('act', { kind: 'sms', occurredAt: ago(40) });
		await record('act', { kind: 'met', occurredAt: ago(400) });
		expect(await missedInARow(db(), demo.planId)).toMatchObject([{ count: 4 }]);
		expect((await audits('contact.flagged')).length).toBe(before + 1);
		expect(await told()).toHaveLength(1);

		const met = await record('act', { kind: 'met', occurredAt: ago(10) });
		expect(met.cleared).toMatchObject([{ measureId: null }]);
		expect(await missedInARow(db(), demo.planId)).toEqual([]);
		expect((await planWarnings(db(), demo.planId)).some((w) => w.kind === 'contact_misses')).toBe(false);
		expect((await audits('contact.flag_cleared')).length).toBeGreaterThanOrEqual(1);
	});

	it('a struck-out miss no longer counts, and striking it clears the flag', async () => {
		await record('act', { kind: 'no_show', occurredAt: ago(30) });
		await record('act', { kind: 'no_show', occurredAt: ago(20) });
		const { id } = await record('act', { kind: 'no_show', occurredAt: ago(10) });
		expect(await missedInARow(db(), demo.planId)).toHaveLength(1);
		const { cleared } = await strikeContact(ctx(), demo.userIds.act, demo.planId, id, 'Han hadde avlyst på forhånd');
		expect(cleared).toHaveLength(1);
		expect(await missedInARow(db(), demo.planId)).toEqual([]);
		expect(await db().select().from(contactEntries).where(eq(contactEntries.id, id))).toHaveLength(1);
	});

	it('counts a streak per measure: contact elsewhere clears the plan run, not the measure run', async () => {
		const [nav, other] = measureIds;
		await record('nav', { kind: 'no_show', measureId: nav, occurredAt: ago(60) });
		await record('act', { kind: 'home_visit', occurredAt: ago(55) });
		await record('nav', { kind: 'no_show', measureId: nav, occurredAt: ago(50) });
		await record('act', { kind: 'met', measureId: other, occurredAt: ago(45) });
		const raised = await record('nav', { kind: 'door_not_opened', measureId: nav, occurredAt: ago(40) });
		expect(raised.raised).toMatchObject([{ measureId: nav, count: 3 }]);
		expect(await missedInARow(db(), demo.planId)).toMatchObject([{ measureId: nav, count: 3 }]);
		const warning = (await planWarnings(db(), demo.planId)).find((w) => w.kind === 'contact_misses');
		expect(warning).toMatchObject({ measureId: nav, count: 3 });
		const [flag] = await audits('contact.flagged').then((rows) => rows.filter((e) => e.target === nav));
		expect(flag.detail).toMatchObject({ scope: 'measure', count: 3 });

		// Contact on that measure clears it.
		const visit = await record('nav', { kind: 'phone', measureId: nav, occurredAt: ago(5) });
		expect(visit.cleared).toMatchObject([{ measureId: nav }]);
		expect(await missedInARow(db(), demo.planId)).toEqual([]);
	});
});

const RUNTIME = Symbol.for('fellesplan.runtime');
const holder = globalThis as { [RUNTIME]?: unknown };

describe.each(engines)('the contact log API on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	const previous = holder[RUNTIME];

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		holder[RUNTIME] = Promise.resolve({ collab: node.collab });
	});
	afterAll(async () => {
		holder[RUNTIME] = previous;
		await cleanup();
	});

	async function sessionOf(who: string | null) {
		const userId = who ? demo.userIds[who] : null;
		return userId
			? (
					await db()
						.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
						.from(users)
						.where(eq(users.id, userId))
				)[0]
			: null;
	}
	async function post(who: string | null, body: unknown) {
		const request = new Request(`http://localhost/api/plans/${demo.planId}/contacts`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		const response = await POST({
			params: { id: demo.planId },
			request,
			locals: { db: db(), user: await sessionOf(who), engine, session: null }
		} as never);
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}
	async function get(who: string | null) {
		const url = new URL(`http://localhost/api/plans/${demo.planId}/contacts`);
		const response = await GET({
			params: { id: demo.planId },
			url,
			request: new Request(url),
			locals: { db: db(), user: await sessionOf(who), engine, session: null }
		} as never);
		return { status: response.status, body: (await response.json()) as unknown };
	}

	it('records with the same checks as the form (400 naming the field), reads for plan scope only, and reports a raised flag', async () => {
		expect(await post(null, { kind: 'met' })).toMatchObject({ status: 401 });
		expect(await post('act', { kind: 'met', mood: 'good' })).toMatchObject({ status: 400, body: { field: 'mood' } });
		expect(await post('act', { kind: 'visited' })).toMatchObject({ status: 400, body: { field: 'kind' } });
		expect(await post('act', { kind: 'met', occurredAt: 12 })).toMatchObject({
			status: 400,
			body: { field: 'occurredAt' }
		});
		expect(await post('act', { kind: 'met', note: ['x'] })).toMatchObject({ status: 400, body: { field: 'note' } });
		expect(await post('act', { kind: 'met', measureId: 'nope' })).toMatchObject({
			status: 400,
			body: { field: 'measureId' }
		});
		expect(await post('patient', { kind: 'met' })).toMatchObject({ status: 403 });
		expect(await post('act', { kind: 'no_show' })).toMatchObject({ status: 201, body: { flagged: [] } });
		expect(await post('act', { kind: 'no_show' })).toMatchObject({ status: 201 });
		expect(await post('nav', { kind: 'door_not_opened' })).toMatchObject({
			status: 201,
			body: { flagged: [{ measureId: null, count: 3 }] }
		});

		const patient = await get('patient');
		expect(patient.status).toBe(200);
		expect(patient.body).toHaveLength(3);
		expect((patient.body as { kind: string }[])[0]).toMatchObject({
			kind: 'door_not_opened',
			recordedBy: { id: demo.userIds.nav }
		});
		expect(await get('sister')).toMatchObject({ status: 403 });
		expect(await get('outsider')).toMatchObject({ status: 403 });
	});
});
