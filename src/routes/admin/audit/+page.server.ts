import type { PageServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';
import { verifyAuditChain } from '$lib/server/audit/verify';
import { adminLog, logFilterChoices } from '$lib/server/audit/views';
import { isCalendarDate } from '$lib/server/http/json-body';
import { osloDayEnd, osloDayStart } from '$lib/server/oslo-day';
import { m } from '$lib/paraglide/messages';

/**
 * The administrator's view of the whole access log: filtered by plan, person and days (in Norway), with ids and
 * names, never plan content; and whether the hash chain still holds. Reading it is logged like any other read.
 */
export const load: PageServerLoad = async (event) => {
	const admin = requireAdmin(event);
	const db = event.locals.db;
	const q = event.url.searchParams;
	const filter = {
		plan: (q.get('plan') ?? '').trim().slice(0, 64),
		person: (q.get('person') ?? '').trim().slice(0, 64),
		from: (q.get('from') ?? '').trim().slice(0, 10),
		to: (q.get('to') ?? '').trim().slice(0, 10)
	};
	const errors: Record<string, string> = {};
	if (filter.from && !isCalendarDate(filter.from)) errors.from = m.admin_audit_date_error();
	if (filter.to && !isCalendarDate(filter.to)) errors.to = m.admin_audit_date_error();
	if (!errors.from && !errors.to && filter.from && filter.to && filter.to < filter.from)
		errors.to = m.admin_audit_to_before_from();
	const page = Math.max(1, Math.min(10_000, Number.parseInt(q.get('page') ?? '1', 10) || 1));

	const [choices, chain, log] = await Promise.all([
		logFilterChoices(db),
		verifyAuditChain(db),
		Object.keys(errors).length
			? Promise.resolve({ events: [], page: 1, hasMore: false })
			: adminLog(db, {
					planId: filter.plan || null,
					personId: filter.person || null,
					from: filter.from ? osloDayStart(filter.from) : null,
					to: filter.to ? osloDayEnd(filter.to) : null,
					page
				})
	]);
	await recordAudit(db, {
		actorId: admin.id,
		action: 'access_log.read',
		planId: filter.plan || null,
		detail: {
			scope: 'admin',
			page,
			...(filter.person ? { personId: filter.person } : {}),
			...(filter.from ? { from: filter.from } : {}),
			...(filter.to ? { to: filter.to } : {})
		}
	});
	return {
		filter,
		errors,
		choices,
		chain,
		events: log.events,
		page: log.page,
		hasMore: log.hasMore
	};
};
