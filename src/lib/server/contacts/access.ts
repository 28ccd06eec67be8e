import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { planAccess, type PlanAccess } from '../access/plans';
import type { CollabServer } from '../collab';

/**
 * Who may read and who may record in a plan's contact log and applications. Both are about the patient's
 * follow-up, part of the plan: reading needs a live seat and the patient's consent to the plan (`plan` scope) —
 * the patient reads their own; recording needs that, a writing seat, and being staff (a relative or the patient
 * does not log contacts). A closed plan is read-only (`planAccess` gives no writing there).
 */
export interface FollowUpAccess {
	access: PlanAccess;
	reads: boolean;
	records: boolean;
	/** The service the person records for in this plan (their writing seat's), or null. */
	serviceId: string | null;
}

export async function followUpAccess(
	db: Db,
	userId: string,
	planId: string,
	now = new Date()
): Promise<FollowUpAccess | null> {
	const access = await planAccess(db, userId, planId, now);
	if (!access) return null;
	const reads = access.scopes.has('plan');
	const [user] = await db
		.select({ kind: users.kind, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.id, userId))
		.limit(1);
	const records = reads && access.docs.plan === 'write' && user?.kind === 'staff' && !user.disabledAt;
	const serviceId =
		access.seat.access === 'write' && access.seat.serviceId
			? access.seat.serviceId
			: ([...access.actor.serviceIds][0] ?? null);
	return { access, reads, records, serviceId };
}

/** A refusal with its HTTP status and, for bad input, the field it is about. */
export class FollowUpError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly code: string,
		readonly field?: string
	) {
		super(field ? `${code}: ${field}` : code);
	}
}

/** What a follow-up action (a contact entry, an application) runs with. */
export interface ContactCtx {
	db: Db;
	collab: Pick<CollabServer, 'readDocState'>;
}
