/** What the meeting pages share: the guard (403 unless consent covers the meetings) and reading a form. */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { requirePlanAccess } from '../access/guards';
import { recordAudit } from '../audit';
import { MeasureActionError } from '../measures';
import { seesMeetings } from './access';
import { MeetingError } from './errors';

export async function requireMeetingsAccess(event: Pick<RequestEvent, 'locals' | 'params'>, planId: string) {
	const { user, access } = await requirePlanAccess(event, planId);
	if (!seesMeetings(access)) {
		await recordAudit(event.locals.db, { actorId: user.id, action: 'plan.denied', planId, detail: { meetings: true } });
		error(403, 'forbidden');
	}
	return { user, access };
}

export const formField = (form: FormData, name: string): string => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

/**
 * A refused change, re-rendered with what was typed: `form` says which form, `code` what to say, `field` where.
 * Anything else is a real failure and is thrown on.
 */
export function refusedForm(
	err: unknown,
	form: string,
	values: Record<string, string>,
	extra: { item?: string; measureId?: string } = {}
) {
	const about = { item: extra.item ?? '', measureId: extra.measureId ?? '' };
	if (err instanceof MeetingError)
		return fail(err.status, { form, values, code: err.code as string, field: err.field, ...about });
	if (err instanceof MeasureActionError)
		return fail(err.status, { form, values, code: `measure:${err.code}`, field: err.field ?? null, ...about });
	throw err;
}
