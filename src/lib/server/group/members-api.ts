import { and, asc, desc, eq } from 'drizzle-orm';
import { json } from '@sveltejs/kit';
import { consents, planMembers, users } from '../db/schema';
import { type Access, type ConsentScope, type MemberRole } from '../../vocabulary';
import type { Db } from '../db';
import type { SessionUser } from '../auth/session';
import { isCoordinator, planApiAccess } from '../access/guards';
import { liveConsentCondition } from '../access/consent';
import { recordAudit } from '../audit';
import { badRequestResponse, BadRequest, fields, readJsonObject } from '../http/json-body';
import { sendInvitation } from '../mail/invitation-email';
import type { Mailer } from '../mail/mailer';
import { osloDay } from '../oslo-day';
import { GroupError } from './errors';
import { createInvitation, invitationPath } from './invitations';
import { findUserByEmail, invitePerson, inviteSeatHolder } from './invite';
import { ASSIGNABLE_ROLES, type AssignableRole } from '../../group/roles';
import { addSeat, seatNotEnded } from './seats';

export interface MemberJson {
	userId: string;
	name: string;
	role: MemberRole;
	serviceId: string | null;
	access: Access;
	/** The committed period, calendar days: from the seat's start to its end, or to the committed end. */
	from: string;
	to: string | null;
	consent: { id: string; scopes: ConsentScope[]; until: string | null } | null;
}

/** The group as JSON: each seat that has not ended, with the live consent that covers the member (their own first, else their service's). */
export async function membersJson(db: Db, planId: string, now = new Date()): Promise<MemberJson[]> {
	const seats = await db
		.select({
			userId: planMembers.userId,
			name: users.name,
			role: planMembers.role,
			serviceId: planMembers.serviceId,
			access: planMembers.access,
			joinedAt: planMembers.joinedAt,
			committedUntil: planMembers.committedUntil,
			endedAt: planMembers.endedAt
		})
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.where(and(eq(planMembers.planId, planId), seatNotEnded(now)))
		.orderBy(asc(users.name), asc(planMembers.joinedAt));
	const live = await db
		.select({
			id: consents.id,
			userId: consents.granteeUserId,
			serviceId: consents.granteeServiceId,
			scopes: consents.scopes,
			until: consents.validUntil
		})
		.from(consents)
		.where(and(eq(consents.planId, planId), eq(consents.kind, 'access'), liveConsentCondition(now)))
		.orderBy(desc(consents.validFrom));
	return seats.map((s) => {
		const c =
			live.find((x) => x.userId === s.userId) ??
			(s.serviceId ? live.find((x) => x.serviceId === s.serviceId) : undefined);
		return {
			userId: s.userId,
			name: s.name,
			role: s.role,
			serviceId: s.serviceId,
			access: s.access,
			from: osloDay(s.joinedAt),
			to: s.endedAt ? osloDay(new Date(s.endedAt.getTime() - 1)) : s.committedUntil,
			consent: c ? { id: c.id, scopes: c.scopes, until: c.until ? c.until.toISOString() : null } : null
		};
	});
}

