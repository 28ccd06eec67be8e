import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { consents, planMembers, plans } from '../../../src/lib/server/db/schema';
import { coordinatorWarnings, planWarnings } from '../../../src/lib/server/plans/warnings';
import { startPlan } from '../../../src/lib/server/plans/start';
import { createUser, type TestUser } from '../collab/fixtures';
import { createService, createStaff, recordPlanConsent, uniqueName } from './fixtures';

/** 10 March 2026, 11:00 in Oslo. Every check passes `now`, so nothing here depends on the clock. */
const T = new Date('2026-03-10T10:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T.getTime() + days * DAY);

describe.each(engines)('coordinator warnings on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let municipal: string;
	let gpService: string;
	let coordinator: TestUser;

	beforeAll(async () => {
		municipal = await createService(db(), { level: 'municipal', kind: 'mental_health' });
		gpService = await createService(db(), { level: 'municipal', kind: 'gp' });
		coordinator = await createStaff(db(), [municipal], { name: 'Koordinator Kari' });
	});

	/** A plan started at T (active, unless a draft is asked for), with a GP in it unless `gp` is false. */
	async function plan(opts: { gp?: boolean; revisionDate?: string; draft?: boolean } = {}) {
		const started = await startPlan(
			db(),
			coordinator.id,
			{
				patient: {
					kind: 'new',
					person: {
						name: uniqueName('Pasient'),
						birthDate: '1990-01-01',
						phone: null,
						email: null,
						guardianActs: false
					},
					distinctFrom: 'any'
				},
				title: 'Plan',
				periodStart: '2026-03-01',
				periodEnd: '2027-02-28',
				revisionDate: opts.revisionDate ?? '2026-09-01',
				serviceId: municipal
			},
			T
		);
		if (!opts.draft) await db().update(plans).set({ status: 'active' }).where(eq(plans.id, started.planId));
		if (opts.gp ?? true) {
			const gp = await createStaff(db(), [gpService], { name: 'Lege Lene' });
			await db().insert(planMembers).values({
				planId: started.planId,
				userId: gp.id,
				role: 'gp',
				access: 'write',
				serviceId: gpService,
				joinedAt: T
			});
		}
		return started.planId;
	}
	const kinds = async (planId: string, now: Date) => (await planWarnings(db(), planId, now)).map((w) => w.kind);

	it('has nothing to say about a fresh plan with a coordinator and a GP', async () => {
		expect(await planWarnings(db(), await plan(), T)).toEqual([]);
	});

	it('warns when there is no coordinator', async () => {
		const planId = await plan();
		await db()
			.update(planMembers)
			.set({ endedAt: at(1) })
			.where(and(eq(planMembers.planId, planId), eq(planMembers.role, 'coordinator')));
		expect(await kinds(planId, T)).toEqual([]);
		expect(await kinds(planId, at(2))).toEqual(['no_coordinator']);
	});

	it('warns when no GP is in the group, by role or by the service a member comes from', async () => {
		const planId = await plan({ gp: false });
		expect(await kinds(planId, T)).toEqual(['no_gp']);
		const doctor = await createStaff(db(), [gpService]);
		await db().insert(planMembers).values({
			planId,
			userId: doctor.id,
			role: 'service_provider',
			access: 'read',
			serviceId: gpService,
			joinedAt: T
		});
		expect(await kinds(planId, T)).toEqual([]);
	});

	it('warns when a committed period ends within 14 days (not after it ended, not further ahead)', async () => {
		const planId = await plan();
		const dps = await createUser(db(), { name: 'Erik Dahl' });
		await db().insert(planMembers).values({
			planId,
			userId: dps.id,
			role: 'specialist_coordinator',
			access: 'write',
			joinedAt: T,
			committedUntil: '2026-03-25'
		});
		expect(await kinds(planId, T)).toEqual([]); // 15 days ahead
		expect(await planWarnings(db(), planId, at(1))).toEqual([
			{ kind: 'commitment_ending', name: 'Erik Dahl', role: 'specialist_coordinator', until: '2026-03-25' }
		]);
		expect(await kinds(planId, at(15))).toEqual(['commitment_ending']); // the last day
		expect(await kinds(planId, at(16))).toEqual([]); // over
	});

	it('warns when a consent expires within 30 days, naming whom it covers', async () => {
		const planId = await plan();
		const sister = await createUser(db(), { name: 'Silje Berg', kind: 'relative' });
		await db().insert(planMembers).values({ planId, userId: sister.id, role: 'relative', access: 'read', joinedAt: T });
		const base = {
			planId,
			kind: 'access' as const,
			scopes: ['crisis' as const],
			validFrom: at(-10),
			givenBy: 'patient' as const,
			recordedBy: coordinator.id
		};
		const [soon] = await db()
			.insert(consents)
			.values({ ...base, granteeUserId: sister.id, validUntil: at(29) })
			.returning({ id: consents.id });
		await db()
			.insert(consents)
			.values({ ...base, granteeServiceId: gpService, validUntil: at(31) });
		const [withdrawn] = await db()
			.insert(consents)
			.values({
				...base,
				granteeUserId: sister.id,
				validUntil: at(5),
				withdrawnAt: at(-1),
				withdrawnBy: coordinator.id
			})
			.returning({ id: consents.id });
		expect(await planWarnings(db(), planId, T)).toEqual([
			{
				kind: 'consent_expiring',
				consentId: soon.id,
				consentKind: 'access',
				grantee: 'Silje Berg',
				until: '2026-04-08'
			}
		]);
		expect(withdrawn.id).toBeTruthy();
		// A day on, the service's consent is within 30 days too; once expired, neither is a warning (they are gone).
		const later = await planWarnings(db(), planId, at(2));
		expect(later.map((w) => w.kind === 'consent_expiring' && w.grantee)).toEqual([
			'Silje Berg',
			expect.stringMatching(/^Service /)
		]);
		expect(await kinds(planId, at(32))).toEqual([]);
		// The patient's consent to the plan itself.
		await recordPlanConsent(db(), planId, coordinator.id, { validFrom: at(-1), validUntil: at(10) });
		expect(
			(await planWarnings(db(), planId, at(11))).find((w) => w.kind === 'consent_expiring' && w.consentKind === 'plan')
		).toBeUndefined();
		expect(await planWarnings(db(), planId, T)).toContainEqual(
			expect.objectContaining({ kind: 'consent_expiring', consentKind: 'plan', grantee: null, until: '2026-03-20' })
		);
	});

	it('warns when the revision date has passed (the day itself is not late)', async () => {
		const planId = await plan({ revisionDate: '2026-03-10' });
		expect(await kinds(planId, T)).toEqual([]);
		expect(await planWarnings(db(), planId, at(1))).toEqual([{ kind: 'revision_overdue', revisionDate: '2026-03-10' }]);
	});

	it('warns when a draft has waited more than 14 days, and not once it is active', async () => {
		const planId = await plan({ draft: true });
		expect(await kinds(planId, at(14))).toEqual([]);
		expect(await planWarnings(db(), planId, at(15))).toEqual([
			{ kind: 'draft_waiting', since: '2026-03-10', days: 15 }
		]);
		await db().update(plans).set({ status: 'active' }).where(eq(plans.id, planId));
		expect(await kinds(planId, at(15))).toEqual([]);
	});

	it('says nothing about a closed plan', async () => {
		const planId = await plan({ gp: false, revisionDate: '2026-03-01', draft: true });
		expect(await kinds(planId, at(20))).toEqual(['no_gp', 'revision_overdue', 'draft_waiting']);
		await db().update(plans).set({ status: 'closed' }).where(eq(plans.id, planId));
		expect(await planWarnings(db(), planId, at(20))).toEqual([]);
	});

	it('gathers the warnings of the plans a person coordinates for their home page', async () => {
		const own = await createStaff(db(), [municipal]);
		const started = await startPlan(
			db(),
			own.id,
			{
				patient: {
					kind: 'new',
					person: {
						name: uniqueName('Pasient'),
						birthDate: '1990-01-01',
						phone: null,
						email: null,
						guardianActs: false
					},
					distinctFrom: 'any'
				},
				title: 'Min plan',
				periodStart: null,
				periodEnd: null,
				revisionDate: null,
				serviceId: municipal
			},
			T
		);
		const other = await createStaff(db(), [municipal]);
		expect(await coordinatorWarnings(db(), own.id, at(15))).toEqual([
			{
				id: started.planId,
				status: 'draft',
				warnings: [{ kind: 'no_gp' }, { kind: 'draft_waiting', since: '2026-03-10', days: 15 }]
			}
		]);
		expect(await coordinatorWarnings(db(), other.id, at(15))).toEqual([]);
		await db().update(plans).set({ status: 'closed' }).where(eq(plans.id, started.planId));
		expect(await coordinatorWarnings(db(), own.id, at(15))).toEqual([]);
	});
});
