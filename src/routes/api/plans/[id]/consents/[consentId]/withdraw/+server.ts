import type { RequestHandler } from './$types';
import { apiError, planApiAccess } from '$lib/server/access/guards';
import { mayManageConsent, withdrawConsent } from '$lib/server/consent';
import { getRuntime } from '$lib/server/runtime';

/**
 * `POST /api/plans/<id>/consents/<consentId>/withdraw` → 204, at once: the grantee's sockets close (4403). 404 for
 * a consent that is not this plan's; 409 when it was already withdrawn or has ended.
 */
export const POST: RequestHandler = async (event) => {
	const planId = event.params.id;
	const allowed = await planApiAccess(event, planId, mayManageConsent);
	if (allowed instanceof Response) return allowed;
	const outcome = await withdrawConsent(event.locals.db, planId, event.params.consentId, allowed.user.id);
	if (!outcome.ok) {
		if (outcome.reason === 'not_found') return apiError(404, 'not_found', 'No such consent in this plan.');
		return apiError(
			409,
			outcome.reason,
			outcome.reason === 'already_withdrawn'
				? 'The consent was already withdrawn.'
				: 'The consent has ended; there is nothing to withdraw.'
		);
	}
	await (await getRuntime()).collab.revalidate({ planId });
	return new Response(null, { status: 204 });
};
