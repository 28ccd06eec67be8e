import { and, eq, isNull } from 'drizzle-orm';
import { consents, planMembers, plans, services, users } from '../db/schema';
import { type PlanStatus } from '../../vocabulary';
import type { Db } from '../db';
import { liveConsentCondition } from '../access/consent';
import { seatIsLive } from '../access/seats';
import { periodInOrder, type PlanDates } from './start-input';
import { queueDelivery } from '../archive/deliveries';

/**
 * A plan's life: draft (utkast) → active (aktiv) ⇄ resting (hvilende: "we don't close, we wait for you") →
 * closed (avsluttet, final: read-only for everyone, documents and history kept). A plan becomes active only when
 * nothing in `activationGaps` is missing.
 */
export const ACTIVATION_GAPS = ['plan_consent', 'municipal_coordinator', 'period', 'revision_date'] as const;
export type ActivationGap = (typeof ACTIVATION_GAPS)[number];

/** What is missing before the plan may be active, in the order the page lists it (empty: nothing). */
export async function activationGaps(db: Db, planId: string, now = new Date()): Promise<ActivationGap[]> {
	const [plan] = await db
		.select({ periodStart: plans.periodStart, periodEnd: plans.periodEnd, revisionDate: plans.revisionDate })
		.from(plans)
		.where(eq(plans.id, planId))
		.limit(1);
	if (!plan) return [...ACTIVATION_GAPS];
	// The patient wants a plan: the law gives a plan only to those who do.
	const [consent] = await db
		.select({ id: consents.id })
		.from(consents)
		.where(and(eq(consents.planId, planId), eq(consents.kind, 'plan'), liveConsentCondition(now)))
		.limit(1);
	// A named coordinator from a municipal service holds the role now (an accepted offer ends in such a seat).
	const [coordinator] = await db
		.select({ id: planMembers.id })
		.from(planMembers)
		.innerJoin(services, eq(services.id, planMembers.serviceId))
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(
			and(
				eq(planMembers.planId, planId),
				eq(planMembers.role, 'coordinator'),
				eq(services.level, 'municipal'),
				seatIsLive(now),
				isNull(users.disabledAt)
			)
		)
		.limit(1);
	const gaps: ActivationGap[] = [];
	if (!consent) gaps.push('plan_consent');
	if (!coordinator) gaps.push('municipal_coordinator');
	if (!plan.periodStart || !plan.periodEnd) gaps.push('period');
	if (!plan.revisionDate) gaps.push('revision_date');
	return gaps;
}

export const STATUS_CHANGES = ['activate', 'rest', 'reactivate', 'close'] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

/** Each change, the statuses it starts from and where it leads. */
export const TRANSITIONS: Record<StatusChange, { from: readonly PlanStatus[]; to: PlanStatus }> = {
	activate: { from: ['draft'], to: 'active' },
	rest: { from: ['active'], to: 'resting' },
	reactivate: { from: ['resting'], to: 'active' },
	close: { from: ['draft', 'active', 'resting'], to: 'closed' }
};

/** The changes open to a plan in `status` (none once closed). */
export const changesFrom = (status: PlanStatus): StatusChange[] =>
	STATUS_CHANGES.filter((c) => TRANSITIONS[c].from.includes(status));

export class StatusRefused extends Error {
	constructor(
		readonly reason: 'not_found' | 'not_from_here' | 'gaps',
		readonly status: PlanStatus | null,
		readonly gaps: ActivationGap[] = []
	) {
		super(`status change refused: ${reason}`);
		this.name = 'StatusRefused';
	}
}

/**
 * Changes the plan's status, under a lock on its row so two coordinators cannot both move it. Becoming active
 * (from draft or resting) is refused with the missing items named. Closing queues the plan's delivery to the
 * archive in the same transaction. The caller checks the person's right (`actorId`), then records the change and
 * revalidates live connections (closing makes every document read-only at once).
 */
export async function changePlanStatus(
	db: Db,
	planId: string,
	change: StatusChange,
	actorId: string | null = null,
	now = new Date()
): Promise<{ from: PlanStatus; to: PlanStatus }> {
	return db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		const [plan] = await tx.select({ status: plans.status }).from(plans).where(eq(plans.id, planId)).for('update');
		if (!plan) throw new StatusRefused('not_found', null);
		const { from, to } = TRANSITIONS[change];
		if (!from.includes(plan.status)) throw new StatusRefused('not_from_here', plan.status);
		if (to === 'active') {
			const gaps = await activationGaps(tx, planId, now);
			if (gaps.length) throw new StatusRefused('gaps', plan.status, gaps);
		}
		if (to === 'closed') {
			await tx.update(plans).set({ status: to, closedAt: now }).where(eq(plans.id, planId));
			// The closed plan goes to the municipality's archive; retention counts from `closedAt`.
			await queueDelivery(tx, { planId, reason: 'plan_closed', requestedBy: actorId, now });
		} else await tx.update(plans).set({ status: to }).where(eq(plans.id, planId));
		return { from: plan.status, to };
	});
}

export interface PlanDetails extends PlanDates {
	title: string;
}

export class DetailsRefused extends Error {
	constructor(
		readonly reason: 'not_found' | 'closed' | 'period_order' | 'period_required' | 'revision_required',
		readonly field?: keyof PlanDetails
	) {
		super(`plan details refused: ${reason}`);
		this.name = 'DetailsRefused';
	}
}

/**
 * Changes the title, period and revision date. A closed plan is not changed; an active or resting plan keeps a
 * period and a revision date (it became active with them). Returns the names of the fields that changed.
 */
export async function updatePlanDetails(db: Db, planId: string, details: PlanDetails): Promise<(keyof PlanDetails)[]> {
	return db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		const [plan] = await tx
			.select({
				status: plans.status,
				title: plans.title,
				periodStart: plans.periodStart,
				periodEnd: plans.periodEnd,
				revisionDate: plans.revisionDate
			})
			.from(plans)
			.where(eq(plans.id, planId))
			.for('update');
		if (!plan) throw new DetailsRefused('not_found');
		if (plan.status === 'closed') throw new DetailsRefused('closed');
		if (!periodInOrder(details)) throw new DetailsRefused('period_order', 'periodEnd');
		if (plan.status !== 'draft') {
			if (!details.periodStart) throw new DetailsRefused('period_required', 'periodStart');
			if (!details.periodEnd) throw new DetailsRefused('period_required', 'periodEnd');
			if (!details.revisionDate) throw new DetailsRefused('revision_required', 'revisionDate');
		}
		const keys = ['title', 'periodStart', 'periodEnd', 'revisionDate'] as const;
		const changed = keys.filter((k) => plan[k] !== details[k]);
		if (changed.length) await tx.update(plans).set(details).where(eq(plans.id, planId));
		return changed;
	});
}
