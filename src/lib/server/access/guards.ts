import { error, json, type RequestEvent } from '@sveltejs/kit';
import { recordAudit } from '../audit';
import { requireUser } from '../auth/guards';
import type { SessionUser } from '../auth/session';
import { planAccess, type PlanAccess } from './plans';

/** The coordinator holds the plan together: group, consent records, status. An administrator may step in. */
export function isCoordinator(access: PlanAccess | null, user: Pick<SessionUser, 'isAdmin'>): boolean {
	return !!access?.roles.has('coordinator') || user.isAdmin;
}

/** The patient, or a guardian acting for them. */
export function speaksForPatient(access: PlanAccess | null): boolean {
	return !!access && (access.roles.has('patient') || access.roles.has('guardian'));
}

/**
 * A page or form action of a plan: the person's access to it, or 403 when they have none (a live seat and some
 * consent). "No such plan" and "not yours" get the same answer, so existence is not revealed; the refusal is logged.
 */
export async function requirePlanAccess(
	event: Pick<RequestEvent, 'locals' | 'params'>,
	planId: string
): Promise<{ user: SessionUser; access: PlanAccess }> {
	const user = requireUser(event);
	const access = await planAccess(event.locals.db, user.id, planId);
	if (!access || access.scopes.size === 0) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', planId });
		error(403, 'forbidden');
	}
	return { user, access };
}

/** JSON endpoints answer in JSON: `{ error, message }` with the status. */
export function apiError(status: number, code: string, message: string): Response {
	return json({ error: code, message }, { status });
}

/**
 * A JSON endpoint of a plan: the caller's access, or the 401/403 response to return. `allow` narrows it further
 * (to the coordinator, say); an administrator passes `allow` only if it says so.
 */
export async function planApiAccess(
	event: Pick<RequestEvent, 'locals'>,
	planId: string,
	allow: (access: PlanAccess | null, user: SessionUser) => boolean = (a) => !!a && a.scopes.size > 0
): Promise<{ user: SessionUser; access: PlanAccess | null } | Response> {
	const user = event.locals.user;
	if (!user) return apiError(401, 'unauthenticated', 'Not logged in.');
	const access = await planAccess(event.locals.db, user.id, planId);
	if (!allow(access, user)) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', planId });
		return apiError(403, 'forbidden', 'No access to this plan.');
	}
	return { user, access };
}
