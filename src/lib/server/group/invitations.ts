import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { invitations, users } from '../db/schema';
import type { Db } from '../db';
import { hashPassword } from '../auth/password';
import { MIN_PASSWORD_LENGTH } from '../auth/password-policy';

/** An invitation link works for a week, once. */
export const INVITATION_DAYS = 7;
const MAX_PASSWORD_LENGTH = 1024;

/** Only this hash is stored: the link itself exists in the e-mail (or on the coordinator's screen) alone. */
export function hashInvitationToken(token: string): Uint8Array {
	return sha256(new TextEncoder().encode(token));
}

/** 160 random bits: not guessable, so the lookup by hash needs no throttling. */
function newToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export const invitationPath = (token: string) => `/invitation/${token}`;

export interface NewInvitation {
	id: string;
	token: string;
	expiresAt: Date;
}

/** A new single-use link for a person without a password yet; `planId` says which group invited them. */
export async function createInvitation(
	db: Db,
	input: { userId: string; planId: string | null; invitedBy: string; now?: Date }
): Promise<NewInvitation> {
	const now = input.now ?? new Date();
	const token = newToken();
	const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
	const [row] = await db
		.insert(invitations)
		.values({
			tokenHash: hashInvitationToken(token),
			userId: input.userId,
			planId: input.planId,
			invitedBy: input.invitedBy,
			createdAt: now,
			expiresAt
		})
		.returning({ id: invitations.id });
	return { id: row.id, token, expiresAt };
}

const usable = (token: string, now: Date) =>
	and(
		eq(invitations.tokenHash, hashInvitationToken(token)),
		isNull(invitations.usedAt),
		gt(invitations.expiresAt, now)
	);

/** The invitation behind a link, if it can still be used; expired, used and unknown links all give null. */
export async function openInvitation(
	db: Db,
	token: string,
	now = new Date()
): Promise<{ id: string; userId: string; planId: string | null; name: string; email: string | null } | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const [row] = await db
		.select({
			id: invitations.id,
			userId: invitations.userId,
			planId: invitations.planId,
			name: users.name,
			email: users.email
		})
		.from(invitations)
		.innerJoin(users, eq(users.id, invitations.userId))
		.where(and(usable(token, now), isNull(users.disabledAt)))
		.limit(1);
	return row ?? null;
}

export type PasswordProblem = 'short' | 'long' | 'mismatch';

/** The password policy for a new password (the same as the account page's). */
export function newPasswordProblem(password: string, confirm: string): PasswordProblem | null {
	if (password.length < MIN_PASSWORD_LENGTH) return 'short';
	if (password.length > MAX_PASSWORD_LENGTH) return 'long';
	if (password !== confirm) return 'mismatch';
	return null;
}

/**
 * Uses the link: sets the person's password and marks the invitation used, at most once (a conditional update,
 * so two tabs racing get one winner). The person's other unused links die with it: an old link must not be able
 * to set the password again later. Returns null when the link cannot be used.
 */
export async function acceptInvitation(
	db: Db,
	input: { token: string; password: string; now?: Date }
): Promise<{ userId: string; planId: string | null; invitationId: string } | null> {
	const now = input.now ?? new Date();
	if (!(await openInvitation(db, input.token, now))) return null;
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const [used] = await tx
			.update(invitations)
			.set({ usedAt: now })
			.where(usable(input.token, now))
			.returning({ id: invitations.id, userId: invitations.userId, planId: invitations.planId });
		if (!used) return null;
		await tx.update(users).set({ passwordHash }).where(eq(users.id, used.userId));
		await tx
			.update(invitations)
			.set({ usedAt: now })
			.where(and(eq(invitations.userId, used.userId), ne(invitations.id, used.id), isNull(invitations.usedAt)));
		return { userId: used.userId, planId: used.planId, invitationId: used.id };
	});
}
