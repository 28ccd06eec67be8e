import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { consents } from '../db/schema';
import { CONSENT_SCOPES, type ConsentScope } from '../../vocabulary';
import type { Db } from '../db';
import type { Seat } from './seats';

export interface ConsentCover {
	scopes: Set<ConsentScope>;
	/** The next moment this cover changes by itself (a consent ends or begins), or null. */
	changesAt: Date | null;
}

/** Roles that stand for the patient, or that the law gives the whole plan (the coordinator keeps it together). */
export const WHOLE_PLAN_ROLES: ReadonlySet<string> = new Set(['patient', 'guardian', 'coordinator']);

/**
 * What the patient's consent lets this member see, now: the union of the live access consents naming the person
 * or the service of one of their seats. The patient, a guardian acting for them and the coordinator see all of it.
 */
export async function consentCover(
	db: Db,
	planId: string,
	userId: string,
	seats: Seat[],
	now = new Date()
): Promise<ConsentCover> {
	if (seats.some((s) => WHOLE_PLAN_ROLES.has(s.role))) return { scopes: new Set(CONSENT_SCOPES), changesAt: null };
	const serviceIds = [...new Set(seats.map((s) => s.serviceId).filter((x): x is string => !!x))];
	const grantee = or(eq(consents.granteeUserId, userId), ...serviceIds.map((id) => eq(consents.granteeServiceId, id)));
	const rows = await db
		.select({ scopes: consents.scopes, validFrom: consents.validFrom, validUntil: consents.validUntil })
		.from(consents)
		.where(
			and(
				eq(consents.planId, planId),
				eq(consents.kind, 'access'),
				isNull(consents.withdrawnAt),
				grantee,
				or(isNull(consents.validUntil), gt(consents.validUntil, now))
			)
		);
	const scopes = new Set<ConsentScope>();
	let changesAt: Date | null = null;
	const sooner = (d: Date) => (changesAt = !changesAt || d < changesAt ? d : changesAt);
	for (const r of rows) {
		if (r.validFrom > now) {
			sooner(r.validFrom);
			continue;
		}
		for (const s of r.scopes) if ((CONSENT_SCOPES as readonly string[]).includes(s)) scopes.add(s);
		if (r.validUntil) sooner(r.validUntil);
	}
	return { scopes, changesAt };
}

/** Is a consent live at `now`? (For lists and pages that show consents.) */
export function consentIsLive(
	c: { withdrawnAt: Date | null; validFrom: Date; validUntil: Date | null },
	now = new Date()
): boolean {
	return !c.withdrawnAt && c.validFrom <= now && (!c.validUntil || c.validUntil > now);
}

export const liveConsentCondition = (now: Date) =>
	and(
		isNull(consents.withdrawnAt),
		lte(consents.validFrom, now),
		or(isNull(consents.validUntil), gt(consents.validUntil, now))
	);
