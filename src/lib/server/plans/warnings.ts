import { and, eq, gt, inArray, isNull, lte, ne } from 'drizzle-orm';
import { consents, planMembers, plans, projectedMeasures, services, users } from '../db/schema';
import { type DecisionOutcome, type MemberRole, type PlanStatus } from '../../vocabulary';
import type { Db } from '../db';
import { liveConsentCondition } from '../access/consent';
import { seatIsLive } from '../access/seats';
import { addDays, daysBetween, osloDay } from '../oslo-day';
import { missedInARow } from '../contacts/flag';
import { recentDecisions } from '../applications/store';

/** How far ahead the coordinator is warned. */
export const WARN_DAYS = { commitment: 14, consent: 30, draft: 14 } as const;

/** Something the coordinator should look at. Plain data (calendar days as `YYYY-MM-DD`), translated by the page. */
export type PlanWarning =
	| { kind: 'no_coordinator' }
	| { kind: 'no_gp' }
	| { kind: 'commitment_ending'; name: string; role: MemberRole; until: string }
	| {
			kind: 'consent_expiring';
			consentId: string;
			consentKind: 'plan' | 'access';
			grantee: string | null;
			until: string;
	  }
	| { kind: 'revision_overdue'; revisionDate: string }
	| { kind: 'draft_waiting'; since: string; days: number }
	| { kind: 'contact_misses'; count: number; since: string; measureId: string | null; measureTitle: string | null }
	| { kind: 'decision_arrived'; applicationId: string; what: string; outcome: DecisionOutcome; decidedOn: string };

/**
 * The warnings for one plan at `now`: no coordinator; no GP in the group; a member's committed period ends within
 * 14 days; a consent expires within 30 days; the revision date has passed; a draft has waited more than 14 days;
 * the contact log shows three misses in a row (on the plan or a measure); a decision on an application came in.
 * A closed plan has none. `horizon` widens the look-ahead (a meeting's agenda looks 30 days ahead).
 */
export async function planWarnings(
	db: Db,
	planId: string,
	now = new Date(),
	horizon: { commitment: number; consent: number; draft: number } = WARN_DAYS
): Promise<PlanWarning[]> {
	const [plan] = await db
		.select({ status: plans.status, revisionDate: plans.revisionDate, createdAt: plans.createdAt })
		.from(plans)
		.where(eq(plans.id, planId))
		.limit(1);
	if (!plan || plan.status === 'closed') return [];
	const today = osloDay(now);
	const seats = await db
		.select({
			name: users.name,
			role: planMembers.role,
			serviceKind: services.kind,
			committedUntil: planMembers.committedUntil
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(and(eq(planMembers.planId, planId), seatIsLive(now), isNull(users.disabledAt)))
		.orderBy(users.name);
	const warnings: PlanWarning[] = [];
	if (!seats.some((s) => s.role === 'coordinator')) warnings.push({ kind: 'no_coordinator' });
	if (!seats.some((s) => s.role === 'gp' || s.serviceKind === 'gp')) warnings.push({ kind: 'no_gp' });
	const commitmentHorizon = addDays(today, horizon.commitment);
	for (const s of seats) {
		if (s.committedUntil && s.committedUntil >= today && s.committedUntil <= commitmentHorizon)
			warnings.push({ kind: 'commitment_ending', name: s.name, role: s.role, until: s.committedUntil });
	}
	const expiring = await db
		.select({
			id: consents.id,
			kind: consents.kind,
			validUntil: consents.validUntil,
			userName: users.name,
			serviceName: services.name
		})
		.from(consents)
		.leftJoin(users, eq(users.id, consents.granteeUserId))
		.leftJoin(services, eq(services.id, consents.granteeServiceId))
		.where(
			and(
				eq(consents.planId, planId),
				liveConsentCondition(now),
				gt(consents.validUntil, now),
				lte(consents.validUntil, new Date(now.getTime() + horizon.consent * 86_400_000))
			)
		)
		.orderBy(consents.validUntil);
	for (const c of expiring)
		warnings.push({
			kind: 'consent_expiring',
			consentId: c.id,
			consentKind: c.kind,
			grantee: c.userName ?? c.serviceName ?? null,
			until: osloDay(c.validUntil!)
		});
	if (plan.revisionDate && plan.revisionDate < today)
		warnings.push({ kind: 'revision_overdue', revisionDate: plan.revisionDate });
	if (plan.status === 'draft') {
		const since = osloDay(plan.createdAt);
		const days = daysBetween(since, today);
		if (now.getTime() - plan.createdAt.getTime() > horizon.draft * 86_400_000)
			warnings.push({ kind: 'draft_waiting', since, days });
	}
	// The contact log: misses in a row, so a pattern is seen before anyone quietly gives up; and decisions that came in.
	const runs = await missedInARow(db, planId);
	const measureIds = runs.map((r) => r.measureId).filter((id): id is string => !!id);
	const titles = measureIds.length
		? new Map(
				(
					await db
						.select({ id: projectedMeasures.measureId, title: projectedMeasures.title })
						.from(projectedMeasures)
						.where(and(eq(projectedMeasures.planId, planId), inArray(projectedMeasures.measureId, measureIds)))
				).map((r) => [r.id, r.title])
			)
		: new Map<string, string>();
	for (const r of runs)
		warnings.push({
			kind: 'contact_misses',
			count: r.count,
			since: osloDay(r.since),
			measureId: r.measureId,
			measureTitle: r.measureId ? (titles.get(r.measureId) ?? null) : null
		});
	for (const d of await recentDecisions(db, planId, now))
		if (d.outcome && d.decidedOn)
			warnings.push({
				kind: 'decision_arrived',
				applicationId: d.id,
				what: d.what,
				outcome: d.outcome,
				decidedOn: d.decidedOn
			});
	return warnings;
}

export interface CoordinatedPlan {
	id: string;
	status: PlanStatus;
	warnings: PlanWarning[];
}

/** The plans (not closed) where this person holds a live coordinator seat, each with its warnings: the home page's list. */
export async function coordinatorWarnings(db: Db, userId: string, now = new Date()): Promise<CoordinatedPlan[]> {
	const rows = await db
		.selectDistinct({ id: plans.id, status: plans.status })
		.from(planMembers)
		.innerJoin(plans, eq(plans.id, planMembers.planId))
		.where(
			and(
				eq(planMembers.userId, userId),
				eq(planMembers.role, 'coordinator'),
				seatIsLive(now),
				ne(plans.status, 'closed')
			)
		);
	const out: CoordinatedPlan[] = [];
	for (const r of rows) out.push({ ...r, warnings: await planWarnings(db, r.id, now) });
	return out;
}
