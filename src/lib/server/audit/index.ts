import { desc, isNotNull, sql } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { engineOf, type Db } from '../db';
import { chainHash } from './chain';

/** What happened, in stable machine words; the UI translates them. */
export type AuditAction =
	| 'auth.login'
	| 'auth.login_failed'
	| 'auth.logout'
	| 'auth.password_changed'
	| 'auth.invitation_accepted'
	| 'plan.list'
	| 'plan.read'
	| 'plan.denied'
	| 'plan.started'
	| 'plan.updated'
	| 'plan.status_changed'
	| 'plan.exported'
	| 'doc.open'
	| 'doc.denied'
	| 'doc.change'
	| 'member.added'
	| 'member.updated'
	| 'member.ended'
	| 'member.handed_over'
	| 'member.invited'
	| 'role.offered'
	| 'role.answered'
	| 'consent.recorded'
	| 'consent.withdrawn'
	| 'consent.read'
	| 'access_log.read'
	| 'history.read'
	| 'history.restored'
	| 'measure.added'
	| 'measure.answered'
	| 'measure.status_changed'
	| 'measure.followed'
	| 'measure.unfollowed'
	| 'service.proposed'
	| 'meeting.planned'
	| 'meeting.moved'
	| 'meeting.cancelled'
	| 'meeting.read'
	| 'meeting.status_note'
	| 'meeting.agenda_changed'
	| 'meeting.attendance'
	| 'meeting.decided'
	| 'meeting.closed'
	| 'admin.service_saved'
	| 'admin.user_saved'
	| 'contact.read'
	| 'contact.recorded'
	| 'contact.struck'
	| 'contact.flagged'
	| 'contact.flag_cleared'
	| 'application.read'
	| 'application.recorded'
	| 'application.updated'
	| 'meeting.opened'
	| 'archive.requested'
	| 'archive.delivered'
	| 'plan.deleted';

export interface AuditEvent {
	actorId: string | null;
	action: AuditAction;
	planId?: string | null;
	/** The document, service or user acted on: an id, never content. */
	target?: string | null;
	detail?: Record<string, unknown>;
}

/** Namespace of the advisory lock that keeps the hash chain a chain across nodes. */
const CHAIN_LOCK = 0x6661; // "fa"

/** An event waiting for its turn in the chain, with its row as it was when it happened. */
interface Pending {
	row: AuditRow;
	resolve(): void;
	reject(err: unknown): void;
}

type AuditRow = Omit<typeof auditEvents.$inferInsert, 'id' | 'prevHash' | 'hash'>;

/** Per database: events waiting, and whether a batch is being written. */
const queues = new WeakMap<Db, { pending: Pending[]; writing: boolean }>();
/** PGlite only (one writer): the last hash, so an append is one insert. */
const lastHashOf = new WeakMap<Db, Uint8Array | null>();
/** Rows per insert (PostgreSQL takes at most 65,535 parameters in a statement). */
const MAX_BATCH = 500;

/**
 * Append-only: there is no update or delete in this module, on purpose (and a trigger refuses them). Each row is
 * chained to the one before it: a batch reads the last hash once and chains its rows in order, so two writers,
 * here or (on PostgreSQL, under an advisory lock) on another node, never fork the chain. Events that arrive while
 * a batch is being written go into the next one: under load (a reconnect storm, many first edits) that is one
 * lock and one insert for many events instead of one each. Resolves once the event is stored.
 */
export function recordAudit(db: Db, event: AuditEvent): Promise<void> {
	const row: AuditRow = {
		at: new Date(),
		actorId: event.actorId,
		action: event.action,
		planId: event.planId ?? null,
		target: event.target ?? null,
		// As `jsonb` will give it back, so the hash is the same when the row is read again.
		detail: event.detail ? (JSON.parse(JSON.stringify(event.detail)) as Record<string, unknown>) : null
	};
	let queue = queues.get(db);
	if (!queue) queues.set(db, (queue = { pending: [], writing: false }));
	const q = queue;
	return new Promise<void>((resolve, reject) => {
		q.pending.push({ row, resolve, reject });
		if (!q.writing) void drain(db, q);
	});
}

async function drain(db: Db, q: { pending: Pending[]; writing: boolean }): Promise<void> {
	q.writing = true;
	try {
		while (q.pending.length > 0) {
			const batch = q.pending.splice(0, MAX_BATCH);
			try {
				await append(
					db,
					batch.map((p) => p.row)
				);
				for (const p of batch) p.resolve();
			} catch (err) {
				lastHashOf.delete(db);
				for (const p of batch) p.reject(err);
			}
		}
	} finally {
		q.writing = false;
	}
}

const lastHash = (db: Db) =>
	db
		.select({ hash: auditEvents.hash })
		.from(auditEvents)
		.where(isNotNull(auditEvents.hash))
		.orderBy(desc(auditEvents.id))
		.limit(1)
		.then(([row]) => row?.hash ?? null);

/** The rows chained in order after `prevHash`. */
function chained(prevHash: Uint8Array | null, rows: AuditRow[]) {
	const out = [];
	let prev = prevHash;
	for (const row of rows) {
		const hash = chainHash(prev, row as Parameters<typeof chainHash>[1]);
		out.push({ ...row, prevHash: prev, hash });
		prev = hash;
	}
	return { rows: out, last: prev };
}

async function append(db: Db, rows: AuditRow[]): Promise<void> {
	if (engineOf(db) === 'pglite') {
		const prevHash = lastHashOf.has(db) ? lastHashOf.get(db)! : await lastHash(db);
		const c = chained(prevHash, rows);
		await db.insert(auditEvents).values(c.rows);
		lastHashOf.set(db, c.last);
		return;
	}
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK}::int4, 0)`);
		const prevHash = await lastHash(tx as unknown as Db);
		await tx.insert(auditEvents).values(chained(prevHash, rows).rows);
	});
}
