import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { consents, planMembers, services, users } from '../db/schema';
import { type ConsentGiver, type ConsentScope, type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import { osloDay, osloLastDay } from '../oslo-day';
import type { Grantees } from './grantees';

export type ConsentState = 'live' | 'upcoming' | 'ended' | 'withdrawn';

export type ConsentGrantee =
	| { type: 'user'; id: string; name: string; role: MemberRole | null; serviceName: string | null }
	| { type: 'service'; id: string; name: string };

/** One consent as the consent page shows it: who, what, from and until which day, given and recorded by whom. */
export interface ConsentRecord {
	id: string;
	kind: 'plan' | 'access';
	grantee: ConsentGrantee | null;
	scopes: ConsentScope[];
	/** First day, in Oslo. */
	fromDay: string;
	/** Last day it covers, in Oslo; null: until withdrawn. */
	untilDay: string | null;
	givenBy: ConsentGiver;
	capacityReviewDate: string | null;
	note: string;
	recordedBy: { id: string; name: string };
	recordedAt: Date;
	withdrawnAt: Date | null;
	withdrawnBy: { id: string; name: string } | null;
	state: ConsentState;
}

export function consentState(
	c: { withdrawnAt: Date | null; validFrom: Date; validUntil: Date | null },
	now: Date
): ConsentState {
	if (c.withdrawnAt) return 'withdrawn';
	if (c.validUntil && c.validUntil <= now) return 'ended';
	if (c.validFrom > now) return 'upcoming';
	return 'live';
}

const recorder = alias(users, 'recorder');
const withdrawer = alias(users, 'withdrawer');
const granteeUser = alias(users, 'grantee_user');

/** Every consent of the plan, newest first: the live ones and the history (rows are never deleted). */
export async function listConsents(db: Db, planId: string, now = new Date()): Promise<ConsentRecord[]> {
	const rows = await db
		.select({
			c: consents,
			recorderName: recorder.name,
			withdrawerName: withdrawer.name,
			granteeUserName: granteeUser.name,
			granteeServiceName: services.name
		})
		.from(consents)
		.innerJoin(recorder, eq(recorder.id, consents.recordedBy))
		.leftJoin(withdrawer, eq(withdrawer.id, consents.withdrawnBy))
		.leftJoin(granteeUser, eq(granteeUser.id, consents.granteeUserId))
		.leftJoin(services, eq(services.id, consents.granteeServiceId))
		.where(eq(consents.planId, planId))
		.orderBy(desc(consents.recordedAt), desc(consents.validFrom));
	const seats = await seatsByUser(db, planId);
	return rows.map(({ c, recorderName, withdrawerName, granteeUserName, granteeServiceName }) => {
		let grantee: ConsentGrantee | null = null;
		if (c.granteeUserId) {
			const seat = seats.get(c.granteeUserId);
			grantee = {
				type: 'user',
				id: c.granteeUserId,
				name: granteeUserName ?? '',
				role: seat?.role ?? null,
				serviceName: seat?.serviceName ?? null
			};
		} else if (c.granteeServiceId) {
			grantee = { type: 'service', id: c.granteeServiceId, name: granteeServiceName ?? '' };
		}
		return {
			id: c.id,
			kind: c.kind,
			grantee,
			scopes: c.scopes,
			fromDay: osloDay(c.validFrom),
			untilDay: c.validUntil ? osloLastDay(c.validUntil) : null,
			givenBy: c.givenBy,
			capacityReviewDate: c.capacityReviewDate,
			note: c.note,
			recordedBy: { id: c.recordedBy, name: recorderName },
			recordedAt: c.recordedAt,
			withdrawnAt: c.withdrawnAt,
			withdrawnBy: c.withdrawnBy ? { id: c.withdrawnBy, name: withdrawerName ?? '' } : null,
			state: consentState(c, now)
		};
	});
}

/** Each person's most recent seat in the plan (ended ones too: history names people who have left). */
async function seatsByUser(
	db: Db,
	planId: string
): Promise<Map<string, { role: MemberRole; serviceName: string | null }>> {
	const rows = await db
		.select({ userId: planMembers.userId, role: planMembers.role, serviceName: services.name })
		.from(planMembers)
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(eq(planMembers.planId, planId))
		.orderBy(desc(planMembers.joinedAt));
	const out = new Map<string, { role: MemberRole; serviceName: string | null }>();
	for (const r of rows) if (!out.has(r.userId)) out.set(r.userId, { role: r.role, serviceName: r.serviceName });
	return out;
}

/** Members whose consent does not let them see anything now: the page says so, so nobody wonders why. */
export function membersWithoutConsent(grantees: Grantees, records: ConsentRecord[]): Grantees['people'] {
	const live = records.filter((r) => r.kind === 'access' && r.state === 'live');
	return grantees.people.filter(
		(p) =>
			!live.some(
				(r) =>
					(r.grantee?.type === 'user' && r.grantee.id === p.userId) ||
					(r.grantee?.type === 'service' && r.grantee.id === p.serviceId)
			)
	);
}
