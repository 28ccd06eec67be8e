import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { inArray, sql } from 'drizzle-orm';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Db } from '../db';
import { notifications, sessions } from '../db/schema';
import { sessionTokenFromCookieHeader, validateSessionToken } from '../auth/session';
import { originAllowed } from '../collab/upgrade';
import type { CollabLogger } from '../collab/types';
import { CLOSE } from '../../sync/close-codes';

export const NOTICES_PATH = '/notices';
/** The largest frame a client may send on `/notices` (it has nothing to say; ws closes a bigger one with 1009). */
export const NOTICES_MAX_FRAME_BYTES = 1024;

export interface NoticeHubOptions {
	db: Db;
	log: CollabLogger;
	origin: string | undefined;
	sessionIdleMs: number;
	/** How often this node looks for changes made anywhere (another node's worker, a read on another tab); default 1 s. */
	pollMs?: number;
	/** How often sockets are checked against their sessions (ended, or idle too long): default 60 s. */
	sessionCheckMs?: number;
}

/**
 * `/notices` on the server's WebSocket port: tells a person's open pages that their notices changed. The socket
 * belongs to the session that opened it (there is no user id in the path, so nobody opens another's), and it
 * carries a stamp only — a number that changes — never a notice: the page fetches its count and list over HTTP,
 * where access is checked. Nodes need no fan-out: each looks at the rows of the people connected to it.
 */
export class NoticeHub {
	// The socket only listens: anything a client sends is dropped, so a frame is never allowed to be large.
	private readonly wss = new WebSocketServer({ noServer: true, maxPayload: NOTICES_MAX_FRAME_BYTES });
	private readonly sockets = new Map<string, Set<WebSocket>>();
	private readonly stamps = new Map<string, string>();
	private timer: ReturnType<typeof setInterval> | null = null;
	private polling: Promise<void> | null = null;
	private closed = false;
	/** The session each socket was opened with: it closes (4401) when that session ends. */
	private readonly sessionOf = new WeakMap<WebSocket, string>();
	private lastSessionCheck = Date.now();

	constructor(private readonly opts: NoticeHubOptions) {}

	/** The HTTP `upgrade` handler: false for other paths. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		let path: string;
		try {
			path = new URL(req.url ?? '', 'http://notices.invalid').pathname;
		} catch {
			return false;
		}
		if (path !== NOTICES_PATH) return false;
		socket.on('error', () => {});
		this.authorize(req, socket, head).catch((err) => {
			this.opts.log.error({ err }, 'notices: upgrade failed');
			socket.destroy();
		});
		return true;
	}

	/** A notice for this person was created here: look now rather than at the next poll. */
	poke(_userId: string): void {
		if (this.sockets.size) void this.poll();
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.timer) clearInterval(this.timer);
		await this.polling;
		for (const set of this.sockets.values()) for (const ws of set) ws.close(CLOSE.goingAway, 'server shutting down');
		this.sockets.clear();
		this.wss.close();
	}

	private async authorize(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		const refuse = (code: number, reason: string) =>
			this.wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, reason));
		if (this.closed) return refuse(CLOSE.goingAway, 'server shutting down');
		if (!originAllowed(req.headers.origin, req.headers.host, this.opts.origin))
			return refuse(CLOSE.forbidden, 'origin not allowed');
		const auth = await validateSessionToken(
			this.opts.db,
			sessionTokenFromCookieHeader(req.headers.cookie),
			this.opts.sessionIdleMs
		);
		if (!auth) return refuse(CLOSE.unauthenticated, 'unauthenticated');
		if (socket.destroyed) return;
		const userId = auth.user.id;
		this.wss.handleUpgrade(req, socket, head, (ws) => {
			let set = this.sockets.get(userId);
			if (!set) this.sockets.set(userId, (set = new Set()));
			set.add(ws);
			this.sessionOf.set(ws, auth.session.id);
			ws.on('close', () => {
				set.delete(ws);
				if (set.size === 0) {
					this.sockets.delete(userId);
					this.stamps.delete(userId);
				}
			});
			ws.on('message', () => {}); // the socket only listens
			ws.on('error', () => {});
			const known = this.stamps.get(userId);
			if (known) ws.send(JSON.stringify({ stamp: known }));
			else void this.poll();
			this.timer ??= setInterval(() => void this.poll(), this.opts.pollMs ?? 1000);
			this.timer.unref?.();
		});
	}

	/** One query for every person connected here; a changed stamp goes to their sockets. */
	private poll(): Promise<void> {
		if (this.polling) return this.polling;
		this.polling = this.pollOnce()
			.catch((err) => this.opts.log.error({ err }, 'notices: poll failed'))
			.finally(() => (this.polling = null));
		return this.polling;
	}

	private async pollOnce(): Promise<void> {
		const userIds = [...this.sockets.keys()];
		if (userIds.length === 0 || this.closed) {
			if (this.timer && userIds.length === 0) {
				clearInterval(this.timer);
				this.timer = null;
			}
			return;
		}
		if (Date.now() - this.lastSessionCheck >= (this.opts.sessionCheckMs ?? 60_000)) await this.checkSessions();
		const rows = await this.opts.db
			.select({
				userId: notifications.recipientId,
				unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)`.mapWith(Number),
				total: sql<number>`count(*)`.mapWith(Number),
				last: sql<string>`max(greatest(${notifications.createdAt}, coalesce(${notifications.readAt}, ${notifications.createdAt})))::text`
			})
			.from(notifications)
			.where(inArray(notifications.recipientId, userIds))
			.groupBy(notifications.recipientId);
		const found = new Map(rows.map((r) => [r.userId, `${r.total}.${r.unread}.${r.last}`]));
		for (const userId of userIds) {
			const stamp = found.get(userId) ?? '0.0.0';
			if (this.stamps.get(userId) === stamp) continue;
			this.stamps.set(userId, stamp);
			for (const ws of this.sockets.get(userId) ?? [])
				if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ stamp }));
		}
	}

	/** A socket lives no longer than its session; listening is not activity, so it never extends one. */
	private async checkSessions(): Promise<void> {
		this.lastSessionCheck = Date.now();
		const sockets = [...this.sockets.values()].flatMap((set) => [...set]);
		const ids = [...new Set(sockets.map((ws) => this.sessionOf.get(ws)).filter((id): id is string => !!id))];
		if (ids.length === 0) return;
		const rows = await this.opts.db
			.select({ id: sessions.id, lastVerifiedAt: sessions.lastVerifiedAt })
			.from(sessions)
			.where(inArray(sessions.id, ids));
		const seen = new Map(rows.map((r) => [r.id, r.lastVerifiedAt.getTime()]));
		const now = Date.now();
		for (const ws of sockets) {
			const last = seen.get(this.sessionOf.get(ws) ?? '');
			if (last === undefined || now - last >= this.opts.sessionIdleMs) ws.close(CLOSE.unauthenticated, 'session ended');
		}
	}
}
