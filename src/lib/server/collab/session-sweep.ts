import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions } from '../db/schema';
import { CLOSE } from '../../sync/close-codes';
import type { Connection } from './connection';

/**
 * Sessions end on inactivity, also for a socket opened while they were valid. Editing counts as activity
 * (it refreshes the session, as page loads do); a session that is gone or idle too long closes its sockets
 * with 4401. An open tab's presence heartbeat is not activity.
 */
export async function sweepSessions(db: Db, connections: Iterable<Connection>, sessionIdleMs: number): Promise<void> {
	const bySession = new Map<string, Connection[]>();
	for (const c of connections) {
		if (c.closed) continue;
		const group = bySession.get(c.sessionId);
		if (group) group.push(c);
		else bySession.set(c.sessionId, [c]);
	}
	if (bySession.size === 0) return;
	const rows = await db
		.select({ id: sessions.id, lastVerifiedAt: sessions.lastVerifiedAt })
		.from(sessions)
		.where(inArray(sessions.id, [...bySession.keys()]));
	const seen = new Map(rows.map((r) => [r.id, r.lastVerifiedAt.getTime()]));
	const now = Date.now();
	const refresh: string[] = [];
	for (const [sessionId, conns] of bySession) {
		const last = seen.get(sessionId);
		const active = conns.some((c) => c.activeSinceSweep);
		for (const c of conns) c.activeSinceSweep = false;
		if (last !== undefined && active) refresh.push(sessionId);
		else if (last === undefined || now - last >= sessionIdleMs) {
			for (const c of conns) c.close(CLOSE.unauthenticated, 'session ended');
		}
	}
	if (refresh.length > 0)
		await db
			.update(sessions)
			.set({ lastVerifiedAt: new Date(now) })
			.where(inArray(sessions.id, refresh));
}
