import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createPlan, createUser, type TestPlan, type TestUser } from '../collab/fixtures';
import { createService, createStaff } from './helpers';
import { auditEvents, consents, planMembers, plans, users } from '../../../src/lib/server/db/schema';
import {
	getMembers,
	postInvitation,
	postMember,
	type MembersApiContext
} from '../../../src/lib/server/group/members-api';
import { openInvitation } from '../../../src/lib/server/group/invitations';
import { addSeat } from '../../../src/lib/server/group/seats';
import { smtpMailer, type Mailer } from '../../../src/lib/server/mail/mailer';
import { invitationEmail } from '../../../src/lib/server/mail/invitation-email';
import type { SessionUser } from '../../../src/lib/server/auth/session';
import type { Db } from '../../../src/lib/server/db';

const ORIGIN = 'http://fellesplan.test';

const post = (body: unknown, raw = false) =>
	new Request(`${ORIGIN}/api/plans/x/members`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: raw ? String(body) : JSON.stringify(body)
	});

async function sessionUser(db: Db, user: TestUser, isAdmin = false): Promise<SessionUser> {
	const [row] = await db.select({ email: users.email, kind: users.kind }).from(users).where(eq(users.id, user.id));
	return { id: user.id, name: user.name, email: row.email, kind: row.kind, isAdmin };
}

const emailOf = async (db: Db, userId: string) =>
	(await db.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0].email!;

