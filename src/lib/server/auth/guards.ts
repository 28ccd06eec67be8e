import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './session';

/** Pages: no session → to the login page. */
export function requireUser(event: Pick<RequestEvent, 'locals'>): SessionUser {
	if (!event.locals.user) redirect(303, '/login');
	return event.locals.user;
}

export function requireAdmin(event: Pick<RequestEvent, 'locals'>): SessionUser {
	const user = requireUser(event);
	if (!user.isAdmin) error(403, 'forbidden');
	return user;
}
