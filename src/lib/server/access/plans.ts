import { and, eq } from 'drizzle-orm';
import { meetings, planMembers, plans, users } from '../db/schema';
import {
	type MeetingStatus,
	type Access,
	type ConsentScope,
	type MemberRole,
	type PlanStatus,
	type ServiceKind
} from '../../vocabulary';
import type { Db } from '../db';
import { parseLiveDocName, type DocKind } from '../../plan/schema';
import { writesCrisisPlan, type Actor } from '../../plan/rights';
import { consentCover } from './consent';
import { liveSeats, seatIsLive, type Seat } from './seats';

export type DocAccess = 'none' | 'read' | 'write';

/** Which consent scope a live document falls under. */
export const SCOPE_OF: Record<DocKind, ConsentScope> = { plan: 'plan', crisis: 'crisis', voice: 'voice' };

/** Everything one person may do in one plan, now. */
export interface PlanAccess {
	planId: string;
	status: PlanStatus;
	/** The seat that decides (the most recent live one). */
	seat: Seat;
	role: MemberRole;
	/** Every role the person holds in the plan now (a handover can overlap two seats). */
	roles: Set<MemberRole>;
	/**
	 * Who the person is for the rights inside the plan (`plan/rights.ts`): the roles and services of their live
	 * *writing* seats only. A read-only seat in a service answers nothing and owns no measure.
	 */
	actor: Actor;
	/** What the patient's consent covers for this person. */
	scopes: Set<ConsentScope>;
	docs: Record<DocKind, DocAccess>;
	/** The next moment this answer changes by itself (a consent or seat ends or begins), or null. */
	changesAt: Date | null;
}

/**
 * Who may do what with each document of a plan. No live seat: nothing. Otherwise a document is readable only
 * when consent covers its scope; it is writable with a writing seat (`voice:` only by the patient or a guardian
 * acting for them; `crisis:` only by them, the coordinator and clinical staff, see `writesCrisisPlan`); a closed
 * plan is read-only for everyone. Inside a writable plan document, `plan/rights.ts` decides field by field.
 */
export async function planAccess(db: Db, userId: string, planId: string, now = new Date()): Promise<PlanAccess | null> {
	const seats = await liveSeats(db, userId, planId, now);
	if (seats.length === 0) return null;
	const plan = { status: seats[0].planStatus };
	const cover = await consentCover(db, planId, userId, seats, now);
	const seat = seats[0];
	const writes = plan.status !== 'closed' && seats.some((s) => s.access === 'write');
	const speaksForPatient = seats.some((s) => s.role === 'patient' || s.role === 'guardian');
	const roles = new Set(seats.map((s) => s.role));
	// Only writing seats count towards the crisis plan: a read-only seat in a DPS service writes nothing.
	const writingSeats = seats.filter((s) => s.access === 'write');
	const clinical = writesCrisisPlan(
		new Set(writingSeats.map((s) => s.role)),
		new Set(writingSeats.map((s) => s.serviceKind).filter((k) => !!k) as ServiceKind[])
	);
	const level = (kind: DocKind): DocAccess => {
		if (!cover.scopes.has(SCOPE_OF[kind])) return 'none';
		if (plan.status === 'closed') return 'read';
		if (kind === 'voice') return speaksForPatient ? 'write' : 'read';
		if (kind === 'crisis') return writes && clinical ? 'write' : 'read';
		return writes ? 'write' : 'read';
	};
	const seatEnds = seats.map((s) => s.endsAt).filter((d): d is Date => !!d && d > now);
	const changesAt =
		[cover.changesAt, ...seatEnds].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
	return {
		planId,
		status: plan.status,
		seat,
		role: seat.role,
		roles,
		actor: {
			userId,
			roles: new Set(writingSeats.map((s) => s.role)),
			serviceIds: new Set(writingSeats.map((s) => s.serviceId).filter((id): id is string => !!id))
		},
		scopes: cover.scopes,
		docs: { plan: level('plan'), crisis: level('crisis'), voice: level('voice') },
		changesAt
	};
}

