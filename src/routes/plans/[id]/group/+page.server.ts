import { absenceCounts } from '$lib/server/meetings';
import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { isCoordinator, requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit, type AuditAction } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { getMailer } from '$lib/server/mail/mailer';
import { sendInvitation } from '$lib/server/mail/invitation-email';
import { loadGroup } from '$lib/server/group/group';
import {
	allServices,
	directoryPerson,
	MIN_QUERY_LENGTH,
	searchDirectory,
	servicesOf,
	staffByService
} from '$lib/server/group/directory';
import { addSeat, endSeat, handOverSeat, updateSeat } from '$lib/server/group/seats';
import { invitePerson, inviteSeatHolder } from '$lib/server/group/invite';
import { invitationPath } from '$lib/server/group/invitations';
import { offerCoordinatorRole, openOfferForPlan, pendingRoleOffers } from '$lib/server/group/role-offers';
import {
	parseAddForm,
	parseEndForm,
	parseHandoverForm,
	parseInviteForm,
	parseOfferForm,
	parseUpdateForm,
	type FieldProblem
} from '$lib/server/group/forms';
import { GroupError } from '$lib/server/group/errors';
import { osloDay } from '$lib/server/oslo-day';
import { openServiceProposals, settleServiceProposal } from '$lib/server/measures';
import { fieldProblemText, groupProblemText } from '$lib/i18n/group-errors';
import { users } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';

/**
 * The responsibility group: member cards for everyone whose consent covers the plan or its meetings (and the
 * coordinator), and for the coordinator the forms that change it. Every action checks the coordinator's right
 * again on the server, records what changed, and closes live connections that lost access.
 */
export const load: PageServerLoad = async (event) => {
	const { planAccess } = await event.parent();
	const user = event.locals.user!;
	const db = event.locals.db;
	const planId = event.params.id;
	const sees = planAccess.scopes.includes('plan') || planAccess.scopes.includes('meetings');
	if (!sees && !planAccess.isCoordinator) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId, detail: { parts: ['group'] } });
		error(403, 'forbidden');
	}
	const group = await loadGroup(db, planId);
	await recordAudit(db, { actorId: user.id, action: 'plan.read', planId, detail: { parts: ['group'] } });
	const myOffers = (await pendingRoleOffers(db, user.id)).filter((o) => o.planId === planId);

	let manage = null;
	if (planAccess.isCoordinator) {
		const [services, staff, memberServices, openOffer, proposals] = await Promise.all([
			allServices(db),
			staffByService(db),
			servicesOf(db, [...new Set(group.members.map((x) => x.userId))]),
			openOfferForPlan(db, planId),
			openServiceProposals(db, planId)
		]);
		manage = {
			services,
			staff,
			coordinatorCandidates: staff.filter((s) => s.level === 'municipal' && s.userId !== user.id),
			memberServices,
			openOffer: openOffer ? { toName: openOffer.toName, createdOn: osloDay(openOffer.createdAt) } : null,
			minQueryLength: MIN_QUERY_LENGTH,
			// Services a measure was given to without a seat in the group (see `$lib/server/measures`).
			proposals: proposals.map((p) => ({
				id: p.id,
				serviceId: p.serviceId,
				serviceName: p.serviceName,
				proposedByName: p.proposedByName,
				proposedOn: osloDay(p.createdAt),
				inGroup: p.inGroup
			}))
		};
	}
	// How often each member has missed the group's meetings (issue 9), for those who see the meetings.
	const absence = planAccess.scopes.includes('meetings')
		? await absenceCounts(db, planId, [...new Set(group.members.map((x) => x.userId))])
		: {};
	return { group, myOffers, manage, absence, offerAccepted: event.url.searchParams.get('offer') === 'accepted' };
};

/** The coordinator of this plan (or an administrator with a seat in it), or 403. */
async function requireCoordinator(event: RequestEvent) {
	const { user, access } = await requirePlanAccess(event, event.params.id);
	if (!isCoordinator(access, user)) {
		await recordAudit(event.locals.db, {
			actorId: user.id,
			action: 'plan.denied',
			planId: event.params.id,
			detail: { parts: ['group'], change: true }
		});
		error(403, 'forbidden');
	}
	return user;
}

const fieldErrors = (errors: Record<string, FieldProblem>) =>
	Object.fromEntries(Object.entries(errors).map(([field, problem]) => [field, fieldProblemText(field, problem)]));
