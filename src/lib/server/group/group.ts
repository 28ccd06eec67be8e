import { asc, eq, sql } from 'drizzle-orm';
import { invitations, planMembers, serviceStaff, services, users } from '../db/schema';
import { type Access, type ConsentScope, type MemberRole, type ServiceLevel } from '../../vocabulary';
import type { Db } from '../db';
import { consentCover } from '../access/consent';
import type { Seat } from '../access/seats';
import { osloDay } from '../oslo-day';

/** A member card: who, their role and service, what the service offers, how to reach them, and for how long. */
export interface MemberCard {
	seatId: string;
	userId: string;
	name: string;
	role: MemberRole;
	access: Access;
	phone: string | null;
	email: string | null;
	title: string | null;
	service: {
		id: string;
		name: string;
		offers: string;
		phone: string | null;
		email: string | null;
		level: ServiceLevel;
	} | null;
	/** Calendar days (Oslo): the committed period, and the last day of a seat that is ending. */
	from: string;
	startsLater: boolean;
	committedUntil: string | null;
	lastDay: string | null;
	/** Who takes the seat over, and from which day (a handover with overlap). */
	successor: { name: string; from: string } | null;
	/** Whom this seat continues. */
	predecessor: { name: string } | null;
	/** What the patient's consent lets this member see; empty: they wait for consent. */
	scopes: ConsentScope[];
	awaitingConsent: boolean;
	/** Invited, and has not set a password yet. */
	invited: boolean;
	/** Has an e-mail and no password (say, the patient registered with the plan): the coordinator may send a link. */
	canInvite: boolean;
}

/** A seat that has ended: the group's history. */
export interface PastSeat {
	seatId: string;
	name: string;
	role: MemberRole;
	serviceName: string | null;
	from: string;
	lastDay: string;
	successorName: string | null;
}

export interface Group {
	members: MemberCard[];
	past: PastSeat[];
}

const ROLE_ORDER: MemberRole[] = [
	'patient',
	'guardian',
	'coordinator',
	'specialist_coordinator',
	'service_provider',
	'gp',
	'relative',
	'observer'
];
/** The patient, a guardian acting for them and the coordinator see the whole plan without a consent of their own. */
const NEEDS_NO_CONSENT = new Set<MemberRole>(['patient', 'guardian', 'coordinator']);

/** The last calendar day of a seat that ends at `endedAt` (an end at midnight belongs to the day before). */
const lastDayOf = (endedAt: Date) => osloDay(new Date(endedAt.getTime() - 1));

/** Every seat of the plan: the members now (and those about to join or leave), and those who were. */
export async function loadGroup(db: Db, planId: string, now = new Date()): Promise<Group> {
	const rows = await db
		.select({
			seatId: planMembers.id,
			userId: planMembers.userId,
			name: users.name,
			phone: users.phone,
			email: users.email,
			// Whether a password is set, never the hash itself; "invited" only once a link was made.
			invited: sql<boolean>`${users.passwordHash} is null and exists (select 1 from ${invitations} where ${invitations.userId} = ${users.id})`,
			canInvite: sql<boolean>`${users.passwordHash} is null and ${users.email} is not null and ${users.disabledAt} is null`,
			role: planMembers.role,
			access: planMembers.access,
			serviceId: planMembers.serviceId,
			joinedAt: planMembers.joinedAt,
			committedUntil: planMembers.committedUntil,
			endedAt: planMembers.endedAt,
			handedOverFrom: planMembers.handedOverFrom,
			serviceName: services.name,
			serviceOffers: services.offers,
			servicePhone: services.phone,
			serviceEmail: services.email,
			serviceLevel: services.level
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(eq(planMembers.planId, planId))
		.orderBy(asc(users.name), asc(planMembers.joinedAt));
	const titles = await db
		.select({ userId: serviceStaff.userId, serviceId: serviceStaff.serviceId, title: serviceStaff.title })
		.from(serviceStaff)
		.innerJoin(planMembers, eq(planMembers.userId, serviceStaff.userId))
		.where(eq(planMembers.planId, planId));
	const titleOf = (userId: string, serviceId: string | null) =>
		titles.find((t) => t.userId === userId && t.serviceId === serviceId)?.title || null;
	const byId = new Map(rows.map((r) => [r.seatId, r]));
	const successorOf = (seatId: string) => rows.find((r) => r.handedOverFrom === seatId);

	const current = rows.filter((r) => !r.endedAt || r.endedAt > now);
	const members: MemberCard[] = [];
	for (const r of current) {
		const next = successorOf(r.seatId);
		const prev = r.handedOverFrom ? byId.get(r.handedOverFrom) : undefined;
		const liveSeats: Seat[] = current
			.filter((s) => s.userId === r.userId && s.joinedAt <= now)
			.map((s) => ({ id: s.seatId, role: s.role, access: s.access, serviceId: s.serviceId, endsAt: s.endedAt }));
		const scopes = liveSeats.length ? [...(await consentCover(db, planId, r.userId, liveSeats, now)).scopes] : [];
		members.push({
			seatId: r.seatId,
			userId: r.userId,
			name: r.name,
			role: r.role,
			access: r.access,
			phone: r.phone,
			email: r.email,
			title: titleOf(r.userId, r.serviceId),
			service:
				r.serviceId && r.serviceName
					? {
							id: r.serviceId,
							name: r.serviceName,
							offers: r.serviceOffers ?? '',
							phone: r.servicePhone,
							email: r.serviceEmail,
							level: r.serviceLevel ?? 'municipal'
						}
					: null,
			from: osloDay(r.joinedAt),
			startsLater: r.joinedAt > now,
			committedUntil: r.committedUntil,
			lastDay: r.endedAt ? lastDayOf(r.endedAt) : null,
			successor: next ? { name: next.name, from: osloDay(next.joinedAt) } : null,
			predecessor: prev ? { name: prev.name } : null,
			scopes,
			awaitingConsent: !NEEDS_NO_CONSENT.has(r.role) && scopes.length === 0,
			invited: r.invited,
			canInvite: r.canInvite
		});
	}
	members.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name, 'nb'));

	const past: PastSeat[] = rows
		.filter((r): r is typeof r & { endedAt: Date } => !!r.endedAt && r.endedAt <= now)
		.sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime())
		.map((r) => ({
			seatId: r.seatId,
			name: r.name,
			role: r.role,
			serviceName: r.serviceName,
			from: osloDay(r.joinedAt),
			lastDay: lastDayOf(r.endedAt),
			successorName: successorOf(r.seatId)?.name ?? null
		}));
	return { members, past };
}
