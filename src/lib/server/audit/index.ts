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
	| 'admin.service_saved'
	| 'admin.user_saved';

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

/** In this process, appends take turns: the chain is read and extended one row at a time. */
let tail: Promise<unknown> = Promise.resolve();
/** PGlite only (one writer): the last hash, so an append is one insert. */
const lastHashOf = new WeakMap<Db, Uint8Array | null>();

/**
 * Append-only: there is no update or delete in this module, on purpose (and a trigger refuses them). Each row is
 * chained to the one before it: the append reads the last hash and writes its own in turn, so two writers, here
 * or (on PostgreSQL, under an advisory lock) on another node, never fork the chain.
 */
export function recordAudit(db: Db, event: AuditEvent): Promise<void> {
	const run = tail.then(() => append(db, event));
	tail = run.catch(() => {});
	return run;
}

const lastHash = (db: Db) =>
	db
		.select({ hash: auditEvents.hash })
		.from(auditEvents)
		.where(isNotNull(auditEvents.hash))
		.orderBy(desc(auditEvents.id))
		.limit(1)
		.then(([row]) => row?.hash ?? null);

async function append(db: Db, event: AuditEvent): Promise<void> {
	const row = {
		at: new Date(),
		actorId: event.actorId,
		action: event.action,
		planId: event.planId ?? null,
		target: event.target ?? null,
		// As `jsonb` will give it back, so the hash is the same when the row is read again.
		detail: event.detail ? (JSON.parse(JSON.stringify(event.detail)) as Record<string, unknown>) : null
	};
	if (engineOf(db) === 'pglite') {
		const prevHash = lastHashOf.has(db) ? lastHashOf.get(db)! : await lastHash(db);
		const hash = chainHash(prevHash, row);
		await db.insert(auditEvents).values({ ...row, prevHash, hash });
		lastHashOf.set(db, hash);
		return;
	}
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK}::int4, 0)`);
		const prevHash = await lastHash(tx as unknown as Db);
		await tx.insert(auditEvents).values({ ...row, prevHash, hash: chainHash(prevHash, row) });
	});
}
