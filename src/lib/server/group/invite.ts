import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { planMembers, users } from '../db/schema';
import type { Db } from '../db';
import { newId } from '../id';
import { GroupError } from './errors';
import { createInvitation, type NewInvitation } from './invitations';
import { kindForRole } from '../../group/roles';
import { checkNewSeat, insertSeat, seatNotEnded, type SeatTerms } from './seats';

export const findUserByEmail = async (db: Db, email: string) => {
	const [row] = await db
		.select({
			id: users.id,
			disabledAt: users.disabledAt,
			hasPassword: sql<boolean>`${users.passwordHash} is not null`
		})
		.from(users)
		.where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
		.limit(1);
	return row ?? null;
};

/** Postgres' unique_violation: the e-mail was taken between our check and our insert. */
const isUniqueViolation = (e: unknown) => {
	for (let err = e as { code?: string; cause?: unknown } | undefined; err; err = err.cause as typeof err)
		if (err.code === '23505') return true;
	return false;
};

/**
 * Invites someone who has no account yet: an account without a password (its kind follows the role), a seat in
 * the group, and a single-use link to set a password. All or nothing. What they see still waits for the
 * patient's consent; the access module enforces that.
 */
export async function invitePerson(
	db: Db,
	input: { planId: string; name: string; email: string; terms: SeatTerms; invitedBy: string; now?: Date }
): Promise<{ userId: string; seatId: string; invitation: NewInvitation }> {
	const now = input.now ?? new Date();
	const email = input.email.trim().toLowerCase();
	if (await findUserByEmail(db, email)) throw new GroupError('email_taken', 'email');
	const userId = newId();
	try {
		return await db.transaction(async (tx) => {
			await tx.insert(users).values({
				id: userId,
				name: input.name.trim(),
				email,
				kind: kindForRole(input.terms.role),
				passwordHash: null
			});
			await checkNewSeat(tx, { planId: input.planId, userId, terms: input.terms, now });
			const seatId = await insertSeat(tx, {
				planId: input.planId,
				userId,
				terms: input.terms,
				addedBy: input.invitedBy,
				now
			});
			const invitation = await createInvitation(tx, { userId, planId: input.planId, invitedBy: input.invitedBy, now });
			return { userId, seatId, invitation };
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new GroupError('email_taken', 'email');
		throw e;
	}
}

/**
 * A new link for a member who has an e-mail but has never set a password: the patient registered when the plan
 * started (their account has no password), or someone whose first link expired or was lost. The member is named
 * by their seat (the group page) or by their account (the API); the seat stays as it is. Anyone else (no e-mail, a
 * password already, a disabled account, no seat that has not ended, a live seat in another plan) is `not_found`.
 */
export async function inviteSeatHolder(
	db: Db,
	input: { planId: string; member: { seatId: string } | { userId: string }; invitedBy: string; now?: Date }
): Promise<{ userId: string; name: string; email: string; invitation: NewInvitation }> {
	const now = input.now ?? new Date();
	const which =
		'seatId' in input.member ? eq(planMembers.id, input.member.seatId) : eq(planMembers.userId, input.member.userId);
	const [seat] = await db
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(
			and(
				which,
				eq(planMembers.planId, input.planId),
				seatNotEnded(now),
				isNull(users.passwordHash),
				isNull(users.disabledAt)
			)
		)
		.limit(1);
	if (!seat?.email) throw new GroupError('not_found', 'seatId' in input.member ? 'seatId' : 'userId');
	// The link sets the account's password, and may be shown to the coordinator: an account that also sits in other
	// plans is not this coordinator's to hand out (whoever holds the link would act as that person there too).
	const [elsewhere] = await db
		.select({ planId: planMembers.planId })
		.from(planMembers)
		.where(and(eq(planMembers.userId, seat.userId), ne(planMembers.planId, input.planId), seatNotEnded(now)))
		.limit(1);
	if (elsewhere) throw new GroupError('not_found', 'seatId' in input.member ? 'seatId' : 'userId');
	const invitation = await createInvitation(db, {
		userId: seat.userId,
		planId: input.planId,
		invitedBy: input.invitedBy,
		now
	});
	return { userId: seat.userId, name: seat.name, email: seat.email, invitation };
}
