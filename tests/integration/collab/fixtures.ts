import { randomBytes } from 'node:crypto';
import { createSession } from '../../../src/lib/server/auth/session';
import type { Db } from '../../../src/lib/server/db';
import { consents, planMembers, plans, users } from '../../../src/lib/server/db/schema';
import {
	CONSENT_SCOPES,
	type Access,
	type ConsentScope,
	type MemberRole,
	type UserKind
} from '../../../src/lib/vocabulary';

/** Lower-case alphanumeric, as plan ids must be (`parseDocName`). */
export function testId(): string {
	return randomBytes(10).toString('hex');
}

export interface TestUser {
	id: string;
	name: string;
	/** Session token for the `session` cookie. */
	token: string;
	cookie: string;
}

export async function createUser(db: Db, opts: { name?: string; kind?: UserKind } = {}): Promise<TestUser> {
	const id = testId();
	const name = opts.name ?? `User ${id.slice(0, 6)}`;
	await db
		.insert(users)
		.values({ id, email: `${id}@example.test`, name, kind: opts.kind ?? 'staff', passwordHash: 'not-a-real-hash' });
	const { token } = await createSession(db, id);
	return { id, name, token, cookie: `session=${token}` };
}

/**
 * A seat, and (unless `scopes` is empty) the patient's consent for the person to see `scopes` (default: all of
 * it): without consent a member sees nothing.
 */
export async function addMember(
	db: Db,
	planId: string,
	userId: string,
	role: MemberRole,
	access: Access,
	scopes: readonly ConsentScope[] = CONSENT_SCOPES
): Promise<void> {
	await db.insert(planMembers).values({ planId, userId, role, access });
	if (scopes.length > 0) await grantConsent(db, planId, userId, scopes);
}

/** The patient's consent for one member, recorded by that member (tests need no coordinator for it). */
export async function grantConsent(
	db: Db,
	planId: string,
	userId: string,
	scopes: readonly ConsentScope[],
	opts: { validUntil?: Date } = {}
): Promise<string> {
	const [row] = await db
		.insert(consents)
		.values({
			planId,
			kind: 'access',
			granteeUserId: userId,
			scopes: [...scopes],
			validFrom: new Date(Date.now() - 60_000),
			validUntil: opts.validUntil ?? null,
			givenBy: 'patient',
			recordedBy: userId
		})
		.returning({ id: consents.id });
	return row.id;
}

export interface TestPlan {
	planId: string;
	planDoc: string;
	voiceDoc: string;
	patient: TestUser;
	coordinator: TestUser;
	/** A service provider with read-only access. */
	reader: TestUser;
	/** A user without any seat in this plan. */
	outsider: TestUser;
}

/** A plan with a patient (write), a coordinator (write), a read-only provider, and an outsider. */
export async function createPlan(db: Db): Promise<TestPlan> {
	const patient = await createUser(db, { name: 'Pasient Testesen', kind: 'patient' });
	const coordinator = await createUser(db, { name: 'Koordinator Kari' });
	const reader = await createUser(db, { name: 'Leser Lars' });
	const outsider = await createUser(db, { name: 'Utenfor Ulla' });
	const planId = testId();
	await db.insert(plans).values({ id: planId, patientId: patient.id, title: 'Test plan', createdBy: coordinator.id });
	await addMember(db, planId, patient.id, 'patient', 'write');
	await addMember(db, planId, coordinator.id, 'coordinator', 'write');
	await addMember(db, planId, reader.id, 'service_provider', 'read');
	return { planId, planDoc: `plan:${planId}`, voiceDoc: `voice:${planId}`, patient, coordinator, reader, outsider };
}
