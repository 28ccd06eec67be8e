import type { Db } from '../db';
import type { PlanStatus } from '../../vocabulary';
import { activationGaps, changesFrom, type ActivationGap, type StatusChange } from './lifecycle';
import { planWarnings, type PlanWarning } from './warnings';

/** The coordinator's view of where a plan stands: what is missing to activate it, warnings, and the changes open now. */
export interface LifecycleView {
	gaps: ActivationGap[];
	warnings: PlanWarning[];
	changes: StatusChange[];
}

export async function loadLifecycle(
	db: Db,
	planId: string,
	status: PlanStatus,
	now = new Date()
): Promise<LifecycleView> {
	const changes = changesFrom(status);
	return {
		// Only worth saying while becoming active is the next step.
		gaps: changes.includes('activate') || changes.includes('reactivate') ? await activationGaps(db, planId, now) : [],
		warnings: await planWarnings(db, planId, now),
		changes
	};
}
