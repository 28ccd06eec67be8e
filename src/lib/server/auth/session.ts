import { and, eq, ne } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { sessions, users } from '../db/schema';
import type { Db } from '../db';

export const SESSION_COOKIE = 'session';

/** Refresh `last_verified_at` at most this often, so a busy user costs one write per interval, not per request. */
const ACTIVITY_CHECK_MS = 5 * 60 * 1000;

export interface SessionUser {
	id: string;
	name: string;
	email: string | null;
	kind: 'patient' | 'relative' | 'staff';
	isAdmin: boolean;
}

export interface Session {
	id: string;
	userId: string;
	lastVerifiedAt: Date;
}

function randomSecret(): string {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

/** Sessions per the Lucia guide: token `<id>.<secret>`; only SHA-256(secret) is stored. */
export async function createSession(db: Db, userId: string): Promise<{ token: string; session: Session }> {
	const id = randomSecret();
	const secret = randomSecret();
	const now = new Date();
	await db.insert(sessions).values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastVerifiedAt: now });
	return { token: `${id}.${secret}`, session: { id, userId, lastVerifiedAt: now } };
}

export async function validateSessionToken(
	db: Db,
	token: string | undefined,
	idleTimeoutMs: number,
	/** False for a request that must not count as activity (the wall screen's keep-alive decides that itself). */
	touch = true
): Promise<{ session: Session; user: SessionUser } | null> {
	if (!token) return null;
	const parts = token.split('.');
	if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
	const [id, secret] = parts;
	const rows = await db
		.select({
			id: sessions.id,
			userId: sessions.userId,
			secretHash: sessions.secretHash,
			lastVerifiedAt: sessions.lastVerifiedAt,
			name: users.name,
			email: users.email,
			kind: users.kind,
			isAdmin: users.isAdmin,
			disabledAt: users.disabledAt
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id))
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), row.secretHash)) return null;
	const now = Date.now();
	if (row.disabledAt || now - row.lastVerifiedAt.getTime() >= idleTimeoutMs) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let lastVerifiedAt = row.lastVerifiedAt;
	if (touch && now - lastVerifiedAt.getTime() >= ACTIVITY_CHECK_MS) {
		lastVerifiedAt = new Date(now);
		await db.update(sessions).set({ lastVerifiedAt }).where(eq(sessions.id, id));
	}
	return {
		session: { id: row.id, userId: row.userId, lastVerifiedAt },
		user: { id: row.userId, name: row.name, email: row.email, kind: row.kind, isAdmin: row.isAdmin }
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/**
 * Ends every session of the user except `keepSessionId` (a password change keeps the one that made it).
 * Returns the ended ids, so their open live connections can be closed too.
 */
export async function invalidateOtherSessions(db: Db, userId: string, keepSessionId: string | null): Promise<string[]> {
	const ended = await db
		.delete(sessions)
		.where(
			keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId)
		)
		.returning({ id: sessions.id });
	return ended.map((s) => s.id);
}

/** Reads the `session` cookie from a raw Cookie header (the WebSocket upgrade has no SvelteKit `cookies`). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eqAt = part.indexOf('=');
		if (eqAt < 0) continue;
		if (part.slice(0, eqAt).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eqAt + 1).trim());
	}
	return undefined;
}