/** The person as the rights inside the plan see them. */
export function actorOf(userId: string, access: Pick<PlanAccess, 'actor'> | null): Actor {
	return access?.actor ?? { userId, roles: new Set(), serviceIds: new Set() };
}

export interface DocAccessAnswer {
	level: DocAccess;
	/** The plan the document belongs to (for a meeting's minutes, the meeting's plan), also when access is refused; null when there is none. */
	planId: string | null;
	changesAt: Date | null;
	/** Roles and services now: the gate checks this person's updates against them. */
	actor: Actor;
}

export async function docAccess(db: Db, userId: string, docName: string, now = new Date()): Promise<DocAccessAnswer> {
	const none: DocAccessAnswer = { level: 'none', planId: null, changesAt: null, actor: actorOf(userId, null) };
	const doc = parseLiveDocName(docName);
	if (!doc) return none;
	if (doc.kind === 'meeting') {
		const [meeting] = await db
			.select({ planId: meetings.planId, status: meetings.status })
			.from(meetings)
			.where(eq(meetings.id, doc.id))
			.limit(1);
		if (!meeting) return none;
		const access = await planAccess(db, userId, meeting.planId, now);
		const level = minutesAccess(access, meeting.status);
		return level === 'none'
			? { ...none, planId: meeting.planId }
			: { level, planId: meeting.planId, changesAt: access!.changesAt, actor: actorOf(userId, access) };
	}
	const access = await planAccess(db, userId, doc.planId, now);
	return access
		? { level: access.docs[doc.kind], planId: doc.planId, changesAt: access.changesAt, actor: actorOf(userId, access) }
		: { ...none, planId: doc.planId };
}

/**
 * A meeting's minutes (`meeting:<id>`): readable by members whose consent covers the meetings; writable by those
 * with a writing seat while the meeting is planned or open; read-only for everyone once it is closed or cancelled
 * (and when the plan is closed). The sync server drops a reader's writes, so a closed meeting's minutes stay as
 * they were adopted.
 */
export function minutesAccess(access: PlanAccess | null, status: MeetingStatus): DocAccess {
	if (!access || !access.scopes.has('meetings')) return 'none';
	if (status === 'closed' || status === 'cancelled' || access.status === 'closed') return 'read';
	return access.actor.roles.size > 0 ? 'write' : 'read';
}

export interface PlanListing {
	id: string;
	title: string;
	status: PlanStatus;
	patientName: string;
	role: MemberRole;
	access: Access;
}

/** The plans a person has a live seat in and consent to see something of: a withdrawn consent takes a plan off the list. */
export async function listPlansForUser(db: Db, userId: string, now = new Date()): Promise<PlanListing[]> {
	const rows = await db
		.select({
			id: plans.id,
			title: plans.title,
			status: plans.status,
			patientName: users.name,
			role: planMembers.role,
			access: planMembers.access
		})
		.from(planMembers)
		.innerJoin(plans, eq(plans.id, planMembers.planId))
		.innerJoin(users, eq(users.id, plans.patientId))
		.where(and(eq(planMembers.userId, userId), seatIsLive(now)))
		.orderBy(plans.title);
	const seen = new Set<string>();
	const out: PlanListing[] = [];
	for (const r of rows) {
		if (seen.has(r.id)) continue;
		seen.add(r.id);
		const access = await planAccess(db, userId, r.id, now);
		if (access && access.scopes.size > 0)
			out.push({
				...r,
				role: access.role,
				access: access.docs.plan === 'write' || access.docs.crisis === 'write' ? 'write' : 'read'
			});
	}
	return out;
}

/** Users with a live seat in the plan (for revalidating their sockets when something plan-wide changes). */
export async function memberIds(db: Db, planId: string, now = new Date()): Promise<string[]> {
	const rows = await db
		.select({ userId: planMembers.userId })
		.from(planMembers)
		.where(and(eq(planMembers.planId, planId), seatIsLive(now)));
	return [...new Set(rows.map((r) => r.userId))];
}
