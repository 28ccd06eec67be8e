import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { engines, useTestDatabase } from '../../helpers/services';
import { createPlan, grantConsent, testId, type TestPlan } from '../collab/fixtures';
import { createService } from './helpers';
import { invitations, planMembers, users } from '../../../src/lib/server/db/schema';
import { invitePerson, inviteSeatHolder } from '../../../src/lib/server/group/invite';
import { startPlan } from '../../../src/lib/server/plans/start';
import { endSeat } from '../../../src/lib/server/group/seats';
import {
	acceptInvitation,
	createInvitation,
	hashInvitationToken,
	INVITATION_DAYS,
	newPasswordProblem,
	openInvitation
} from '../../../src/lib/server/group/invitations';
import { loadGroup } from '../../../src/lib/server/group/group';
import { listPlansForUser, planAccess } from '../../../src/lib/server/access/plans';
import { verifyPassword } from '../../../src/lib/server/auth/password';
import { GroupError } from '../../../src/lib/server/group/errors';

const DAY = 86_400_000;

describe.each(engines)('invitations on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let plan: TestPlan;
	let nav: string;
	let n = 0;
	const email = () => `invited-${++n}-${Math.random().toString(36).slice(2, 8)}@example.test`;
	const invite = (opts: { role?: 'service_provider' | 'relative' | 'guardian'; now?: Date; address?: string } = {}) =>
		invitePerson(db(), {
			planId: plan.planId,
			name: 'Nora Ny',
			email: opts.address ?? email(),
			terms: { role: opts.role ?? 'service_provider', serviceId: nav, access: 'write', committedUntil: null },
			invitedBy: plan.coordinator.id,
			now: opts.now
		});

	beforeAll(async () => {
		plan = await createPlan(db());
		nav = await createService(db(), { name: 'NAV Testvik' });
	});

	it('creates an account without a password (kind from the role), a seat and a link stored only as its SHA-256', async () => {
		const address = email();
		const { userId, seatId, invitation } = await invite({ address: address.toUpperCase() });
		const [user] = await db().select().from(users).where(eq(users.id, userId));
		expect(user).toMatchObject({ email: address, name: 'Nora Ny', kind: 'staff', passwordHash: null });
		const [seat] = await db().select().from(planMembers).where(eq(planMembers.id, seatId));
		expect(seat).toMatchObject({
			userId,
			role: 'service_provider',
			serviceId: nav,
			access: 'write',
			addedBy: plan.coordinator.id
		});
		const [row] = await db().select().from(invitations).where(eq(invitations.id, invitation.id));
		expect(Buffer.from(row.tokenHash).equals(Buffer.from(sha256(new TextEncoder().encode(invitation.token))))).toBe(
			true
		);
		// Nothing in the row is the token.
		expect(JSON.stringify(row)).not.toContain(invitation.token);
		expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(INVITATION_DAYS * DAY);
		expect(row).toMatchObject({ userId, planId: plan.planId, invitedBy: plan.coordinator.id, usedAt: null });

		const relative = await invite({ role: 'relative' });
		const [relativeRow] = await db().select({ kind: users.kind }).from(users).where(eq(users.id, relative.userId));
		expect(relativeRow.kind).toBe('relative');
	});

	it('refuses an e-mail that has an account already, and writes nothing', async () => {
		const address = email();
		await invite({ address });
		const before = await db().select().from(users);
		const err = await invite({ address: ` ${address.toUpperCase()} ` }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(GroupError);
		expect(err).toMatchObject({ problem: 'email_taken', field: 'email' });
		expect((await db().select().from(users)).length).toBe(before.length);
	});

	it('shows the invited person as invited and waiting for consent; they reach the plan only once consent covers them', async () => {
		const { userId, invitation } = await invite();
		expect((await loadGroup(db(), plan.planId)).members.find((x) => x.userId === userId)).toMatchObject({
			invited: true,
			awaitingConsent: true
		});
		expect(await acceptInvitation(db(), { token: invitation.token, password: 'et langt nok passord' })).toMatchObject({
			userId,
			planId: plan.planId
		});
		expect((await loadGroup(db(), plan.planId)).members.find((x) => x.userId === userId)).toMatchObject({
			invited: false,
			awaitingConsent: true
		});
		expect(await listPlansForUser(db(), userId)).toEqual([]);
		expect((await planAccess(db(), userId, plan.planId))?.scopes.size).toBe(0);
		await grantConsent(db(), plan.planId, userId, ['plan']);
		expect((await listPlansForUser(db(), userId)).map((p) => p.id)).toEqual([plan.planId]);
	});

	it('sets the password once: the link is single use, and the person’s older links die with it', async () => {
		const { userId, invitation } = await invite();
		const older = await createInvitation(db(), { userId, planId: plan.planId, invitedBy: plan.coordinator.id });
		expect(await openInvitation(db(), invitation.token)).toMatchObject({ userId, name: 'Nora Ny' });
		const accepted = await acceptInvitation(db(), { token: invitation.token, password: 'første passord her' });
		expect(accepted?.userId).toBe(userId);
		const [user] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
		expect(await verifyPassword(user.hash!, 'første passord her')).toBe(true);

		expect(await openInvitation(db(), invitation.token)).toBeNull();
		expect(await acceptInvitation(db(), { token: invitation.token, password: 'andre passord her' })).toBeNull();
		expect(await acceptInvitation(db(), { token: older.token, password: 'tredje passord her' })).toBeNull();
		const [after] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
		expect(await verifyPassword(after.hash!, 'første passord her')).toBe(true);
	});

	it('two tabs racing on one link get one winner', async () => {
		const { invitation } = await invite();
		const results = await Promise.all([
			acceptInvitation(db(), { token: invitation.token, password: 'fra fane nummer en' }),
			acceptInvitation(db(), { token: invitation.token, password: 'fra fane nummer to' })
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('expires after seven days; unknown and malformed links are the same "no"', async () => {
		const start = new Date(Date.now() - 8 * DAY);
		const { invitation } = await invite({ now: start });
		expect(await openInvitation(db(), invitation.token, new Date(start.getTime() + 7 * DAY - 1000))).not.toBeNull();
		expect(await openInvitation(db(), invitation.token, new Date(start.getTime() + 7 * DAY))).toBeNull();
		expect(await openInvitation(db(), invitation.token)).toBeNull();
		expect(await acceptInvitation(db(), { token: invitation.token, password: 'for sent uansett' })).toBeNull();
		expect(await openInvitation(db(), 'a'.repeat(32))).toBeNull();
		expect(await openInvitation(db(), "'; drop table users; --")).toBeNull();
		expect(hashInvitationToken('x')).toHaveLength(32);
	});

	it('a disabled account cannot use its link', async () => {
		const { userId, invitation } = await invite();
		await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId));
		expect(await openInvitation(db(), invitation.token)).toBeNull();
		expect(await acceptInvitation(db(), { token: invitation.token, password: 'et langt nok passord' })).toBeNull();
	});

	it('the patient registered with an e-mail when the plan started gets a link from the group, and with it their plan', async () => {
		const address = email();
		const started = await startPlan(db(), plan.coordinator.id, {
			patient: {
				kind: 'new',
				person: { name: `Pia Pasient ${n}`, birthDate: '1990-01-01', phone: null, email: address, guardianActs: false },
				distinctFrom: 'any'
			},
			title: 'Planen til Pia',
			periodStart: null,
			periodEnd: null,
			revisionDate: null,
			serviceId: null
		});
		const card = () =>
			loadGroup(db(), started.planId).then((g) => g.members.find((x) => x.userId === started.patientId)!);
		// No link made yet: not "invited", but a link may be sent.
		expect(await card()).toMatchObject({ role: 'patient', invited: false, canInvite: true });
		const patientSeat = (
			await db()
				.select({ id: planMembers.id })
				.from(planMembers)
				.where(and(eq(planMembers.planId, started.planId), eq(planMembers.userId, started.patientId)))
		)[0].id;

		const sent = await inviteSeatHolder(db(), {
			planId: started.planId,
			member: { seatId: patientSeat },
			invitedBy: plan.coordinator.id
		});
		expect(sent).toMatchObject({ userId: started.patientId, email: address, name: `Pia Pasient ${n}` });
		expect(await card()).toMatchObject({ invited: true, canInvite: true });
		const [row] = await db().select().from(invitations).where(eq(invitations.id, sent.invitation.id));
		expect(row).toMatchObject({
			userId: started.patientId,
			planId: started.planId,
			invitedBy: plan.coordinator.id,
			usedAt: null
		});

		expect(await acceptInvitation(db(), { token: sent.invitation.token, password: 'pias eget passord' })).toMatchObject(
			{ userId: started.patientId }
		);
		expect((await listPlansForUser(db(), started.patientId)).map((p) => p.id)).toEqual([started.planId]);
		// With a password there is nothing more to send.
		expect(await card()).toMatchObject({ invited: false, canInvite: false });
		await expect(
			inviteSeatHolder(db(), {
				planId: started.planId,
				member: { seatId: patientSeat },
				invitedBy: plan.coordinator.id
			})
		).rejects.toMatchObject({ problem: 'not_found', field: 'seatId' });
	});

	it('sends no link for a seat without an e-mail, an ended seat, or a seat of another plan', async () => {
		const other = await createPlan(db());
		const noEmail = testId();
		await db().insert(users).values({ id: noEmail, name: 'Uten E-post', kind: 'patient', passwordHash: null });
		const [withoutEmail] = await db()
			.insert(planMembers)
			.values({ planId: plan.planId, userId: noEmail, role: 'observer', access: 'read' })
			.returning({ id: planMembers.id });
		expect((await loadGroup(db(), plan.planId)).members.find((x) => x.userId === noEmail)).toMatchObject({
			invited: false,
			canInvite: false
		});
		const { seatId: ended } = await invite();
		await endSeat(db(), { planId: plan.planId, seatId: ended });
		const { seatId: elsewhere } = await invite();
		for (const [planId, seatId] of [
			[plan.planId, withoutEmail.id],
			[plan.planId, ended],
			[other.planId, elsewhere],
			[plan.planId, 'no-such-seat']
		]) {
			const before = (await db().select().from(invitations)).length;
			await expect(
				inviteSeatHolder(db(), { planId, member: { seatId }, invitedBy: plan.coordinator.id })
			).rejects.toMatchObject({ problem: 'not_found' });
			expect((await db().select().from(invitations)).length).toBe(before);
		}
		// An invited person (named by account, as the API does) may get a new link; the first works until one is used.
		const { invitation, userId } = await invite();
		const again = await inviteSeatHolder(db(), {
			planId: plan.planId,
			member: { userId },
			invitedBy: plan.coordinator.id
		});
		expect(again.userId).toBe(userId);
		expect(await openInvitation(db(), invitation.token)).not.toBeNull();
		expect(
			await acceptInvitation(db(), { token: again.invitation.token, password: 'den nye lenken vant' })
		).not.toBeNull();
		expect(await openInvitation(db(), invitation.token)).toBeNull();

		// Someone who also sits in another plan: a link that sets their password is not this coordinator's to hand out.
		const { userId: both } = await invite();
		await db()
			.insert(planMembers)
			.values({ planId: other.planId, userId: both, role: 'service_provider', access: 'write' });
		const before = (await db().select().from(invitations)).length;
		await expect(
			inviteSeatHolder(db(), { planId: plan.planId, member: { userId: both }, invitedBy: plan.coordinator.id })
		).rejects.toMatchObject({ problem: 'not_found' });
		expect((await db().select().from(invitations)).length).toBe(before);
	});

	it('holds new passwords to the password policy', () => {
		expect(newPasswordProblem('kort', 'kort')).toBe('short');
		expect(newPasswordProblem('x'.repeat(1025), 'x'.repeat(1025))).toBe('long');
		expect(newPasswordProblem('et langt nok passord', 'et annet passord!')).toBe('mismatch');
		expect(newPasswordProblem('et langt nok passord', 'et langt nok passord')).toBeNull();
	});
});
