import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { docUpdates } from '../db/schema';
import type { MeasureChange } from '../projections/project';
import { link } from './kinds';
import { queueNotices, type NoticeEvent } from './notices';
import { measureFollowerIds, seatHolders, serviceSeatHolders } from './recipients';

/** A service's answer: what the coordinator is told about. */
const ANSWERS = new Set(['accepted', 'rejected', 'counter_proposed']);
/** Nobody is given work on a measure that is over. */
const OVER = new Set(['completed', 'cancelled', 'rejected']);

/**
 * Measure events, from one projection's before and after rows: a measure assigned to a person (or, with nobody
 * named, to the service's members in the group), a status change (to its named person, who proposed it and who
 * follows it; each once), a service's answer (to the coordinator). Whoever made the change is not told about it. Runs inside the projection's
 * transaction, so each version's events are queued once, by whichever node projects it.
 */
export async function measureEvents(tx: Db, change: MeasureChange, now = new Date()): Promise<number> {
	const actors = await changedBy(tx, change);
	const events: NoticeEvent[] = [];
	const v = change.throughId;
	let coordinators: string[] | null = null;
	const add = (kind: NoticeEvent['kind'], recipients: Iterable<string | null | undefined>, measureId: string) => {
		for (const r of new Set(recipients)) {
			if (!r || actors.has(r)) continue;
			events.push({
				kind,
				recipientId: r,
				planId: change.planId,
				linkPath: link.measure(change.planId, measureId),
				refs: { measureId },
				dedupeKey: `${kind}:${measureId}:${v}:${r}`
			});
		}
	};
	for (const a of change.after) {
		const b = change.before.get(a.measureId);
		if (!OVER.has(a.status)) {
			if (a.personId && a.personId !== b?.personId) add('measure.assigned', [a.personId], a.measureId);
			else if (!a.personId && a.serviceId && a.serviceId !== b?.serviceId)
				add('measure.assigned', await serviceSeatHolders(tx, change.planId, a.serviceId, now), a.measureId);
		}
		if (!b || b.status === a.status) continue;
		const told = new Set<string>();
		if (b.status === 'requested' && ANSWERS.has(a.status)) {
			coordinators ??= await seatHolders(tx, change.planId, ['coordinator'], now);
			add('measure.answered', coordinators, a.measureId);
			coordinators.forEach((c) => told.add(c));
		}
		const followers = await measureFollowerIds(tx, change.planId, a.measureId);
		add(
			'measure.status',
			[a.personId, change.creators.get(a.measureId), ...followers].filter((r) => r && !told.has(r)),
			a.measureId
		);
	}
	return queueNotices(tx, events, now);
}

/** Who sent the updates between the two versions (a server action records its caller). */
async function changedBy(tx: Db, change: MeasureChange): Promise<Set<string>> {
	const rows = await tx
		.selectDistinct({ userId: docUpdates.userId })
		.from(docUpdates)
		.where(
			and(
				eq(docUpdates.docName, change.docName),
				gt(docUpdates.id, change.fromId),
				lte(docUpdates.id, change.throughId)
			)
		);
	return new Set(rows.map((r) => r.userId).filter((u): u is string => !!u));
}
