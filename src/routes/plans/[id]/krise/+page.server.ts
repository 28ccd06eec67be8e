import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { loadPlanHeader } from '$lib/server/plans/header';
import { loadPlanContent } from '$lib/server/plans/content';
import { crisisPlanChangedAt } from '$lib/server/plans/crisis-changed';
import { getRuntime } from '$lib/server/runtime';

// Plain HTML: it reads before (and without) any script, is light on an old phone, and is what the service worker keeps offline.
export const csr = false;

/**
 * The crisis plan alone, for a phone. The page resets to the root layout (no plan header to scroll past), so it
 * runs the plan guard itself: a live seat and consent, and the crisis part covered by that consent.
 */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const db = event.locals.db;
	const { user, access } = await requirePlanAccess(event, planId);
	if (access.docs.crisis === 'none') {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId });
		error(403, 'forbidden');
	}
	const header = await loadPlanHeader(db, planId);
	if (!header) error(404, 'not found');
	const [content, changedAt] = await Promise.all([
		loadPlanContent((await getRuntime()).collab, planId, ['crisis']),
		crisisPlanChangedAt(db, planId)
	]);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: ['crisis'] } });
	return {
		planId,
		patientName: header.patient.name,
		// The patient reads "my crisis plan"; the others read whose it is.
		ownPlan: access.roles.has('patient'),
		crisis: content.crisisPlan!,
		changedAt: changedAt?.toISOString() ?? null,
		// When this copy was made: an offline copy says how old it is.
		renderedAt: new Date().toISOString()
	};
};