describe.each(engines)('the members API on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let plan: TestPlan;
	let nav: string;
	let sink: SmtpSink;
	const revalidated: { planId: string }[] = [];
	const context = async (
		who: TestUser | null,
		opts: { mailer?: Mailer | null; admin?: boolean } = {}
	): Promise<MembersApiContext> => ({
		db: db(),
		user: who ? await sessionUser(db(), who, opts.admin) : null,
		planId: plan.planId,
		origin: ORIGIN,
		mailer: opts.mailer ?? null,
		revalidate: async (filter) => void revalidated.push(filter)
	});

	beforeAll(async () => {
		plan = await createPlan(db());
		nav = await createService(db(), { name: 'NAV Testvik' });
		sink = await startSmtpSink();
	});
	afterAll(async () => {
		await sink?.close();
	});

	it('lists the members with the consent that covers each: their own, else their service’s, else none', async () => {
		const viaService = await createStaff(db(), [nav], { name: 'Tjeneste Tove' });
		await addSeat(db(), {
			planId: plan.planId,
			userId: viaService.id,
			terms: { role: 'service_provider', serviceId: nav, access: 'write', committedUntil: '2099-12-31' },
			addedBy: plan.coordinator.id
		});
		const until = new Date('2099-06-30T22:00:00Z');
		const [serviceConsent] = await db()
			.insert(consents)
			.values({
				planId: plan.planId,
				kind: 'access',
				granteeServiceId: nav,
				scopes: ['plan', 'meetings'],
				validFrom: new Date(Date.now() - 60_000),
				validUntil: until,
				givenBy: 'patient',
				recordedBy: plan.coordinator.id
			})
			.returning({ id: consents.id });
		const waiting = await createStaff(db(), [nav], { name: 'Venter Vidar' });
		await addSeat(db(), {
			planId: plan.planId,
			userId: waiting.id,
			terms: { role: 'observer', serviceId: null, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});

		const res = await getMembers(await context(plan.reader));
		expect(res.status).toBe(200);
		const list = (await res.json()) as Record<string, unknown>[];
		const readerOwn = (
			await db()
				.select({ id: consents.id })
				.from(consents)
				.where(and(eq(consents.planId, plan.planId), eq(consents.granteeUserId, plan.reader.id)))
		)[0].id;
		expect(list.find((x) => x.userId === plan.reader.id)).toEqual({
			userId: plan.reader.id,
			name: 'Leser Lars',
			role: 'service_provider',
			serviceId: null,
			access: 'read',
			from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			to: null,
			consent: { id: readerOwn, scopes: ['plan', 'crisis', 'voice', 'meetings'], until: null }
		});
		expect(list.find((x) => x.userId === viaService.id)).toMatchObject({
			role: 'service_provider',
			serviceId: nav,
			to: '2099-12-31',
			consent: { id: serviceConsent.id, scopes: ['plan', 'meetings'], until: until.toISOString() }
		});
		expect(list.find((x) => x.userId === waiting.id)).toMatchObject({ role: 'observer', consent: null });
		expect(list.map((x) => x.userId)).toEqual(expect.arrayContaining([plan.patient.id, plan.coordinator.id]));
		expect(list.map((x) => x.userId)).not.toContain(plan.outsider.id);
		const [read] = await db()
			.select()
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.actorId, plan.reader.id),
					eq(auditEvents.action, 'plan.read'),
					eq(auditEvents.planId, plan.planId)
				)
			);
		expect(read.detail).toMatchObject({ parts: ['members'] });
	});

	it('refuses the list to the logged-out (401), to outsiders (403, logged) and to members waiting for consent (403)', async () => {
		expect((await getMembers(await context(null))).status).toBe(401);
		const res = await getMembers(await context(plan.outsider));
		expect(res.status).toBe(403);
		expect(await res.json()).toMatchObject({ error: 'forbidden' });
		const denied = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.actorId, plan.outsider.id), eq(auditEvents.action, 'plan.denied')));
		expect(denied.length).toBeGreaterThan(0);
		const noConsent = await createUser(db(), { kind: 'relative' });
		await addSeat(db(), {
			planId: plan.planId,
			userId: noConsent.id,
			terms: { role: 'relative', serviceId: null, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});
		expect((await getMembers(await context(noConsent))).status).toBe(403);
	});

	it('lets only the coordinator (or an administrator) add members', async () => {
		const body = { email: 'noen@example.test', role: 'service_provider', access: 'read' };
		expect((await postMember(await context(null), post(body))).status).toBe(401);
		const asReader = await postMember(await context(plan.reader), post(body));
		expect(asReader.status).toBe(403);
		expect((await postMember(await context(plan.patient), post(body))).status).toBe(403);
		expect(await db().select().from(users).where(eq(users.email, 'noen@example.test'))).toEqual([]);
		const admin = await createUser(db());
		const asAdmin = await postMember(
			await context(admin, { admin: true }),
			post({ ...body, email: 'via-admin@example.test' })
		);
		expect(asAdmin.status).toBe(201);
	});

	it('answers a bad body with 400 naming the field, and writes nothing', async () => {
		const ctx = await context(plan.coordinator);
		const cases: [unknown, string | undefined][] = [
			[{ role: 'service_provider', access: 'read' }, 'email'],
			[{ email: 'not-an-address', role: 'service_provider', access: 'read' }, 'email'],
			[{ email: 42, role: 'service_provider', access: 'read' }, 'email'],
			[{ email: 'ok@example.test', role: 'coordinator', access: 'read' }, 'role'],
			[{ email: 'ok@example.test', role: 'patient', access: 'read' }, 'role'],
			[{ email: 'ok@example.test', role: 'service_provider', access: 'admin' }, 'access'],
			[{ email: 'ok@example.test', role: 'service_provider', access: 'read', serviceId: 7 }, 'serviceId'],
			[
				{ email: 'ok@example.test', role: 'service_provider', access: 'read', serviceId: 'no-such-service' },
				'serviceId'
			],
			[{ email: 'ok@example.test', role: 'service_provider', access: 'read', isAdmin: true }, 'isAdmin'],
			[['ok@example.test'], undefined]
		];
		for (const [body, field] of cases) {
			const res = await postMember(ctx, post(body));
			expect(res.status, JSON.stringify(body)).toBe(400);
			const answer = (await res.json()) as { field?: string; message: string };
			expect(answer.field, JSON.stringify(body)).toBe(field);
			if (field) expect(answer.message).toContain(field);
		}
		expect((await postMember(ctx, post('{"email":', true))).status).toBe(400);
		expect(await db().select().from(users).where(eq(users.email, 'ok@example.test'))).toEqual([]);
	});

	it('answers 409 for someone who already has a seat', async () => {
		const res = await postMember(
			await context(plan.coordinator),
			post({ email: (await emailOf(db(), plan.reader.id)).toUpperCase(), role: 'observer', access: 'read' })
		);
		expect(res.status).toBe(409);
		expect(await res.json()).toMatchObject({ error: 'conflict', field: 'email' });
	});

	it('invites an unknown e-mail and, without SMTP, returns the single-use link', async () => {
		revalidated.length = 0;
		const res = await postMember(
			await context(plan.coordinator),
			post({ email: 'Ny.Person@Example.test', role: 'relative', access: 'read', name: 'Ny Person' })
		);
		expect(res.status).toBe(201);
		const body = (await res.json()) as { userId: string; invitation: string };
		expect(Object.keys(body).sort()).toEqual(['invitation', 'userId']);
		const link = new URL(body.invitation);
		expect(link.origin).toBe(ORIGIN);
		expect(link.pathname).toMatch(/^\/invitation\/[a-z2-7]{32}$/);
		expect(await openInvitation(db(), link.pathname.split('/').pop()!)).toMatchObject({
			userId: body.userId,
			planId: plan.planId,
			name: 'Ny Person'
		});
		const [user] = await db().select().from(users).where(eq(users.id, body.userId));
		expect(user).toMatchObject({ email: 'ny.person@example.test', kind: 'relative', passwordHash: null });
		expect(revalidated).toEqual([{ planId: plan.planId }]);
		const events = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.target, body.userId), eq(auditEvents.action, 'member.invited')));
		expect(events[0]).toMatchObject({
			actorId: plan.coordinator.id,
			planId: plan.planId,
			detail: { newAccount: true, emailed: false }
		});
		// Ids only in the log: neither the e-mail nor the link.
		expect(JSON.stringify(events)).not.toContain('example.test');
		expect(JSON.stringify(events)).not.toContain(link.pathname.split('/').pop()!);
	});

	it('adds a known person by e-mail; a new link only for someone who never set a password', async () => {
		const known = await createStaff(db(), [nav]);
		const ctx = await context(plan.coordinator);
		const withPassword = await postMember(
			ctx,
			post({ email: await emailOf(db(), known.id), role: 'service_provider', serviceId: nav, access: 'write' })
		);
		expect(withPassword.status).toBe(201);
		expect(await withPassword.json()).toEqual({ userId: known.id });
		const [seat] = await db()
			.select()
			.from(planMembers)
			.where(and(eq(planMembers.planId, plan.planId), eq(planMembers.userId, known.id)));
		expect(seat).toMatchObject({
			role: 'service_provider',
			serviceId: nav,
			access: 'write',
			addedBy: plan.coordinator.id
		});

		const invitedElsewhere = await createUser(db(), { kind: 'relative' });
		await db().update(users).set({ passwordHash: null }).where(eq(users.id, invitedElsewhere.id));
		const noPassword = await postMember(
			ctx,
			post({ email: await emailOf(db(), invitedElsewhere.id), role: 'relative', access: 'read' })
		);
		expect(((await noPassword.json()) as { invitation?: string }).invitation).toMatch(/\/invitation\//);
	});

	it('with SMTP, e-mails the link (to that address only) and does not return it', async () => {
		const mailer = smtpMailer(sink.url, 'Fellesplan <ikke-svar@fellesplan.test>');
		const before = sink.messages.length;
		const res = await postMember(
			await context(plan.coordinator, { mailer }),
			post({ email: 'epost.mottaker@example.test', role: 'service_provider', access: 'read' })
		);
		expect(res.status).toBe(201);
		const body = (await res.json()) as { userId: string; invitation?: string };
		expect(body.invitation).toBeUndefined();
		await sink.waitFor(before + 1);
		const message = sink.messages[before];
		expect(message.to).toEqual(['epost.mottaker@example.test']);
		const link = /http:\/\/fellesplan\.test\/invitation\/([a-z2-7]+)/.exec(message.parsed.text ?? '');
		expect(link).not.toBeNull();
		expect(await openInvitation(db(), link![1])).toMatchObject({ userId: body.userId });
		const [event] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.target, body.userId), eq(auditEvents.action, 'member.invited')));
		expect(event.detail).toMatchObject({ emailed: true });
	});

	it('sends a member without a password a new link: the coordinator only, and nobody who has one or is not in the group', async () => {
		// Someone registered without a password (as a patient registered with the plan is), with a seat.
		const waiting = await createUser(db(), { kind: 'patient' });
		await db().update(users).set({ passwordHash: null }).where(eq(users.id, waiting.id));
		await addSeat(db(), {
			planId: plan.planId,
			userId: waiting.id,
			terms: { role: 'observer', serviceId: null, access: 'read', committedUntil: null },
			addedBy: plan.coordinator.id
		});

		expect((await postInvitation(await context(null), waiting.id)).status).toBe(401);
		expect((await postInvitation(await context(plan.reader), waiting.id)).status).toBe(403);
		expect((await postInvitation(await context(plan.patient), waiting.id)).status).toBe(403);
		const ctx = await context(plan.coordinator);
		for (const who of [plan.reader.id, plan.outsider.id, 'no-such-person']) {
			const res = await postInvitation(ctx, who);
			expect(res.status, who).toBe(404);
			expect(await res.json()).toMatchObject({ error: 'not_found' });
		}

		const res = await postInvitation(ctx, waiting.id);
		expect(res.status).toBe(201);
		const body = (await res.json()) as { userId: string; invitation: string };
		expect(body.userId).toBe(waiting.id);
		expect(new URL(body.invitation).pathname).toMatch(/^\/invitation\/[a-z2-7]{32}$/);
		expect(await openInvitation(db(), body.invitation.split('/').pop()!)).toMatchObject({
			userId: waiting.id,
			planId: plan.planId
		});
		const [event] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.target, waiting.id), eq(auditEvents.action, 'member.invited')));
		expect(event).toMatchObject({
			actorId: plan.coordinator.id,
			planId: plan.planId,
			detail: { newAccount: false, emailed: false, via: 'api' }
		});
		expect(JSON.stringify(event)).not.toContain(body.invitation.split('/').pop()!);

		// With SMTP the link goes to the member's own address and is not returned.
		const mailer = smtpMailer(sink.url, 'Fellesplan <ikke-svar@fellesplan.test>');
		const before = sink.messages.length;
		const mailed = await postInvitation(await context(plan.coordinator, { mailer }), waiting.id);
		expect(await mailed.json()).toEqual({ userId: waiting.id });
		await sink.waitFor(before + 1);
		expect(sink.messages[before].to).toEqual([await emailOf(db(), waiting.id)]);
	});

	it('sends an e-mail that names neither the patient nor the plan', async () => {
		const named = await createPlan(db());
		const patientName = 'Åse Ødegård-Testesen';
		const title = 'Åses plan for et bedre liv';
		await db().update(users).set({ name: patientName }).where(eq(users.id, named.patient.id));
		await db().update(plans).set({ title }).where(eq(plans.id, named.planId));
		const mailer = smtpMailer(sink.url, 'Fellesplan <ikke-svar@fellesplan.test>');
		const before = sink.messages.length;
		const ctx = { ...(await context(named.coordinator, { mailer })), planId: named.planId };
		expect(
			(
				await postMember(
					ctx,
					post({ email: 'slektning@example.test', role: 'relative', access: 'read', name: 'Slektning Sand' })
				)
			).status
		).toBe(201);
		await sink.waitFor(before + 1);
		const { parsed, raw } = sink.messages[before];
		const everything = [parsed.subject ?? '', parsed.text ?? '', String(parsed.html || ''), raw].join('\n');
		for (const secret of [patientName, 'Åse', 'Ødegård', title, 'bedre liv', 'Koordinator Kari', 'NAV'])
			expect(everything, secret).not.toContain(secret);
		expect(parsed.subject).toContain('Fellesplan');
		expect(parsed.text).toContain('/invitation/');

		// And by construction: the message is made from the address and the link alone.
		expect(invitationEmail.length).toBe(2);
	});
});
