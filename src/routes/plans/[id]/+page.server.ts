import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { planAccess } from '$lib/server/access/plans';
import { loadPlanHeader } from '$lib/server/plans/header';
import { loadPlanContent } from '$lib/server/plans/content';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { colorForUser } from '$lib/sync/colors';
import { DOC_KINDS } from '$lib/plan';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const planId = event.params.id;
	const access = await planAccess(db, user.id, planId);
	if (!access || access.scopes.size === 0) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId });
		// The same answer for "no such plan" and "not yours": existence is not revealed.
		error(403, 'forbidden');
	}
	const header = await loadPlanHeader(db, planId);
	if (!header) error(404, 'not found');

	// The current content, rendered on the server: the plan reads (and prints) before any script runs.
	const kinds = DOC_KINDS.filter((kind) => access.docs[kind] !== 'none');
	const content = await loadPlanContent((await getRuntime()).collab, planId, kinds);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: kinds } });

	const services = new Map<string, string>();
	for (const member of header.members) if (member.serviceId && member.serviceName) services.set(member.serviceId, member.serviceName);
	return {
		header,
		seat: { role: access.role, access: access.seat.access },
		scopes: [...access.scopes],
		content,
		me: { id: user.id, name: user.name, color: colorForUser(user.id) },
		access: access.docs,
		people: header.members.map((x) => ({ userId: x.userId, name: x.name, serviceId: x.serviceId, serviceName: x.serviceName })),
		services: [...services].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'nb'))
	};
};
