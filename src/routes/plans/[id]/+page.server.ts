import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { loadPlanContent } from '$lib/server/plans/content';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { colorForUser } from '$lib/sync/colors';
import { DOC_KINDS } from '$lib/plan';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const planId = event.params.id;
	// The layout checked access (403 without a seat and consent) and loaded the header.
	const { header, planAccess: access } = await event.parent();

	// The current content, rendered on the server: the plan reads (and prints) before any script runs.
	const kinds = DOC_KINDS.filter((kind) => access.docs[kind] !== 'none');
	const content = await loadPlanContent((await getRuntime()).collab, planId, kinds);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: kinds } });

	const services = new Map<string, string>();
	for (const member of header.members) if (member.serviceId && member.serviceName) services.set(member.serviceId, member.serviceName);
	return {
		scopes: access.scopes,
		content,
		me: { id: user.id, name: user.name, color: colorForUser(user.id) },
		access: access.docs,
		people: header.members.map((x) => ({ userId: x.userId, name: x.name, serviceId: x.serviceId, serviceName: x.serviceName })),
		services: [...services].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'nb'))
	};
};
