import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './session';

/**
 * Pages: no session → to the login page, which brings the person back here afterwards (a link from an e-mail
 * lands where it points). Only a page that was being read is returned to, never a form post; the path holds ids only.
 */
export function requireUser(
	event: Pick<RequestEvent, 'locals'> & Partial<Pick<RequestEvent, 'url' | 'request'>>
): SessionUser {
	if (!event.locals.user) {
		const back =
			event.url && event.request?.method === 'GET' && event.url.pathname !== '/'
				? event.url.pathname + event.url.search
				: null;
		redirect(303, back ? `/login?next=${encodeURIComponent(back)}` : '/login');
	}
	return event.locals.user;
}

export function requireAdmin(event: Pick<RequestEvent, 'locals'>): SessionUser {
	const user = requireUser(event);
	if (!user.isAdmin) error(403, 'forbidden');
	return user;
}
