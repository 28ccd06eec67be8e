/**
 * Applications (søknader) and their decisions (vedtak): recording, changing, reading, and what a measure waiting
 * on one shows. Access as for the contact log (`followUpAccess`); every change audited by ids only.
 */
import { and, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db';
import { applicationMeasures, applications, services } from '../db/schema';
import { type ApplicationStatus, type DecisionOutcome } from '../../vocabulary';
import { recordAudit } from '../audit';
import { followUpAccess, FollowUpError, type ContactCtx } from '../contacts/access';
import { planMeasureTitles } from '../contacts/plan-measures';
import { osloToday } from '../oslo-day';
import { NEXT_STATUS, validateApplication, type ApplicationInput, type ValidApplication } from './input';

async function requireRecorder(db: Db, userId: string, planId: string, now: Date) {
	const who = await followUpAccess(db, userId, planId, now);
	if (!who?.records) {
		await recordAudit(db, { actorId: userId, action: 'plan.denied', planId });
		throw new FollowUpError(403, 'forbidden');
	}
}

async function validate(
	ctx: ContactCtx,
	planId: string,
	input: ApplicationInput,
	now: Date
): Promise<ValidApplication> {
	const [serviceRows, measures] = await Promise.all([
		ctx.db.select({ id: services.id }).from(services),
		planMeasureTitles(ctx.collab, planId)
	]);
	return validateApplication(input, {
		services: new Set(serviceRows.map((s) => s.id)),
		measureIds: new Set(measures.keys()),
		today: osloToday(now)
	});
}

const columns = (v: ValidApplication) => ({
	what: v.what,
	serviceId: v.serviceId,
	body: v.body,
	appliedOn: v.appliedOn,
	expectedOn: v.expectedOn,
	status: v.status,
	outcome: v.outcome,
	decidedOn: v.decidedOn,
	decisionText: v.decisionText
});

export async function createApplication(
	ctx: ContactCtx,
	userId: string,
	planId: string,
	input: ApplicationInput,
	now = new Date()
): Promise<{ id: string }> {
	await requireRecorder(ctx.db, userId, planId, now);
	const v = await validate(ctx, planId, input, now);
	const id = await ctx.db.transaction(async (tx) => {
		const [row] = await tx
			.insert(applications)
			.values({
				planId,
				...columns(v),
				decisionRecordedAt: v.outcome ? now : null,
				createdBy: userId,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: applications.id });
		if (v.measureIds.length)
			await tx
				.insert(applicationMeasures)
				.values(v.measureIds.map((measureId) => ({ applicationId: row.id, planId, measureId })));
		return row.id;
	});
	await recordAudit(ctx.db, {
		actorId: userId,
		action: 'application.recorded',
		planId,
		target: id,
		detail: { status: v.status }
	});
	return { id };
}

/** Changes an application: its facts, its status (only along `NEXT_STATUS`), its decision, the measures waiting on it. */
export async function updateApplication(
	ctx: ContactCtx,
	userId: string,
	planId: string,
	applicationId: string,
	input: ApplicationInput,
	now = new Date()
): Promise<void> {
	await requireRecorder(ctx.db, userId, planId, now);
	const [current] = await ctx.db
		.select()
		.from(applications)
		.where(
			and(eq(applications.id, typeof applicationId === 'string' ? applicationId : ''), eq(applications.planId, planId))
		)
		.limit(1);
	if (!current) throw new FollowUpError(404, 'not_found', 'applicationId');
	const v = await validate(ctx, planId, input, now);
	if (v.status !== current.status && !NEXT_STATUS[current.status].includes(v.status))
		throw new FollowUpError(409, 'wrong_status', 'status');
	const decisionChanged = v.outcome !== current.outcome || v.decidedOn !== current.decidedOn;
	await ctx.db.transaction(async (tx) => {
		await tx
			.update(applications)
			.set({
				...columns(v),
				decisionRecordedAt: v.outcome ? (decisionChanged ? now : current.decisionRecordedAt) : null,
				updatedBy: userId,
				updatedAt: now
			})
			.where(eq(applications.id, current.id));
		await tx.delete(applicationMeasures).where(eq(applicationMeasures.applicationId, current.id));
		if (v.measureIds.length)
			await tx
				.insert(applicationMeasures)
				.values(v.measureIds.map((measureId) => ({ applicationId: current.id, planId, measureId })));
	});
	await recordAudit(ctx.db, {
		actorId: userId,
		action: 'application.updated',
		planId,
		target: current.id,
		detail: {
			status: v.status,
			...(v.status !== current.status ? { from: current.status } : {}),
			...(decisionChanged && v.outcome ? { decision: v.outcome } : {})
		}
	});
}

export interface ApplicationView {
	id: string;
	what: string;
	serviceId: string | null;
	/** To whom, in words: the service's name or the free-text body. */
	to: string;
	body: string | null;
	appliedOn: string | null;
	expectedOn: string | null;
	status: ApplicationStatus;
	outcome: DecisionOutcome | null;
	decidedOn: string | null;
	decisionText: string | null;
	decisionRecordedAt: Date | null;
	measureIds: string[];
	updatedAt: Date;
}

/** A plan's applications, newest first (the caller has checked that the person may read them). */
export async function listApplications(db: Db, planId: string): Promise<ApplicationView[]> {
	const rows = await db
		.select({ a: applications, serviceName: services.name })
		.from(applications)
		.leftJoin(services, eq(services.id, applications.serviceId))
		.where(eq(applications.planId, planId))
		.orderBy(desc(applications.createdAt));
	const links = rows.length
		? await db
				.select()
				.from(applicationMeasures)
				.where(
					inArray(
						applicationMeasures.applicationId,
						rows.map((r) => r.a.id)
					)
				)
		: [];
	return rows.map(({ a, serviceName }) => ({
		id: a.id,
		what: a.what,
		serviceId: a.serviceId,
		to: serviceName ?? a.body ?? '',
		body: a.body,
		appliedOn: a.appliedOn,
		expectedOn: a.expectedOn,
		status: a.status,
		outcome: a.outcome,
		decidedOn: a.decidedOn,
		decisionText: a.decisionText,
		decisionRecordedAt: a.decisionRecordedAt,
		measureIds: links.filter((l) => l.applicationId === a.id).map((l) => l.measureId),
		updatedAt: a.updatedAt
	}));
}

/** What a measure waiting on an application shows: "Venter på vedtak…" or "Vedtak kom…". */
export interface MeasureWait {
	applicationId: string;
	what: string;
	to: string;
	status: ApplicationStatus;
	appliedOn: string | null;
	outcome: DecisionOutcome | null;
	decidedOn: string | null;
}

/** Per measure, the applications it waits on (withdrawn ones no longer hold anything up). */
export async function measureWaits(db: Db, planId: string): Promise<Record<string, MeasureWait[]>> {
	const rows = await db
		.select({ measureId: applicationMeasures.measureId, a: applications, serviceName: services.name })
		.from(applicationMeasures)
		.innerJoin(applications, eq(applications.id, applicationMeasures.applicationId))
		.leftJoin(services, eq(services.id, applications.serviceId))
		.where(eq(applicationMeasures.planId, planId))
		.orderBy(desc(applications.createdAt));
	const out: Record<string, MeasureWait[]> = {};
	for (const { measureId, a, serviceName } of rows) {
		if (a.status === 'withdrawn') continue;
		(out[measureId] ??= []).push({
			applicationId: a.id,
			what: a.what,
			to: serviceName ?? a.body ?? '',
			status: a.status,
			appliedOn: a.appliedOn,
			outcome: a.outcome,
			decidedOn: a.decidedOn
		});
	}
	return out;
}

/** How long a decision that came in stays among the coordinator's warnings. */
export const DECISION_NEWS_DAYS = 14;

/** Decisions written down in the last `DECISION_NEWS_DAYS` days: the coordinator sees what came in. */
export async function recentDecisions(db: Db, planId: string, now = new Date()) {
	return db
		.select({
			id: applications.id,
			what: applications.what,
			outcome: applications.outcome,
			decidedOn: applications.decidedOn
		})
		.from(applications)
		.where(
			and(
				eq(applications.planId, planId),
				eq(applications.status, 'decided'),
				isNotNull(applications.outcome),
				gte(applications.decisionRecordedAt, new Date(now.getTime() - DECISION_NEWS_DAYS * 86_400_000))
			)
		)
		.orderBy(desc(applications.decisionRecordedAt));
}
