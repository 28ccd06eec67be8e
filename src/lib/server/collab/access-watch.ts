import type { Db } from '../db';
import { docAccess, type DocAccessAnswer } from '../access/plans';
import { CLOSE } from '../../sync/close-codes';
import type { Connection } from './connection';
import type { CollabLogger } from './types';

export interface RevalidateFilter {
	planId?: string;
	userId?: string;
}

/** Longest timer Node keeps (about 24.8 days); a later change is rechecked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Open sockets follow access as it changes: a revalidation (a consent withdrawn, a seat ended, a plan closed)
 * closes those with none left (4403), downgrades writers who may now only read, and takes the person's current
 * roles and services for the rights inside the document; and each socket is rechecked
 * by itself the moment its access would change with time (a consent or seat that runs out, or begins).
 */
export class AccessWatch {
	private readonly timers = new Map<Connection, ReturnType<typeof setTimeout>>();
	/** Checks may overlap and finish out of order: a socket keeps the answer of the latest one started. */
	private checks = 0;
	private readonly answered = new WeakMap<Connection, number>();

	constructor(
		private readonly db: Db,
		private readonly log: CollabLogger,
		private readonly connections: () => Iterable<Connection>
	) {}

	/** Rechecks `conn` when its access next changes by itself. */
	watch(conn: Connection, changesAt: Date | null): void {
		this.unwatch(conn);
		if (!changesAt || conn.closed) return;
		const timer = setTimeout(
			() => {
				this.timers.delete(conn);
				void this.check([conn]);
			},
			Math.min(MAX_TIMER_MS, Math.max(0, changesAt.getTime() - Date.now()))
		);
		timer.unref?.();
		this.timers.set(conn, timer);
	}

	unwatch(conn: Connection): void {
		const t = this.timers.get(conn);
		if (t) clearTimeout(t);
		this.timers.delete(conn);
	}

	revalidate(filter: RevalidateFilter = {}): Promise<void> {
		const targets = [...this.connections()].filter(
			(c) =>
				!c.closed && (!filter.planId || c.planId === filter.planId) && (!filter.userId || c.userId === filter.userId)
		);
		return this.check(targets);
	}

	close(): void {
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
	}

	private async check(targets: Connection[]): Promise<void> {
		// One lookup per person and document, however many sockets they have open on it.
		const cache = new Map<string, Promise<DocAccessAnswer>>();
		const check = ++this.checks;
		await Promise.all(
			targets.map(async (c) => {
				const key = `${c.userId}\u0000${c.docName}`;
				let pending = cache.get(key);
				if (!pending) {
					pending = docAccess(this.db, c.userId, c.docName);
					cache.set(key, pending);
				}
				const { level, changesAt, actor } = await pending;
				if (c.closed || (this.answered.get(c) ?? 0) > check) return;
				this.answered.set(c, check);
				if (level === 'none') {
					this.log.info({ conn: c.id, user: c.userId, doc: c.docName }, 'collab: access ended, closing');
					c.close(CLOSE.forbidden, 'access ended');
					return;
				}
				// Roles and services may have changed with the seats: the gate checks the next update against these.
				c.actor = actor;
				if (level === 'read' && c.access === 'write') {
					this.log.info({ conn: c.id, user: c.userId, doc: c.docName }, 'collab: downgraded to read');
					c.access = 'read';
				}
				this.watch(c, changesAt);
			})
		);
	}
}
