/**
 * Following a measure (issue 12): whoever may read the plan's goals and measures (a live seat, consent covering
 * `plan`) can follow one, and is then told of its status changes like its named person and its proposer. The
 * measure must exist in the live plan document. Audited; ids only.
 */
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { getMeasure, planDocName } from '../../plan';
import { planAccess } from '../access/plans';
import { recordAudit } from '../audit';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { measureFollowers } from '../db/schema';
import { MeasureActionError } from './actions';

/** Follows (`follow: true`) or stops following a measure; returns whether the person follows it now. */
export async function setFollowing(
	deps: { db: Db; collab: Pick<CollabServer, 'readDocState'> },
	userId: string,
	planId: string,
	measureId: string,
	follow: boolean
): Promise<boolean> {
	const { db, collab } = deps;
	const access = await planAccess(db, userId, planId);
	if (!access || !access.scopes.has('plan')) {
		await recordAudit(db, {
			actorId: userId,
			action: 'plan.denied',
			planId,
			target: measureId || null,
			detail: { action: 'follow' }
		});
		throw new MeasureActionError(403, 'forbidden', 'No access to the goals and measures of this plan.');
	}
	if (!measureId || measureId.length > 100)
		throw new MeasureActionError(400, 'invalid', 'measureId is required.', 'measureId');
	const scratch = new Y.Doc();
	try {
		Y.applyUpdate(scratch, await collab.readDocState(planDocName(planId)));
		if (!getMeasure(scratch, measureId))
			throw new MeasureActionError(404, 'not_found', 'No such measure in this plan.');
	} finally {
		scratch.destroy();
	}
	const key = and(
		eq(measureFollowers.planId, planId),
		eq(measureFollowers.measureId, measureId),
		eq(measureFollowers.userId, userId)
	);
	const changed = follow
		? (
				await db
					.insert(measureFollowers)
					.values({ planId, measureId, userId })
					.onConflictDoNothing()
					.returning({ userId: measureFollowers.userId })
			).length > 0
		: (await db.delete(measureFollowers).where(key).returning({ userId: measureFollowers.userId })).length > 0;
	if (changed)
		await recordAudit(db, {
			actorId: userId,
			action: follow ? 'measure.followed' : 'measure.unfollowed',
			planId,
			target: measureId
		});
	return follow;
}

/** The measures of this plan the person follows (for the plan page's toggles). */
export async function followedMeasures(db: Db, userId: string, planId: string): Promise<string[]> {
	const rows = await db
		.select({ measureId: measureFollowers.measureId })
		.from(measureFollowers)
		.where(and(eq(measureFollowers.planId, planId), eq(measureFollowers.userId, userId)));
	return rows.map((r) => r.measureId);
}
