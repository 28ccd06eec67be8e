import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { consents, planMembers, plans, users } from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import {
	activationGaps,
	changePlanStatus,
	changesFrom,
	DetailsRefused,
	StatusRefused,
	updatePlanDetails,
	type ActivationGap
} from '../../../src/lib/server/plans/lifecycle';
import { startPlan } from '../../../src/lib/server/plans/start';
import { addMember, createUser, type TestUser } from '../collab/fixtures';
import { createService, createStaff, recordPlanConsent, uniqueName } from './fixtures';

const DATES = { periodStart: '2026-01-01', periodEnd: '2026-12-31', revisionDate: '2026-06-30' };

describe.each(engines)('plan lifecycle on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let municipal: string;
	let specialist: string;
	let coordinator: TestUser;

	beforeAll(async () => {
		municipal = await createService(db(), { level: 'municipal' });
		specialist = await createService(db(), { level: 'specialist', kind: 'dps' });
		coordinator = await createStaff(db(), [municipal]);
	});

	/** A draft started by `starter` from `serviceId`, with the dates and consent asked for. */
	async function draft(
		opts: { starter?: string; serviceId?: string | null; dates?: Partial<typeof DATES>; consent?: boolean } = {}
	) {
		const dates = { periodStart: null, periodEnd: null, revisionDate: null, ...(opts.dates ?? DATES) };
		const started = await startPlan(db(), opts.starter ?? coordinator.id, {
			patient: {
				kind: 'new',
				person: { name: uniqueName('Pasient'), birthDate: '1990-01-01', phone: null, email: null, guardianActs: false },
				distinctFrom: 'any'
			},
			title: 'Plan',
			...dates,
			serviceId: opts.serviceId === undefined ? municipal : opts.serviceId
		});
		if (opts.consent ?? true) await recordPlanConsent(db(), started.planId, coordinator.id);
		return started.planId;
	}
	const refusal = (p: Promise<unknown>) =>
		p.then(
			() => null,
			(e: unknown) => e as StatusRefused
		);
	const statusOf = async (planId: string) =>
		(await db().select({ status: plans.status }).from(plans).where(eq(plans.id, planId)))[0].status;

	it('names what a fresh draft lacks, and refuses to activate it', async () => {
		const planId = await draft({ dates: {}, consent: false });
		expect(await activationGaps(db(), planId)).toEqual(['plan_consent', 'period', 'revision_date']);
		const refused = await refusal(changePlanStatus(db(), planId, 'activate'));
		expect(refused).toBeInstanceOf(StatusRefused);
		expect(refused).toMatchObject({
			reason: 'gaps',
			status: 'draft',
			gaps: ['plan_consent', 'period', 'revision_date']
		});
		expect(await statusOf(planId)).toBe('draft');
	});

	const oneMissing: [ActivationGap, () => Promise<string>][] = [
		['plan_consent', () => draft({ consent: false })],
		['municipal_coordinator', () => draft({ serviceId: null })],
		['period', () => draft({ dates: { periodStart: '2026-01-01', revisionDate: '2026-06-30' } })],
		['revision_date', () => draft({ dates: { periodStart: '2026-01-01', periodEnd: '2026-12-31' } })]
	];
	it.each(oneMissing)('refuses activation naming %s when only that is missing', async (gap, make) => {
		const planId = await make();
		expect(await refusal(changePlanStatus(db(), planId, 'activate'))).toMatchObject({ reason: 'gaps', gaps: [gap] });
		expect(await statusOf(planId)).toBe('draft');
	});

	it('counts only a live, municipal coordinator seat held by an active account, and only a live plan consent', async () => {
		// An administrator outside any service starts it: no municipal coordinator has the role.
		const admin = await createStaff(db(), [], { isAdmin: true });
		const byAdmin = await draft({ starter: admin.id, serviceId: null });
		expect(await activationGaps(db(), byAdmin)).toEqual(['municipal_coordinator']);
		// A coordinator seat in a specialist service does not count either.
		const dps = await createStaff(db(), [specialist]);
		await db()
			.insert(planMembers)
			.values({ planId: byAdmin, userId: dps.id, role: 'coordinator', access: 'write', serviceId: specialist });
		expect(await activationGaps(db(), byAdmin)).toEqual(['municipal_coordinator']);
		// A municipal one who has accepted (holds the seat) does.
		const successor = await createStaff(db(), [municipal]);
		await addMember(db(), byAdmin, successor.id, 'coordinator', 'write', []);
		await db()
			.update(planMembers)
			.set({ serviceId: municipal })
			.where(and(eq(planMembers.planId, byAdmin), eq(planMembers.userId, successor.id)));
		expect(await activationGaps(db(), byAdmin)).toEqual([]);
		// Their account disabled, or their seat ended: missing again.
		await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, successor.id));
		expect(await activationGaps(db(), byAdmin)).toEqual(['municipal_coordinator']);
		await db().update(users).set({ disabledAt: null }).where(eq(users.id, successor.id));
		await db()
			.update(planMembers)
			.set({ endedAt: new Date(Date.now() - 1000) })
			.where(and(eq(planMembers.planId, byAdmin), eq(planMembers.userId, successor.id)));
		expect(await activationGaps(db(), byAdmin)).toEqual(['municipal_coordinator']);

		// Consent withdrawn, or expired, or not yet begun: the patient's consent is missing.
		const planId = await draft({ consent: false });
		const withdrawn = await recordPlanConsent(db(), planId, coordinator.id);
		await db()
			.update(consents)
			.set({ withdrawnAt: new Date(), withdrawnBy: coordinator.id })
			.where(eq(consents.id, withdrawn));
		await recordPlanConsent(db(), planId, coordinator.id, {
			validUntil: new Date(Date.now() - 1000),
			validFrom: new Date(Date.now() - 86_400_000)
		});
		await recordPlanConsent(db(), planId, coordinator.id, { validFrom: new Date(Date.now() + 86_400_000) });
		expect(await activationGaps(db(), planId)).toEqual(['plan_consent']);
		await recordPlanConsent(db(), planId, coordinator.id);
		expect(await activationGaps(db(), planId)).toEqual([]);
	});

	it('moves draft → active → resting → active → closed, and nothing moves a closed plan', async () => {
		const planId = await draft();
		expect(changesFrom('draft')).toEqual(['activate', 'close']);
		expect(await refusal(changePlanStatus(db(), planId, 'rest'))).toMatchObject({
			reason: 'not_from_here',
			status: 'draft'
		});
		expect(await changePlanStatus(db(), planId, 'activate')).toEqual({ from: 'draft', to: 'active' });
		expect(await refusal(changePlanStatus(db(), planId, 'activate'))).toMatchObject({
			reason: 'not_from_here',
			status: 'active'
		});
		expect(await changePlanStatus(db(), planId, 'rest')).toEqual({ from: 'active', to: 'resting' });
		expect(await changePlanStatus(db(), planId, 'reactivate')).toEqual({ from: 'resting', to: 'active' });
		expect(await changePlanStatus(db(), planId, 'close')).toEqual({ from: 'active', to: 'closed' });
		expect(changesFrom('closed')).toEqual([]);
		for (const change of ['activate', 'rest', 'reactivate', 'close'] as const) {
			expect(await refusal(changePlanStatus(db(), planId, change))).toMatchObject({
				reason: 'not_from_here',
				status: 'closed'
			});
		}
		expect(await refusal(changePlanStatus(db(), 'no-such-plan', 'close'))).toMatchObject({ reason: 'not_found' });
	});

	it('reactivating a resting plan checks the same things again', async () => {
		const planId = await draft();
		await changePlanStatus(db(), planId, 'activate');
		await changePlanStatus(db(), planId, 'rest');
		await db()
			.update(consents)
			.set({ withdrawnAt: new Date(), withdrawnBy: coordinator.id })
			.where(eq(consents.planId, planId));
		expect(await refusal(changePlanStatus(db(), planId, 'reactivate'))).toMatchObject({
			reason: 'gaps',
			gaps: ['plan_consent']
		});
		expect(await statusOf(planId)).toBe('resting');
	});

	it('closing makes the plan read-only for everyone, documents kept', async () => {
		const planId = await draft();
		const [{ patientId }] = await db().select({ patientId: plans.patientId }).from(plans).where(eq(plans.id, planId));
		const nav = await createUser(db());
		await addMember(db(), planId, nav.id, 'service_provider', 'write');
		await changePlanStatus(db(), planId, 'activate');
		expect((await planAccess(db(), coordinator.id, planId))?.docs).toEqual({
			plan: 'write',
			crisis: 'write',
			voice: 'read'
		});
		expect((await planAccess(db(), patientId, planId))?.docs).toEqual({
			plan: 'write',
			crisis: 'write',
			voice: 'write'
		});
		expect((await planAccess(db(), nav.id, planId))?.docs.plan).toBe('write');

		await changePlanStatus(db(), planId, 'close');
		for (const who of [coordinator.id, patientId, nav.id]) {
			const access = await planAccess(db(), who, planId);
			expect(access?.status).toBe('closed');
			expect(access?.docs).toEqual({ plan: 'read', crisis: 'read', voice: 'read' });
		}
	});

	it('edits title and dates, keeps them on an active plan, and leaves a closed plan alone', async () => {
		const planId = await draft({ dates: {} });
		expect(await updatePlanDetails(db(), planId, { title: 'Plan', ...DATES })).toEqual([
			'periodStart',
			'periodEnd',
			'revisionDate'
		]);
		expect(await updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES })).toEqual(['title']);
		expect(await updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES })).toEqual([]);
		await expect(
			updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES, periodEnd: '2025-12-31' })
		).rejects.toMatchObject({ reason: 'period_order', field: 'periodEnd' });
		// A draft may lose its dates again; an active plan may not.
		expect(await updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES, revisionDate: null })).toEqual([
			'revisionDate'
		]);
		await updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES });
		await changePlanStatus(db(), planId, 'activate');
		await expect(
			updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES, revisionDate: null })
		).rejects.toMatchObject({ reason: 'revision_required', field: 'revisionDate' });
		await expect(
			updatePlanDetails(db(), planId, { title: 'Ny tittel', ...DATES, periodStart: null })
		).rejects.toMatchObject({ reason: 'period_required', field: 'periodStart' });
		await changePlanStatus(db(), planId, 'close');
		const closed = await updatePlanDetails(db(), planId, { title: 'Endret etterpå', ...DATES }).catch((e) => e);
		expect(closed).toBeInstanceOf(DetailsRefused);
		expect(closed).toMatchObject({ reason: 'closed' });
		const [row] = await db().select({ title: plans.title }).from(plans).where(eq(plans.id, planId));
		expect(row.title).toBe('Ny tittel');
	});
});