const problemErrors = (e: GroupError) => ({ [e.field ?? 'form']: groupProblemText(e.problem) });

async function changed(
	event: RequestEvent,
	action: AuditAction,
	actorId: string,
	target: string,
	detail: Record<string, unknown>
) {
	const planId = event.params.id;
	await recordAudit(event.locals.db, { actorId, action, planId, target, detail });
	await (await getRuntime()).collab.revalidate({ planId });
}

const nameOf = async (event: RequestEvent, userId: string) =>
	(await event.locals.db.select({ name: users.name }).from(users).where(eq(users.id, userId)))[0]?.name ?? '';

export const actions: Actions = {
	/** The coordinator is done with a proposed service (someone from it has a seat now, or it is not needed). */
	settleProposal: async (event) => {
		const user = await requireCoordinator(event);
		const id = String((await event.request.formData()).get('proposalId') ?? '');
		if (!(await settleServiceProposal(event.locals.db, event.params.id, id, user.id)))
			return fail(404, { action: 'settleProposal' as const, errors: { form: groupProblemText('not_found') } });
		return { action: 'settleProposal' as const };
	},

	/** Finds people in the directory (a POST: names and e-mails stay out of addresses and logs). */
	search: async (event) => {
		await requireCoordinator(event);
		const query = String((await event.request.formData()).get('query') ?? '')
			.trim()
			.slice(0, 320);
		const tooShort = query.length < MIN_QUERY_LENGTH;
		const results = tooShort ? [] : await searchDirectory(event.locals.db, query, event.params.id);
		return { action: 'search' as const, query, tooShort, results };
	},

	/** Picks a person from the results: the add form then offers their own services. */
	choose: async (event) => {
		await requireCoordinator(event);
		const userId = String((await event.request.formData()).get('userId') ?? '');
		const person = await directoryPerson(event.locals.db, userId, event.params.id);
		if (!person)
			return fail(400, {
				action: 'search' as const,
				query: '',
				tooShort: false,
				results: [],
				errors: { form: groupProblemText('not_found') }
			});
		return { action: 'choose' as const, person };
	},

	add: async (event) => {
		const user = await requireCoordinator(event);
		const db = event.locals.db;
		const parsed = parseAddForm(await event.request.formData());
		const person = await directoryPerson(db, parsed.values.userId ?? '', event.params.id);
		if (!person)
			return fail(400, {
				action: 'search' as const,
				query: '',
				tooShort: false,
				results: [],
				errors: { form: groupProblemText('not_found') }
			});
		if (!parsed.ok)
			return fail(400, {
				action: 'choose' as const,
				person,
				values: parsed.values,
				errors: fieldErrors(parsed.errors)
			});
		try {
			const { seatId } = await addSeat(db, {
				planId: event.params.id,
				userId: person.userId,
				terms: parsed.value,
				addedBy: user.id
			});
			const { role, serviceId, access, from, committedUntil } = parsed.value;
			await changed(event, 'member.added', user.id, person.userId, {
				seatId,
				role,
				serviceId,
				access,
				from,
				committedUntil
			});
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'choose' as const, person, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
		return { action: 'add' as const, done: person.name };
	},

	invite: async (event) => {
		const user = await requireCoordinator(event);
		const db = event.locals.db;
		const planId = event.params.id;
		const parsed = parseInviteForm(await event.request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'invite' as const, values: parsed.values, errors: fieldErrors(parsed.errors) });
		let invited;
		try {
			invited = await invitePerson(db, {
				planId,
				name: parsed.value.name,
				email: parsed.value.email,
				terms: parsed.value,
				invitedBy: user.id
			});
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'invite' as const, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
		const link = new URL(invitationPath(invited.invitation.token), event.url.origin).toString();
		const mailer = getMailer();
		const emailed = await sendInvitation(mailer, parsed.value.email, link);
		const { role, serviceId, access, committedUntil } = parsed.value;
		await changed(event, 'member.invited', user.id, invited.userId, {
			seatId: invited.seatId,
			invitationId: invited.invitation.id,
			role,
			serviceId,
			access,
			committedUntil,
			newAccount: true,
			emailed
		});
		// The link is shown once, in this answer, only when it did not go out by e-mail.
		return {
			action: 'invite' as const,
			done: parsed.value.name,
			link: emailed ? null : link,
			mailFailed: !!mailer && !emailed
		};
	},

	/** A new link for a member who has an e-mail and no password: the patient registered with the plan, or a lost link. */
	invitation: async (event) => {
		const user = await requireCoordinator(event);
		const planId = event.params.id;
		const seatId = String((await event.request.formData()).get('seatId') ?? '');
		let invited;
		try {
			invited = await inviteSeatHolder(event.locals.db, { planId, member: { seatId }, invitedBy: user.id });
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'invitation' as const, seatId, errors: problemErrors(e) });
			throw e;
		}
		const link = new URL(invitationPath(invited.invitation.token), event.url.origin).toString();
		const mailer = getMailer();
		const emailed = await sendInvitation(mailer, invited.email, link);
		// No access changes with a link (the seat and consent decide that), so nothing to revalidate.
		await recordAudit(event.locals.db, {
			actorId: user.id,
			action: 'member.invited',
			planId,
			target: invited.userId,
			detail: { seatId, invitationId: invited.invitation.id, newAccount: false, emailed }
		});
		return {
			action: 'invitation' as const,
			seatId,
			done: invited.name,
			link: emailed ? null : link,
			mailFailed: !!mailer && !emailed
		};
	},

	update: async (event) => {
		const user = await requireCoordinator(event);
		const parsed = parseUpdateForm(await event.request.formData());
		const seatId = parsed.values.seatId ?? '';
		if (!parsed.ok)
			return fail(400, {
				action: 'update' as const,
				seatId,
				values: parsed.values,
				errors: fieldErrors(parsed.errors)
			});
		try {
			const result = await updateSeat(event.locals.db, { planId: event.params.id, seatId, terms: parsed.value });
			if (result.changed.length)
				await changed(event, 'member.updated', user.id, result.userId, { ...parsed.value, changed: result.changed });
			return { action: 'update' as const, seatId, done: await nameOf(event, result.userId) };
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'update' as const, seatId, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
	},

	handover: async (event) => {
		const user = await requireCoordinator(event);
		const parsed = parseHandoverForm(await event.request.formData());
		const seatId = parsed.values.seatId ?? '';
		if (!parsed.ok)
			return fail(400, {
				action: 'handover' as const,
				seatId,
				values: parsed.values,
				errors: fieldErrors(parsed.errors)
			});
		try {
			const v = parsed.value;
			const result = await handOverSeat(event.locals.db, {
				planId: event.params.id,
				seatId,
				successorId: v.successorId,
				serviceId: v.serviceId,
				role: v.role,
				access: v.access,
				overlapUntil: v.overlapUntil,
				committedUntil: v.committedUntil,
				addedBy: user.id
			});
			await changed(event, 'member.handed_over', user.id, v.successorId, {
				fromSeatId: seatId,
				fromUserId: result.oldUserId,
				seatId: result.newSeatId,
				oldSeatEndsAt: result.oldSeatEndsAt.toISOString(),
				role: v.role,
				serviceId: v.serviceId,
				access: v.access
			});
			return { action: 'handover' as const, seatId, done: await nameOf(event, v.successorId) };
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'handover' as const, seatId, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
	},

	end: async (event) => {
		const user = await requireCoordinator(event);
		const parsed = parseEndForm(await event.request.formData());
		const seatId = parsed.values.seatId ?? '';
		if (!parsed.ok)
			return fail(400, { action: 'end' as const, seatId, values: parsed.values, errors: fieldErrors(parsed.errors) });
		try {
			const { userId } = await endSeat(event.locals.db, { planId: event.params.id, seatId });
			await changed(event, 'member.ended', user.id, userId, { seatId });
			return { action: 'end' as const, seatId, done: await nameOf(event, userId) };
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'end' as const, seatId, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
	},

	/** Offers the coordinator role; nothing else changes until the successor accepts (see /role-offers). */
	offer: async (event) => {
		const user = await requireCoordinator(event);
		const parsed = parseOfferForm(await event.request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'offer' as const, values: parsed.values, errors: fieldErrors(parsed.errors) });
		try {
			// The module writes the `role.offered` event itself: it carries the offer's terms.
			await offerCoordinatorRole(event.locals.db, { planId: event.params.id, fromUserId: user.id, ...parsed.value });
		} catch (e) {
			if (e instanceof GroupError)
				return fail(400, { action: 'offer' as const, values: parsed.values, errors: problemErrors(e) });
			throw e;
		}
		// No access changes with an offer; revalidating anyway keeps "every change is followed by a check" simple.
		await (await getRuntime()).collab.revalidate({ planId: event.params.id });
		return { action: 'offer' as const, done: await nameOf(event, parsed.value.toUserId) };
	}
};
