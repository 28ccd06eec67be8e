import { and, eq, isNull } from 'drizzle-orm';
import { planMembers, plans, users, type Access, type MemberRole } from '../db/schema';
import type { Db } from '../db';
import { parseDocName, type ParsedDocName } from '../../plan/schema';

export type DocAccess = 'none' | 'read' | 'write';

export interface PlanListing {
	id: string;
	title: string;
	patientName: string;
	role: MemberRole;
	access: Access;
}

/** A live seat: a member whose access has not ended. Consent withdrawal ends the seat, so it ends here. */
const activeSeat = isNull(planMembers.endedAt);

export async function listPlansForUser(db: Db, userId: string): Promise<PlanListing[]> {
	return db
		.select({
			id: plans.id,
			title: plans.title,
			patientName: users.name,
			role: planMembers.role,
			access: planMembers.access
		})
		.from(planMembers)
		.innerJoin(plans, eq(plans.id, planMembers.planId))
		.innerJoin(users, eq(users.id, plans.patientId))
		.where(and(eq(planMembers.userId, userId), activeSeat))
		.orderBy(plans.title);
}

export interface Seat {
	role: MemberRole;
	access: Access;
}

export async function seatInPlan(db: Db, userId: string, planId: string): Promise<Seat | null> {
	const [row] = await db
		.select({ role: planMembers.role, access: planMembers.access })
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(and(eq(planMembers.planId, planId), eq(planMembers.userId, userId), activeSeat, isNull(users.disabledAt)))
		.limit(1);
	return row ?? null;
}

/**
 * Who may do what with a document. `plan:` follows the seat's access; `voice:` is the patient's own
 * words, so only the patient writes it and every other member reads.
 */
export function accessFromSeat(doc: ParsedDocName, seat: Seat | null): DocAccess {
	if (!seat) return 'none';
	if (doc.kind === 'voice') return seat.role === 'patient' ? 'write' : 'read';
	return seat.access;
}

export async function docAccess(db: Db, userId: string, docName: string): Promise<DocAccess> {
	const doc = parseDocName(docName);
	if (!doc) return 'none';
	return accessFromSeat(doc, await seatInPlan(db, userId, doc.planId));
}
