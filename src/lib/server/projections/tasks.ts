import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import { planMembers, plans, projectedMeasures, serviceStaff, services, users } from '../db/schema';
import { type PlanStatus } from '../../vocabulary';
import { planAccess, type PlanAccess } from '../access/plans';
import { seatIsLive } from '../access/seats';
import { recordAudit } from '../audit';
import { osloDay } from '../oslo-day';

export const TASK_SCOPES = ['mine', 'service', 'coordinator'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export const isTaskScope = (v: unknown): v is TaskScope => (TASK_SCOPES as readonly unknown[]).includes(v);

/** Work still to be done: what a task list shows (declined, counter-proposed, done and cancelled measures are not tasks). */
export const OPEN_STATUSES = ['requested', 'accepted', 'in_progress', 'on_hold'] as const;

/** One measure as `GET /api/tasks` gives it: ids, title, status and due date, nothing more. */
export interface Task {
	planId: string;
	measureId: string;
	title: string;
	serviceId: string | null;
	personId: string | null;
	status: string;
	dueDate: string | null;
}

/** A row of a list page: the task with the names a person reads. */
export interface TaskRow extends Task {
	planTitle: string;
	patientName: string;
	serviceName: string | null;
	personName: string | null;
	statusReason: string;
	/** Due before today (Oslo) and still open. */
	overdue: boolean;
}

export interface PlanDue {
	planId: string;
	planTitle: string;
	patientName: string;
	revisionDate: string;
	status: PlanStatus;
}

/** The coordinator's overview: what needs a look in the plans they coordinate. */
export interface CoordinatorOverview {
	revisionOverdue: PlanDue[];
	noPerson: TaskRow[];
	declined: TaskRow[];
	/** Proposed measures no service has answered yet: whom the coordinator may have to chase (the page only; not a flag in the API). */
	unanswered: TaskRow[];
	waitingWithoutInterim: TaskRow[];
}

/**
 * The plans whose goals and measures this person may read now: a live seat and consent covering `plan`. Checked
 * at every read, so a withdrawn consent or an ended seat takes the plan's rows off every list at once.
 */
export async function readablePlans(db: Db, userId: string, now = new Date()): Promise<Map<string, PlanAccess>> {
	const rows = await db
		.selectDistinct({ planId: planMembers.planId })
		.from(planMembers)
		.where(and(eq(planMembers.userId, userId), seatIsLive(now)));
	const out = new Map<string, PlanAccess>();
	for (const { planId } of rows) {
		const access = await planAccess(db, userId, planId, now);
		if (access && access.docs.plan !== 'none') out.set(planId, access);
	}
	return out;
}

const person = alias(users, 'person');
const patient = alias(users, 'patient');

/** Projected measures of the given plans matching `where`, with names, overdue first and then by due date. */
async function taskRows(db: Db, planIds: string[], where: ReturnType<typeof and>, now: Date): Promise<TaskRow[]> {
	if (planIds.length === 0) return [];
	const today = osloDay(now);
	const rows = await db
		.select({
			planId: projectedMeasures.planId,
			measureId: projectedMeasures.measureId,
			title: projectedMeasures.title,
			serviceId: projectedMeasures.serviceId,
			personId: projectedMeasures.personId,
			status: projectedMeasures.status,
			dueDate: projectedMeasures.dueDate,
			statusReason: projectedMeasures.statusReason,
			planTitle: plans.title,
			patientName: patient.name,
			serviceName: services.name,
			personName: person.name
		})
		.from(projectedMeasures)
		.innerJoin(plans, eq(plans.id, projectedMeasures.planId))
		.innerJoin(patient, eq(patient.id, plans.patientId))
		.leftJoin(services, eq(services.id, projectedMeasures.serviceId))
		.leftJoin(person, eq(person.id, projectedMeasures.personId))
		.where(and(inArray(projectedMeasures.planId, planIds), where))
		.orderBy(
			sql`case when ${projectedMeasures.dueDate} < ${today} and ${projectedMeasures.status} in ('requested','accepted','in_progress','on_hold') then 0 else 1 end`,
			sql`${projectedMeasures.dueDate} asc nulls last`,
			asc(plans.title),
			asc(projectedMeasures.title)
		);
	const open = new Set<string>(OPEN_STATUSES);
	return rows.map((r) => ({ ...r, overdue: !!r.dueDate && r.dueDate < today && open.has(r.status) }));
}

const isOpen = () => inArray(projectedMeasures.status, [...OPEN_STATUSES]);

/** Mine oppgaver: open measures where I am the named person, in every plan I may read. */
export async function myTasks(db: Db, userId: string, now = new Date()): Promise<TaskRow[]> {
	const readable = await readablePlans(db, userId, now);
	return taskRows(db, [...readable.keys()], and(eq(projectedMeasures.personId, userId), isOpen()), now);
}

/** The services a person works in (their staff memberships), by name. */
export async function servicesOf(db: Db, userId: string): Promise<Array<{ id: string; name: string }>> {
	return db
		.select({ id: services.id, name: services.name })
		.from(serviceStaff)
		.innerJoin(services, eq(services.id, serviceStaff.serviceId))
		.where(eq(serviceStaff.userId, userId))
		.orderBy(services.name);
}

/**
 * Vår tjeneste: open measures owned by the services I work in, in the plans I may read; `awaitingAnswer` is the
 * part still proposed, which waits for the service to accept, decline or counter-propose.
 */
export async function serviceTasks(
	db: Db,
	userId: string,
	now = new Date()
): Promise<{ services: Array<{ id: string; name: string }>; owned: TaskRow[]; awaitingAnswer: TaskRow[] }> {
	const mine = await servicesOf(db, userId);
	if (mine.length === 0) return { services: [], owned: [], awaitingAnswer: [] };
	const readable = await readablePlans(db, userId, now);
	const owned = await taskRows(
		db,
		[...readable.keys()],
		and(
			inArray(
				projectedMeasures.serviceId,
				mine.map((s) => s.id)
			),
			isOpen()
		),
		now
	);
	return { services: mine, owned, awaitingAnswer: owned.filter((t) => t.status === 'requested') };
}

/** The plans I coordinate and may read (the municipal coordinator's seat). */
async function coordinatedPlans(db: Db, userId: string, now: Date): Promise<string[]> {
	const readable = await readablePlans(db, userId, now);
	return [...readable.values()].filter((a) => a.roles.has('coordinator') && a.status !== 'closed').map((a) => a.planId);
}

/**
 * The coordinator's overview over the plans they coordinate: plans past their revision date, open measures
 * with no named person, declined measures that wait for the group's decision, measures no service has answered
 * yet, and waiting measures without an interim measure.
 */
export async function coordinatorOverview(
	db: Db,
	userId: string,
	now = new Date()
): Promise<CoordinatorOverview & { planIds: string[] }> {
	const planIds = await coordinatedPlans(db, userId, now);
	if (planIds.length === 0)
		return { planIds, revisionOverdue: [], noPerson: [], declined: [], unanswered: [], waitingWithoutInterim: [] };
	const today = osloDay(now);
	const revisionOverdue = await db
		.select({
			planId: plans.id,
			planTitle: plans.title,
			patientName: patient.name,
			revisionDate: sql<string>`${plans.revisionDate}`,
			status: plans.status
		})
		.from(plans)
		.innerJoin(patient, eq(patient.id, plans.patientId))
		.where(and(inArray(plans.id, planIds), sql`${plans.revisionDate} < ${today}`))
		.orderBy(asc(plans.revisionDate), asc(plans.title));
	const [noPerson, declined, unanswered, waitingWithoutInterim] = await Promise.all([
		taskRows(db, planIds, and(isNull(projectedMeasures.personId), isOpen()), now),
		taskRows(db, planIds, eq(projectedMeasures.status, 'rejected'), now),
		taskRows(db, planIds, eq(projectedMeasures.status, 'requested'), now),
		taskRows(
			db,
			planIds,
			and(eq(projectedMeasures.status, 'on_hold'), sql`btrim(${projectedMeasures.interimMeasure}) = ''`),
			now
		)
	]);
	return { planIds, revisionOverdue, noPerson, declined, unanswered, waitingWithoutInterim };
}

/** A row as the JSON API gives it. */
export const asTask = (r: TaskRow): Task => ({
	planId: r.planId,
	measureId: r.measureId,
	title: r.title,
	serviceId: r.serviceId,
	personId: r.personId,
	status: r.status,
	dueDate: r.dueDate
});

/** The tasks of one scope, as `GET /api/tasks` lists them (the coordinator's: every flagged measure once). */
export async function tasksFor(
	db: Db,
	userId: string,
	scope: TaskScope,
	now = new Date()
): Promise<{ tasks: TaskRow[]; planIds: string[] }> {
	if (scope === 'mine') {
		const tasks = await myTasks(db, userId, now);
		return { tasks, planIds: planIdsOf(tasks) };
	}
	if (scope === 'service') {
		const { owned } = await serviceTasks(db, userId, now);
		return { tasks: owned, planIds: planIdsOf(owned) };
	}
	const overview = await coordinatorOverview(db, userId, now);
	const seen = new Set<string>();
	const tasks = [...overview.noPerson, ...overview.declined, ...overview.waitingWithoutInterim].filter((t) => {
		const key = `${t.planId}/${t.measureId}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	return { tasks, planIds: overview.planIds };
}

export const planIdsOf = (rows: Array<{ planId: string }>): string[] => [...new Set(rows.map((r) => r.planId))];

/**
 * Reading a list reads goals and measures of every plan it shows: each such plan gets a `plan.read` (so the
 * patient's access log shows it), and the list itself a `plan.list`.
 */
export async function auditTaskRead(
	db: Db,
	userId: string,
	scope: TaskScope,
	planIds: string[],
	via: 'page' | 'api'
): Promise<void> {
	await recordAudit(db, { actorId: userId, action: 'plan.list', detail: { tasks: scope, count: planIds.length, via } });
	// Together, so the audit log's batching writes them as one.
	await Promise.all(
		planIds.map((planId) =>
			recordAudit(db, {
				actorId: userId,
				action: 'plan.read',
				planId,
				detail: { parts: ['plan'], via: `tasks:${scope}` }
			})
		)
	);
}
