import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { planAccess } from '$lib/server/access/plans';
import { keepWallSignedIn, loadWallMeeting, mayViewWall } from '$lib/server/meetings/wall';

/**
 * The wall screen's keep-alive. The session hook does not count this request as activity; the session is refreshed
 * here only while the meeting is open and within its limit (`keepAliveDecision`), and answered 409 otherwise.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
	if (!locals.user || !locals.session) return json({ error: 'unauthenticated' }, { status: 401 });
	const access = await planAccess(locals.db, locals.user.id, params.id);
	if (!mayViewWall(access)) return json({ error: 'forbidden' }, { status: 403 });
	const meeting = await loadWallMeeting(locals.db, params.id, params.meetingId);
	if (!meeting) return json({ error: 'not_found' }, { status: 404 });
	const decision = await keepWallSignedIn(locals.db, locals.session.id, meeting);
	if (!decision.refresh) return json({ error: decision.reason }, { status: 409 });
	return json({ until: decision.until.toISOString() });
};
