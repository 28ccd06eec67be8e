import { error, type RequestEvent } from '@sveltejs/kit';
import { requirePlanAccess } from '../access/guards';
import { recordAudit } from '../audit';
import { followUpAccess } from './access';

/**
 * The follow-up pages of a plan (the contact log, applications): whoever's consent covers the plan reads (the
 * patient reads what is about them); anyone else gets 403, and the attempt is logged with the page it was for.
 */
export async function requireFollowUpReader(
	event: Pick<RequestEvent, 'locals' | 'params'>,
	page: 'contacts' | 'applications'
) {
	const planId = event.params.id!;
	const { user, access } = await requirePlanAccess(event, planId);
	const who = await followUpAccess(event.locals.db, user.id, planId);
	if (!who?.reads) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', planId, detail: { page } });
		error(403, 'forbidden');
	}
	return { user, access, who };
}
