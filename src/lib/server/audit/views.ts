import { and, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { auditEvents, planMembers, plans, services, users } from '../db/schema';
import { type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import { parseLiveDocName } from '../../plan/schema';

/**
 * Reading the access log: who did what, with names joined in. The log holds ids only; names come from the
 * directory at the time of reading. Nothing here reads plan content.
 */

export interface LogActor {
	id: string;
	name: string;
	/** Their seat in the plan the log is about (the most recent one), when there is a plan. */
	role: MemberRole | null;
	serviceName: string | null;
}

/** The person or service an event was about (a consent's grantee, a member added). */
export interface LogSubject {
	type: 'user' | 'service';
	id: string;
	name: string;
}

export interface LogEvent {
	id: number;
	at: Date;
	action: string;
	planId: string | null;
	target: string | null;
	actor: LogActor | null;
	/** The parts of the plan read or changed: `plan`, `crisis`, `voice`. */
	parts: string[];
	subject: LogSubject | null;
	/** `consent.*`: a consent to the plan itself, or a grant of access; with the scopes granted. */
	consentKind: 'plan' | 'access' | null;
	scopes: string[];
	/** Codes and ids only (reasons, counts); never content. */
	detail: Record<string, unknown> | null;
}

export interface LogPage<T> {
	events: T[];
	page: number;
	hasMore: boolean;
}

export const PLAN_LOG_PAGE_SIZE = 50;
export const ADMIN_LOG_PAGE_SIZE = 50;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The log of one plan, newest first, for the patient's "who has seen my plan" and `GET /api/plans/<id>/access-log`. */
export async function planLog(
	db: Db,
	planId: string,
	opts: { page?: number; pageSize?: number } = {}
): Promise<LogPage<LogEvent>> {
	return readLog(db, eq(auditEvents.planId, planId), opts.page ?? 1, opts.pageSize ?? PLAN_LOG_PAGE_SIZE, planId);
}

export interface AdminLogFilter {
	planId?: string | null;
	/** Events by this person, or about them (a consent for them, their seat). */
	personId?: string | null;
	/** Instants: from (inclusive) and to (exclusive). */
	from?: Date | null;
	to?: Date | null;
	page?: number;
	pageSize?: number;
}

/** The whole log for the administrator, filtered by plan, person and time, newest first. */
export async function adminLog(db: Db, filter: AdminLogFilter): Promise<LogPage<LogEvent>> {
	const conditions: SQL[] = [];
	if (filter.planId) conditions.push(eq(auditEvents.planId, filter.planId));
	if (filter.personId)
		conditions.push(or(eq(auditEvents.actorId, filter.personId), eq(auditEvents.target, filter.personId)) as SQL);
	if (filter.from) conditions.push(gte(auditEvents.at, filter.from));
	if (filter.to) conditions.push(lt(auditEvents.at, filter.to));
	return readLog(
		db,
		conditions.length ? and(...conditions) : undefined,
		filter.page ?? 1,
		filter.pageSize ?? ADMIN_LOG_PAGE_SIZE,
		filter.planId ?? null
	);
}

async function readLog(
	db: Db,
	where: SQL | undefined,
	page: number,
	pageSize: number,
	planId: string | null
): Promise<LogPage<LogEvent>> {
	const safePage = Math.max(1, Math.floor(page));
	const rows = await db
		.select({ e: auditEvents, actorName: users.name })
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorId))
		.where(where)
		// The id is the order of appending (the hash chain's order); `at` follows it.
		.orderBy(desc(auditEvents.id))
		.limit(pageSize + 1)
		.offset((safePage - 1) * pageSize);
	const hasMore = rows.length > pageSize;
	const kept = rows.slice(0, pageSize);

	const subjectIds = new Set<string>();
	for (const { e } of kept) for (const id of subjectCandidates(e)) subjectIds.add(id);
	const [names, serviceNames, seats] = await Promise.all([
		subjectIds.size
			? db
					.select({ id: users.id, name: users.name })
					.from(users)
					.where(inArray(users.id, [...subjectIds]))
			: [],
		subjectIds.size
			? db
					.select({ id: services.id, name: services.name })
					.from(services)
					.where(inArray(services.id, [...subjectIds]))
			: [],
		planId ? seatsByUser(db, planId) : new Map<string, Seat>()
	]);
	const userName = new Map(names.map((r) => [r.id, r.name]));
	const serviceName = new Map(serviceNames.map((r) => [r.id, r.name]));

	const events = kept.map(({ e, actorName }): LogEvent => {
		const detail = e.detail ?? null;
		const seat = e.actorId ? seats.get(e.actorId) : undefined;
		return {
			id: e.id,
			at: e.at,
			action: e.action,
			planId: e.planId,
			target: e.target,
			actor: e.actorId
				? { id: e.actorId, name: actorName ?? '', role: seat?.role ?? null, serviceName: seat?.serviceName ?? null }
				: null,
			parts: partsOf(e.action, e.target, detail),
			subject: subjectOf(e, userName, serviceName),
			consentKind: e.action.startsWith('consent.') ? (detail?.kind === 'plan' ? 'plan' : 'access') : null,
			scopes: e.action === 'consent.recorded' ? strings(detail?.scopes) : [],
			detail
		};
	});
	return { events, page: safePage, hasMore };
}

