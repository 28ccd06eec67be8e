// Roles in the group: shared by the server and the group page's forms (so no server-only imports here).
import type { MemberRole, UserKind } from '../vocabulary';

/**
 * Roles a coordinator gives when adding or inviting someone. Not `patient` (the plan has one, from its start)
 * and not `coordinator` (that role changes hands only when a successor accepts an offer).
 */
export const ASSIGNABLE_ROLES = [
	'service_provider',
	'specialist_coordinator',
	'gp',
	'relative',
	'guardian',
	'observer'
] as const satisfies readonly MemberRole[];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

/** Seats that are not changed, ended or handed over from the group page. */
export const PROTECTED_ROLES: readonly MemberRole[] = ['patient', 'coordinator'];

/** An invited person's kind of account follows from the role they are invited to. */
export function kindForRole(role: MemberRole): UserKind {
	if (role === 'patient') return 'patient';
	if (role === 'relative' || role === 'guardian') return 'relative';
	return 'staff';
}

export const isAssignableRole = (role: string): role is AssignableRole =>
	(ASSIGNABLE_ROLES as readonly string[]).includes(role);

/** What becomes of the outgoing coordinator when a successor accepts the role: they stay as a service contact, or leave. */
export const OLD_SEAT_CHOICES = ['service_provider', 'end'] as const;
export type OldSeatChoice = (typeof OLD_SEAT_CHOICES)[number];
