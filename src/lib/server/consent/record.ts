import { consents } from '../db/schema';
import { type ConsentGiver, type ConsentScope } from '../../vocabulary';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { osloDayEnd, osloDayStart, osloToday } from '../oslo-day';
import { consentGrantees, isLiveMember } from './grantees';

/** A consent as a person states it: calendar days, not instants. */
export interface ConsentRequest {
	/** `plan`: the patient wants a plan at all (no grantee, no scopes). `access`: a grant to one member or one service. */
	kind: 'plan' | 'access';
	grantee: { userId: string } | { serviceId: string } | null;
	scopes: ConsentScope[];
	/** First day (YYYY-MM-DD); today when not given. */
	from: string | null;
	/** Last day, inclusive (YYYY-MM-DD); open until withdrawn when not given. */
	until: string | null;
	givenBy: ConsentGiver | null;
	/** When staff record that the patient lacks capacity now: the day that is looked at again. */
	reviewDate: string | null;
	note: string | null;
}

export type ConsentField = 'grantee' | 'scopes' | 'from' | 'until' | 'givenBy' | 'reviewDate' | 'note';
export type ConsentProblemCode =
	| 'required'
	/** The person has no seat in the group now. */
	| 'not_member'
	/** The person's role sees the whole plan without consent (the patient, a guardian, the coordinator). */
	| 'sees_all'
	/** No member of the group comes from this service. */
	| 'service_not_in_group'
	/** A consent to the plan itself names nobody and no scopes. */
	| 'not_for_plan'
	| 'before_from'
	| 'in_past'
	/** The caller may not say this (a patient recording a guardian's decision, say). */
	| 'not_allowed'
	| 'too_long';

export interface ConsentProblem {
	field: ConsentField;
	code: ConsentProblemCode;
}

/** The request cannot be recorded as it is; nothing was written. */
export class ConsentRefused extends Error {
	constructor(readonly problems: ConsentProblem[]) {
		super(`consent refused: ${problems.map((p) => `${p.field}:${p.code}`).join(', ')}`);
		this.name = 'ConsentRefused';
	}
}

export const NOTE_MAX = 500;

/** Every problem with a request, so a form can show them all at once. Reads the group; writes nothing. */
export async function consentProblems(
	db: Db,
	planId: string,
	req: ConsentRequest,
	opts: { givers: readonly ConsentGiver[]; now?: Date }
): Promise<ConsentProblem[]> {
	const now = opts.now ?? new Date();
	const today = osloToday(now);
	const problems: ConsentProblem[] = [];
	const add = (field: ConsentField, code: ConsentProblemCode) => problems.push({ field, code });

	if (req.kind === 'plan') {
		if (req.grantee) add('grantee', 'not_for_plan');
	} else if (!req.grantee) {
		add('grantee', 'required');
	} else {
		const grantees = await consentGrantees(db, planId, now);
		if ('userId' in req.grantee) {
			const { userId } = req.grantee;
			if (!grantees.people.some((p) => p.userId === userId))
				add('grantee', (await isLiveMember(db, planId, userId, now)) ? 'sees_all' : 'not_member');
		} else {
			const { serviceId } = req.grantee;
			if (!grantees.services.some((s) => s.id === serviceId)) add('grantee', 'service_not_in_group');
		}
	}
	if (req.kind === 'access' && req.scopes.length === 0) add('scopes', 'required');

	const from = req.from ?? today;
	if (req.until) {
		if (req.until < today) add('until', 'in_past');
		else if (req.until < from) add('until', 'before_from');
	}
	if (!req.givenBy) add('givenBy', 'required');
	else if (!opts.givers.includes(req.givenBy)) add('givenBy', 'not_allowed');
	if (req.givenBy === 'staff_capacity') {
		if (!req.reviewDate) add('reviewDate', 'required');
		else if (req.reviewDate < today) add('reviewDate', 'in_past');
	}
	if ((req.note ?? '').length > NOTE_MAX) add('note', 'too_long');
	return problems;
}

/**
 * Records a consent, and the `consent.recorded` audit event. Validates the whole request first (throws
 * `ConsentRefused` and writes nothing). Days become instants in Oslo: from the start of `from` to the end of
 * `until`. The caller revalidates live connections afterwards.
 */
export async function recordConsent(
	db: Db,
	planId: string,
	actorId: string,
	req: ConsentRequest,
	opts: { givers: readonly ConsentGiver[]; now?: Date }
): Promise<string> {
	const now = opts.now ?? new Date();
	const problems = await consentProblems(db, planId, req, { ...opts, now });
	if (problems.length > 0) throw new ConsentRefused(problems);
	const grantee = req.kind === 'access' ? req.grantee : null;
	const granteeUserId = grantee && 'userId' in grantee ? grantee.userId : null;
	const granteeServiceId = grantee && 'serviceId' in grantee ? grantee.serviceId : null;
	const givenBy = req.givenBy as ConsentGiver;
	const [row] = await db
		.insert(consents)
		.values({
			planId,
			kind: req.kind,
			granteeUserId,
			granteeServiceId,
			// A consent to the plan itself is not a grant of parts; it is stored as covering all of them.
			scopes: req.kind === 'plan' ? ['plan', 'crisis', 'voice', 'meetings'] : [...new Set(req.scopes)],
			validFrom: osloDayStart(req.from ?? osloToday(now)),
			validUntil: req.until ? osloDayEnd(req.until) : null,
			givenBy,
			capacityReviewDate: givenBy === 'staff_capacity' ? req.reviewDate : null,
			note: req.note ?? '',
			recordedBy: actorId,
			recordedAt: now
		})
		.returning({ id: consents.id });
	await recordAudit(db, {
		actorId,
		action: 'consent.recorded',
		planId,
		target: row.id,
		detail: {
			kind: req.kind,
			granteeUserId,
			granteeServiceId,
			scopes: req.kind === 'access' ? req.scopes : [],
			givenBy
		}
	});
	return row.id;
}
