import type { SessionUser } from '../auth/session';
import type { PlanAccess } from '../access/plans';
import { isCoordinator, speaksForPatient } from '../access/guards';

/**
 * Who may read a plan's access log: the patient, a guardian acting for them and the coordinator, from the plan's
 * pages; the administrator also without a seat (the API and `/admin/audit`).
 */
export function mayReadPlanLog(access: PlanAccess | null, user: Pick<SessionUser, 'isAdmin'>): boolean {
	return user.isAdmin || (!!access && (speaksForPatient(access) || isCoordinator(access, user)));
}
