import type { ConsentGiver } from '../../vocabulary';
import type { SessionUser } from '../auth/session';
import type { PlanAccess } from '../access/plans';
import { isCoordinator, speaksForPatient } from '../access/guards';

/**
 * Consent belongs to the patient: the patient and a guardian acting for them manage it, and the coordinator
 * records and withdraws on the patient's behalf. Nobody else sees the consent page or may change a consent.
 */
export function mayManageConsent(access: PlanAccess | null, user: Pick<SessionUser, 'isAdmin'>): access is PlanAccess {
	return !!access && (speaksForPatient(access) || isCoordinator(access, user));
}

/**
 * Who the caller may say gave a consent. The patient records their own decision and a guardian theirs; the
 * coordinator writes down the patient's (or the guardian's) decision, or that the patient cannot decide now.
 */
export function giversFor(access: PlanAccess, patientHasGuardian: boolean): ConsentGiver[] {
	if (access.roles.has('patient')) return ['patient'];
	if (access.roles.has('guardian')) return ['guardian'];
	return patientHasGuardian ? ['patient', 'guardian', 'staff_capacity'] : ['patient', 'staff_capacity'];
}
