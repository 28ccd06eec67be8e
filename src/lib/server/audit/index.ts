import { auditEvents } from '../db/schema';
import type { Db } from '../db';

/** What happened, in stable machine words; the UI translates them. */
export type AuditAction =
	| 'auth.login'
	| 'auth.login_failed'
	| 'auth.logout'
	| 'auth.password_changed'
	| 'plan.list'
	| 'plan.read'
	| 'plan.denied'
	| 'doc.open'
	| 'doc.denied'
	| 'doc.change'
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

/** Append-only: there is no update or delete in this module, on purpose. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
	await db.insert(auditEvents).values({
		actorId: event.actorId,
		action: event.action,
		planId: event.planId ?? null,
		target: event.target ?? null,
		detail: event.detail ?? null
	});
}