export interface AddMemberBody {
	email: string;
	role: AssignableRole;
	serviceId: string | null;
	access: Access;
	/** Optional: the name for a new account (the e-mail stands in for it until then). */
	name: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseAddMemberBody(body: Record<string, unknown>): AddMemberBody {
	const f = fields(body, ['email', 'role', 'serviceId', 'access', 'name']);
	const email = f.string('email', { max: 320 })!.toLowerCase();
	if (!EMAIL.test(email)) throw new BadRequest('"email" must be an e-mail address.', 'email');
	return {
		email,
		role: f.oneOf('role', ASSIGNABLE_ROLES)!,
		serviceId: f.string('serviceId', { max: 64, optional: true }),
		access: f.oneOf('access', ['read', 'write'] as const)!,
		name: f.string('name', { max: 200, optional: true })
	};
}

export interface AddedMember {
	userId: string;
	seatId: string;
	created: boolean;
	invitation: { id: string; token: string; expiresAt: Date } | null;
}

/**
 * Adds a member by e-mail: an account that exists gets a seat (and, if it never set a password, a new link); an
 * unknown e-mail gets an account, a seat and an invitation.
 */
export async function addMemberByEmail(
	db: Db,
	input: { planId: string; body: AddMemberBody; actorId: string; now?: Date }
): Promise<AddedMember> {
	const now = input.now ?? new Date();
	const { body } = input;
	const terms = { role: body.role, serviceId: body.serviceId, access: body.access, committedUntil: null };
	const existing = await findUserByEmail(db, body.email);
	if (!existing) {
		const invited = await invitePerson(db, {
			planId: input.planId,
			name: body.name ?? body.email,
			email: body.email,
			terms,
			invitedBy: input.actorId,
			now
		});
		return { userId: invited.userId, seatId: invited.seatId, created: true, invitation: invited.invitation };
	}
	if (existing.disabledAt) throw new GroupError('not_found', 'email');
	const { seatId } = await addSeat(db, {
		planId: input.planId,
		userId: existing.id,
		terms,
		addedBy: input.actorId,
		now
	});
	const invitation = existing.hasPassword
		? null
		: await createInvitation(db, { userId: existing.id, planId: input.planId, invitedBy: input.actorId, now });
	return { userId: existing.id, seatId, created: false, invitation };
}

/** What the endpoints need from the request and the running server (tests hand in their own). */
export interface MembersApiContext {
	db: Db;
	user: SessionUser | null;
	planId: string;
	/** The site's origin, for the invitation link. */
	origin: string;
	mailer: Mailer | null;
	revalidate(filter: { planId: string }): Promise<void>;
}

const API_STATUS: Partial<Record<GroupError['problem'], number>> = { seat_taken: 409, email_taken: 409 };
const API_MESSAGE: Partial<Record<GroupError['problem'], string>> = {
	seat_taken: 'This person already has a seat in the group.',
	email_taken: 'An account with this e-mail exists.',
	not_found: 'No usable account with this e-mail.',
	not_in_service: 'The person does not work in this service.',
	unknown_service: 'No such service.',
	role_not_allowed: 'This role cannot be given here.'
};

/** GET /api/plans/<id>/members: for anyone with access to the plan. */
export async function getMembers(ctx: MembersApiContext): Promise<Response> {
	const allowed = await planApiAccess({ locals: { db: ctx.db, user: ctx.user } as App.Locals }, ctx.planId);
	if (allowed instanceof Response) return allowed;
	const members = await membersJson(ctx.db, ctx.planId);
	await recordAudit(ctx.db, {
		actorId: allowed.user.id,
		action: 'plan.read',
		planId: ctx.planId,
		detail: { parts: ['members'], via: 'api' }
	});
	return json(members);
}

/** POST /api/plans/<id>/members: the coordinator adds or invites someone by e-mail. */
export async function postMember(ctx: MembersApiContext, request: Request): Promise<Response> {
	const allowed = await planApiAccess(
		{ locals: { db: ctx.db, user: ctx.user } as App.Locals },
		ctx.planId,
		isCoordinator
	);
	if (allowed instanceof Response) return allowed;
	const actorId = allowed.user.id;
	let body: AddMemberBody;
	try {
		body = parseAddMemberBody(await readJsonObject(request));
	} catch (e) {
		return badRequestResponse(e);
	}
	let added: AddedMember;
	try {
		added = await addMemberByEmail(ctx.db, { planId: ctx.planId, body, actorId });
	} catch (e) {
		if (!(e instanceof GroupError)) throw e;
		const status = API_STATUS[e.problem] ?? 400;
		// The person is named by their e-mail in this API.
		const field = e.field === 'userId' ? 'email' : e.field;
		const message = (field ? `"${field}": ` : '') + (API_MESSAGE[e.problem] ?? e.problem);
		return json(
			{ error: status === 409 ? 'conflict' : 'bad_request', message, ...(field ? { field } : {}) },
			{ status }
		);
	}
	const seat = { seatId: added.seatId, role: body.role, access: body.access, serviceId: body.serviceId, via: 'api' };
	if (!added.created)
		await recordAudit(ctx.db, {
			actorId,
			action: 'member.added',
			planId: ctx.planId,
			target: added.userId,
			detail: seat
		});
	let link: string | null = null;
	if (added.invitation) {
		link = new URL(invitationPath(added.invitation.token), ctx.origin).toString();
		const emailed = await sendInvitation(ctx.mailer, body.email, link);
		await recordAudit(ctx.db, {
			actorId,
			action: 'member.invited',
			planId: ctx.planId,
			target: added.userId,
			detail: { ...seat, invitationId: added.invitation.id, newAccount: added.created, emailed }
		});
		if (emailed) link = null;
	}
	await ctx.revalidate({ planId: ctx.planId });
	return json({ userId: added.userId, ...(link ? { invitation: link } : {}) }, { status: 201 });
}

/**
 * POST /api/plans/<id>/members/<userId>/invitation: the coordinator sends a member who has an e-mail and no
 * password (the patient registered with the plan, say) a new single-use link. 201 `{ userId, invitation? }`, the
 * link only when it did not go by e-mail; 404 for anyone else.
 */
export async function postInvitation(ctx: MembersApiContext, userId: string): Promise<Response> {
	const allowed = await planApiAccess(
		{ locals: { db: ctx.db, user: ctx.user } as App.Locals },
		ctx.planId,
		isCoordinator
	);
	if (allowed instanceof Response) return allowed;
	let invited;
	try {
		invited = await inviteSeatHolder(ctx.db, { planId: ctx.planId, member: { userId }, invitedBy: allowed.user.id });
	} catch (e) {
		if (!(e instanceof GroupError)) throw e;
		return json(
			{ error: 'not_found', message: 'No member of this group who has an e-mail and has not set a password.' },
			{ status: 404 }
		);
	}
	const link = new URL(invitationPath(invited.invitation.token), ctx.origin).toString();
	const emailed = await sendInvitation(ctx.mailer, invited.email, link);
	await recordAudit(ctx.db, {
		actorId: allowed.user.id,
		action: 'member.invited',
		planId: ctx.planId,
		target: invited.userId,
		detail: { invitationId: invited.invitation.id, newAccount: false, emailed, via: 'api' }
	});
	return json({ userId: invited.userId, ...(emailed ? {} : { invitation: link }) }, { status: 201 });
}
