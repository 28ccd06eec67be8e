import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { osloToday } from '$lib/server/oslo-day';
import {
	ConsentRefused,
	consentGrantees,
	consentProblems,
	giversFor,
	listConsents,
	mayManageConsent,
	membersWithoutConsent,
	NOTE_MAX,
	parseConsentForm,
	recordConsent,
	withdrawConsent
} from '$lib/server/consent';
import { consentProblemText } from '$lib/i18n/consent';
import { m } from '$lib/paraglide/messages';

/** The patient, a guardian acting for them, or the coordinator; anyone else in the plan gets 403 (and it is logged). */
async function requireConsentManager(event: RequestEvent) {
	const { user, access } = await requirePlanAccess(event, event.params.id!);
	if (!mayManageConsent(access, user)) {
		await recordAudit(event.locals.db, {
			actorId: user.id,
			action: 'plan.denied',
			planId: event.params.id!,
			detail: { page: 'consent' }
		});
		error(403, 'forbidden');
	}
	return { user, access };
}

export const load: PageServerLoad = async (event) => {
	const { user, access } = await requireConsentManager(event);
	const db = event.locals.db;
	const planId = event.params.id;
	const { header } = await event.parent();
	const [records, grantees] = await Promise.all([listConsents(db, planId), consentGrantees(db, planId)]);
	await recordAudit(db, { actorId: user.id, action: 'consent.read', planId });

	const byId = (id: string | null) => (id ? records.find((r) => r.id === id) : undefined);
	const asked = byId(event.url.searchParams.get('withdraw'));
	const withdrawn = byId(event.url.searchParams.get('withdrawn'));
	const recorded = byId(event.url.searchParams.get('recorded'));
	return {
		own: access.roles.has('patient'),
		patientName: header.patient.name,
		records,
		people: grantees.people,
		services: grantees.services,
		without: membersWithoutConsent(grantees, records),
		always: header.members
			.filter((x) => x.role === 'patient' || x.role === 'guardian' || x.role === 'coordinator')
			.map((x) => ({ userId: x.userId, name: x.name, role: x.role, serviceName: x.serviceName })),
		givers: giversFor(access, grantees.patientHasGuardian),
		today: osloToday(),
		noteMax: NOTE_MAX,
		/** The withdrawal asked for (`?withdraw=<id>`), while it can still be withdrawn. */
		confirm: asked && (asked.state === 'live' || asked.state === 'upcoming') ? asked : null,
		confirmGone:
			!!event.url.searchParams.get('withdraw') && !(asked && (asked.state === 'live' || asked.state === 'upcoming')),
		done:
			withdrawn?.state === 'withdrawn'
				? { type: 'withdrawn' as const, record: withdrawn }
				: recorded
					? { type: 'recorded' as const, record: recorded }
					: null
	};
};

export const actions: Actions = {
	record: async (event) => {
		const { user, access } = await requireConsentManager(event);
		const db = event.locals.db;
		const planId = event.params.id;
		const { request, values, invalidDates } = parseConsentForm(await event.request.formData());
		const givers = giversFor(access, (await consentGrantees(db, planId)).patientHasGuardian);
		const prefix = values.kind === 'plan' ? 'p' : 'a';
		const refuse = (problems: { field: string; code: string }[]) => {
			const errors: Record<string, string> = {};
			for (const p of problems) errors[`${prefix}-${p.field}`] ??= consentProblemText(p.field, p.code, NOTE_MAX);
			return fail(400, { kind: values.kind, errors, values });
		};
		if (invalidDates.length > 0) {
			// Report the other problems too, so one round trip shows everything that needs fixing.
			const others = (await consentProblems(db, planId, request, { givers })).filter(
				(p) => !invalidDates.includes(p.field)
			);
			return refuse([...invalidDates.map((field) => ({ field, code: 'invalid_date' })), ...others]);
		}
		let id: string;
		try {
			id = await recordConsent(db, planId, user.id, request, { givers });
		} catch (e) {
			if (e instanceof ConsentRefused) return refuse(e.problems);
			throw e;
		}
		await (await getRuntime()).collab.revalidate({ planId });
		redirect(303, `/plans/${planId}/consent?recorded=${id}`);
	},

	withdraw: async (event) => {
		const { user } = await requireConsentManager(event);
		const planId = event.params.id;
		const consentId = String((await event.request.formData()).get('consentId') ?? '');
		const outcome = await withdrawConsent(event.locals.db, planId, consentId, user.id);
		if (!outcome.ok)
			return fail(outcome.reason === 'not_found' ? 404 : 409, { withdrawError: m.consent_withdraw_gone() });
		// Sockets of those who lost access close now (4403), on every node.
		await (await getRuntime()).collab.revalidate({ planId });
		redirect(303, `/plans/${planId}/consent?withdrawn=${consentId}`);
	}
};
