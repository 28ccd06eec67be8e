/**
 * When an entry raises or clears the three-misses flag: the change is written to the audit log (`contact.flagged`,
 * `contact.flag_cleared`, target the plan or the measure), and a flag raised is sent to the plan's coordinators as
 * a notification (without content, and only while they have access).
 */
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { flagThreeMisses } from '../notify';
import { missedInARow } from './flag';
import type { MissRun } from './rules';

const keyOf = (r: MissRun) => r.measureId ?? '';

/**
 * Compares the flags now with those before a change to `entryId`, audits each one raised or cleared, and tells
 * the coordinators of each one raised (once per entry that raised it).
 */
export async function announceFlagChanges(
	db: Db,
	actorId: string,
	planId: string,
	before: MissRun[],
	entryId: string
): Promise<{ raised: MissRun[]; cleared: MissRun[] }> {
	const after = await missedInARow(db, planId);
	const was = new Set(before.map(keyOf));
	const is = new Set(after.map(keyOf));
	const raised = after.filter((r) => !was.has(keyOf(r)));
	const cleared = before.filter((r) => !is.has(keyOf(r)));
	for (const r of raised)
		await recordAudit(db, {
			actorId,
			action: 'contact.flagged',
			planId,
			target: r.measureId ?? planId,
			detail: { scope: r.measureId ? 'measure' : 'plan', count: r.count }
		});
	for (const r of raised) await flagThreeMisses(db, { planId, measureId: r.measureId, entryId });
	for (const r of cleared)
		await recordAudit(db, {
			actorId,
			action: 'contact.flag_cleared',
			planId,
			target: r.measureId ?? planId,
			detail: { scope: r.measureId ? 'measure' : 'plan' }
		});
	return { raised, cleared };
}
