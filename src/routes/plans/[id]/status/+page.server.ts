import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isCoordinator, requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import {
	changePlanStatus,
	DetailsRefused,
	STATUS_CHANGES,
	StatusRefused,
	updatePlanDetails,
	type StatusChange
} from '$lib/server/plans/lifecycle';
import { parseDetailsForm } from '$lib/server/plans/details-input';
import { m } from '$lib/paraglide/messages';
import { detailsLabels, startFormText } from '$lib/i18n/start-plan-form';

/** The coordinator's page for the plan's status, title, period and revision date; an administrator may step in. */
async function requireCoordinator(event: RequestEvent) {
	const { user, access } = await requirePlanAccess(event, event.params.id!);
	if (!isCoordinator(access, user)) {
		await recordAudit(event.locals.db, {
			actorId: user.id,
			action: 'plan.denied',
			planId: event.params.id,
			detail: { lifecycle: true }
		});
		error(403, 'forbidden');
	}
	return user;
}

export const load: PageServerLoad = async (event) => {
	const { header, planAccess } = await event.parent();
	if (!planAccess.isCoordinator) {
		await recordAudit(event.locals.db, {
			actorId: event.locals.user!.id,
			action: 'plan.denied',
			planId: header.id,
			detail: { lifecycle: true }
		});
		error(403, 'forbidden');
	}
	// The page shows the plan's header, warnings (names included) and status: a read of the plan.
	await recordAudit(event.locals.db, {
		actorId: event.locals.user!.id,
		action: 'plan.read',
		planId: header.id,
		detail: { page: 'status' }
	});
	const changed = event.url.searchParams.get('changed');
	return { changed: changed === 'status' ? header.status : null, saved: event.url.searchParams.get('saved') };
};

export const actions: Actions = {
	status: async (event) => {
		const user = await requireCoordinator(event);
		const planId = event.params.id;
		const form = await event.request.formData();
		const change = String(form.get('change') ?? '') as StatusChange;
		if (!STATUS_CHANGES.includes(change))
			return fail(400, { statusError: m.form_invalid_choice({ field: m.plan_status() }) });
		// Closing is final here: the person says they know what it means.
		if (change === 'close' && form.get('confirm') !== 'yes')
			return fail(400, { closeError: m.lifecycle_close_confirm_missing() });
		try {
			const { from, to } = await changePlanStatus(event.locals.db, planId, change, user.id);
			await recordAudit(event.locals.db, {
				actorId: user.id,
				action: 'plan.status_changed',
				planId,
				detail: { from, to }
			});
			// Closing makes every live document read-only at once; the other changes are re-checked too.
			await (await getRuntime()).collab.revalidate({ planId });
		} catch (err) {
			if (err instanceof StatusRefused)
				return fail(409, { refused: { reason: err.reason, status: err.status, gaps: err.gaps } });
			throw err;
		}
		redirect(303, `/plans/${planId}/status?changed=status`);
	},

	details: async (event) => {
		const user = await requireCoordinator(event);
		const planId = event.params.id;
		const labels = detailsLabels();
		const parsed = parseDetailsForm(await event.request.formData(), startFormText, labels);
		if (!parsed.ok) return fail(400, { detailsErrors: parsed.errors, detailsValues: parsed.values });
		let changed: string[];
		try {
			changed = await updatePlanDetails(event.locals.db, planId, parsed.value);
		} catch (err) {
			if (!(err instanceof DetailsRefused)) throw err;
			const values = {
				...parsed.value,
				periodStart: parsed.value.periodStart ?? '',
				periodEnd: parsed.value.periodEnd ?? '',
				revisionDate: parsed.value.revisionDate ?? ''
			};
			if (err.reason === 'closed') return fail(409, { detailsClosed: true, detailsValues: values });
			if (err.reason === 'not_found') error(404, 'not found');
			const field = err.field ?? 'periodEnd';
			const text =
				err.reason === 'period_order'
					? m.start_period_order()
					: m.lifecycle_required_while_active({ field: labels[field] });
			return fail(400, { detailsErrors: { [field]: text }, detailsValues: values });
		}
		if (changed.length) {
			await recordAudit(event.locals.db, {
				actorId: user.id,
				action: 'plan.updated',
				planId,
				detail: { fields: changed }
			});
			await (await getRuntime()).collab.revalidate({ planId });
		}
		redirect(303, `/plans/${planId}/status?saved=${changed.length ? 'yes' : 'none'}`);
	}
};