function partsOf(action: string, target: string | null, detail: Record<string, unknown> | null): string[] {
	if (action === 'plan.read' || action === 'plan.exported') return strings(detail?.parts);
	if (action.startsWith('meeting.')) return ['meetings'];
	if ((action.startsWith('doc.') || action === 'history.restored') && target) {
		// A meeting's minutes fall under the meetings part of the consent.
		const doc = parseLiveDocName(target);
		return doc ? [doc.kind === 'meeting' ? 'meetings' : doc.kind] : [];
	}
	return [];
}

/** Ids an event may be about: the target itself, or a grantee named in its detail. */
function subjectCandidates(e: { target: string | null; detail: Record<string, unknown> | null }): string[] {
	return [e.target, str(e.detail?.granteeUserId), str(e.detail?.granteeServiceId), str(e.detail?.userId)].filter(
		(x): x is string => !!x
	);
}

function subjectOf(
	e: { action: string; target: string | null; detail: Record<string, unknown> | null },
	userName: Map<string, string>,
	serviceName: Map<string, string>
): LogSubject | null {
	for (const id of subjectCandidates(e)) {
		const person = userName.get(id);
		if (person !== undefined) return { type: 'user', id, name: person };
		const service = serviceName.get(id);
		if (service !== undefined) return { type: 'service', id, name: service };
	}
	return null;
}

interface Seat {
	role: MemberRole;
	serviceName: string | null;
}

/** Each person's most recent seat in the plan, ended ones too: the log names people who have since left. */
async function seatsByUser(db: Db, planId: string): Promise<Map<string, Seat>> {
	const rows = await db
		.select({ userId: planMembers.userId, role: planMembers.role, serviceName: services.name })
		.from(planMembers)
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(eq(planMembers.planId, planId))
		.orderBy(desc(planMembers.joinedAt));
	const out = new Map<string, Seat>();
	for (const r of rows) if (!out.has(r.userId)) out.set(r.userId, { role: r.role, serviceName: r.serviceName });
	return out;
}

/** One visit, as a person would tell it: the rows of a page load, its live connections and reconnects, taken together. */
export interface LogEntry extends LogEvent {
	/** How many log rows this entry stands for. */
	rows: number;
}

const VISIT_KIND: Record<string, 'read' | 'change' | 'denied'> = {
	'plan.read': 'read',
	'doc.open': 'read',
	'doc.change': 'change',
	'plan.denied': 'denied',
	'doc.denied': 'denied'
};

/** Rows of one kind by one person less than this far apart are one visit. */
export const VISIT_GAP_MS = 10 * 60_000;

/**
 * Opening the plan writes a `plan.read` and a `doc.open` per part; reconnects write more. For the patient's page,
 * consecutive rows of the same kind (reading, changing, being refused) by the same person, each within
 * `VISIT_GAP_MS` of the next, become one entry with the parts together and the time it began. Input newest first.
 */
export function collapseVisits(events: LogEvent[], gapMs = VISIT_GAP_MS): LogEntry[] {
	const out: LogEntry[] = [];
	for (const e of events) {
		const last = out.at(-1);
		const kind = VISIT_KIND[e.action];
		if (
			last &&
			kind &&
			VISIT_KIND[last.action] === kind &&
			last.actor?.id === e.actor?.id &&
			last.at.getTime() - e.at.getTime() <= gapMs
		) {
			for (const p of e.parts) if (!last.parts.includes(p)) last.parts.push(p);
			// A page load says more than a socket: "opened the plan" rather than "opened the crisis plan".
			if (e.action === 'plan.read' || (e.action === 'plan.denied' && last.action === 'doc.denied'))
				last.action = e.action;
			last.at = e.at;
			last.rows++;
			continue;
		}
		out.push({ ...e, parts: [...e.parts], rows: 1 });
	}
	for (const entry of out) entry.parts.sort((a, b) => PART_ORDER.indexOf(a) - PART_ORDER.indexOf(b));
	return out;
}

const PART_ORDER = ['voice', 'plan', 'crisis', 'meetings'];

/** For the administrator's filters: every plan (by id and its patient's name) and every person. */
export async function logFilterChoices(
	db: Db
): Promise<{ plans: { id: string; patientName: string }[]; people: { id: string; name: string }[] }> {
	const [planRows, people] = await Promise.all([
		db
			.select({ id: plans.id, patientName: users.name })
			.from(plans)
			.innerJoin(users, eq(users.id, plans.patientId))
			.orderBy(users.name),
		db.select({ id: users.id, name: users.name }).from(users).orderBy(users.name)
	]);
	return { plans: planRows, people };
}
