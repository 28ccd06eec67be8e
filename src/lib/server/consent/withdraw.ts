import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { consents } from '../db/schema';
import type { Db } from '../db';
import { recordAudit } from '../audit';

export type WithdrawOutcome =
	| { ok: true; granteeUserId: string | null; granteeServiceId: string | null; kind: 'plan' | 'access' }
	/** No such consent in this plan (a consent of another plan is not found here either). */
	| { ok: false; reason: 'not_found' }
	| { ok: false; reason: 'already_withdrawn' }
	/** It ran out by itself; there is nothing left to withdraw. */
	| { ok: false; reason: 'ended' };

/**
 * Withdraws a consent at once: sets `withdrawnAt`/`withdrawnBy` on the row (which is kept, as history) and records
 * `consent.withdrawn`. One conditional update, so two people withdrawing at the same moment record it once. The
 * caller revalidates live connections afterwards (they close with 4403).
 */
export async function withdrawConsent(
	db: Db,
	planId: string,
	consentId: string,
	actorId: string,
	now = new Date()
): Promise<WithdrawOutcome> {
	const [row] = await db
		.update(consents)
		.set({ withdrawnAt: now, withdrawnBy: actorId })
		.where(
			and(
				eq(consents.id, consentId),
				eq(consents.planId, planId),
				isNull(consents.withdrawnAt),
				or(isNull(consents.validUntil), gt(consents.validUntil, now))
			)
		)
		.returning({
			kind: consents.kind,
			granteeUserId: consents.granteeUserId,
			granteeServiceId: consents.granteeServiceId
		});
	if (!row) {
		const [existing] = await db
			.select({ withdrawnAt: consents.withdrawnAt })
			.from(consents)
			.where(and(eq(consents.id, consentId), eq(consents.planId, planId)))
			.limit(1);
		if (!existing) return { ok: false, reason: 'not_found' };
		return { ok: false, reason: existing.withdrawnAt ? 'already_withdrawn' : 'ended' };
	}
	await recordAudit(db, {
		actorId,
		action: 'consent.withdrawn',
		planId,
		target: consentId,
		detail: { kind: row.kind, granteeUserId: row.granteeUserId, granteeServiceId: row.granteeServiceId }
	});
	return { ok: true, ...row };
}
