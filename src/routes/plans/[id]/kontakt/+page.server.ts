import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requirePlanAccess, speaksForPatient } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { requireFollowUpReader } from '$lib/server/contacts/guard';
import {
	FollowUpError,
	listContacts,
	missedInARow,
	NOTE_MAX,
	planMeasureTitles,
	recordContact,
	strikeContact,
	STRIKE_REASON_MAX
} from '$lib/server/contacts';
import { osloDay } from '$lib/server/oslo-day';

const requireReader = (event: RequestEvent) => requireFollowUpReader(event, 'contacts');

export const load: PageServerLoad = async (event) => {
	const { user, access, who } = await requireReader(event);
	const db = event.locals.db;
	const planId = event.params.id;
	const { header } = await event.parent();
	const filter = event.url.searchParams.get('measure') || null;
	const [titles, entries] = await Promise.all([
		planMeasureTitles((await getRuntime()).collab, planId),
		listContacts(db, planId, { measureId: filter })
	]);
	await recordAudit(db, {
		actorId: user.id,
		action: 'contact.read',
		planId,
		detail: filter ? { measureId: filter } : undefined
	});
	// The flag is for those who follow the patient up (staff); the patient reads the log itself, plainly.
	const runs = user.kind === 'staff' ? await missedInARow(db, planId) : [];
	return {
		own: speaksForPatient(access),
		patientName: header.patient.name,
		records: who.records,
		me: user.id,
		// The coordinator strikes out any entry; others their own (`mayStrike`, checked again on the server).
		strikesAll: who.records && access.roles.has('coordinator'),
		entries,
		measures: [...titles].map(([id, title]) => ({ id, title })),
		filter,
		flags: runs.map((r) => ({
			count: r.count,
			since: osloDay(r.since),
			measureId: r.measureId,
			measureTitle: r.measureId ? (titles.get(r.measureId) ?? null) : null
		})),
		noteMax: NOTE_MAX,
		reasonMax: STRIKE_REASON_MAX,
		saved: event.url.searchParams.has('saved'),
		struck: event.url.searchParams.has('struck')
	};
};

const text = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

/** Back to the list (the same filter), so a reload does not post again. */
const backTo = (event: RequestEvent, flag: 'saved' | 'struck', measureId: string) => {
	const q = new URLSearchParams();
	if (measureId) q.set('measure', measureId);
	q.set(flag, '1');
	return `/plans/${event.params.id}/kontakt?${q}`;
};

export const actions: Actions = {
	record: async (event) => {
		const { user } = await requirePlanAccess(event, event.params.id);
		const form = await event.request.formData();
		const values = {
			kind: text(form, 'kind'),
			occurredAt: text(form, 'occurredAt'),
			measureId: text(form, 'measureId'),
			note: text(form, 'note')
		};
		try {
			await recordContact(
				{ db: event.locals.db, collab: (await getRuntime()).collab },
				user.id,
				event.params.id,
				values
			);
		} catch (err) {
			if (err instanceof FollowUpError)
				return fail(err.status, { record: { values, error: err.code, field: err.field ?? null } });
			throw err;
		}
		redirect(303, backTo(event, 'saved', text(form, 'filter')));
	},

	strike: async (event) => {
		const { user } = await requirePlanAccess(event, event.params.id);
		const form = await event.request.formData();
		const values = { entryId: text(form, 'entryId'), reason: text(form, 'reason') };
		try {
			await strikeContact({ db: event.locals.db }, user.id, event.params.id, values.entryId, values.reason);
		} catch (err) {
			if (err instanceof FollowUpError) return fail(err.status, { strike: { values, error: err.code } });
			throw err;
		}
		redirect(303, backTo(event, 'struck', text(form, 'filter')));
	}
};
