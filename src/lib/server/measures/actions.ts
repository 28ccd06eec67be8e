/**
 * What a service and the coordinator do with a measure, as the server: the owning service accepts (naming the
 * person), declines (with a reason) or counter-proposes; the owning service or the coordinator moves work on
 * (started, waiting with a reason and an interim measure, done); the coordinator cancels (with a reason).
 * Each checks the rights table against the actor's live seats and consent, writes into the live document
 * as the server (so the gate lets it through and every open page sees it at once), and is audited.
 */
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import {
	addMeasure,
	getMeasure,
	isPlanValidationError,
	LIMITS,
	newId,
	planDocName,
	updateMeasure,
	type Measure,
	type MeasurePatch,
	type MeasureStatus,
	type PlanValidationCode
} from '../../plan';
import { measureRights, nextStatuses } from '../../plan/rights';
import { actorOf, planAccess } from '../access/plans';
import { recordAudit } from '../audit';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { serviceStaff } from '../db/schema';

export const MEASURE_ACTIONS = [
	'accept',
	'decline',
	'counter',
	'start',
	'hold',
	'complete',
	'cancel',
	'reopen'
] as const;
export type MeasureAction = (typeof MEASURE_ACTIONS)[number];

/** The status each action leads to, and the right it needs. */
const ACTION: Record<MeasureAction, { to: MeasureStatus; right: 'answer' | 'progress' | 'cancel' }> = {
	accept: { to: 'accepted', right: 'answer' },
	decline: { to: 'rejected', right: 'answer' },
	counter: { to: 'counter_proposed', right: 'answer' },
	start: { to: 'in_progress', right: 'progress' },
	hold: { to: 'on_hold', right: 'progress' },
	complete: { to: 'completed', right: 'progress' },
	cancel: { to: 'cancelled', right: 'cancel' },
	/** Back to proposed (after a decline, a counter-proposal or a cancellation): the coordinator asks again. */
	reopen: { to: 'requested', right: 'cancel' }
};

export interface CounterProposal {
	title: string;
	personId?: string | null;
	startDate?: string | null;
	dueDate?: string | null;
}

export interface MeasureActionInput {
	action: MeasureAction;
	personId?: string | null;
	reason?: string | null;
	interimMeasure?: string | null;
	counter?: CounterProposal | null;
}

export type MeasureActionErrorCode =
	| 'forbidden'
	| 'not_allowed'
	| 'not_found'
	| 'wrong_status'
	| 'reason_required'
	| 'interim_required'
	| 'person_required'
	| 'person_not_in_service'
	| 'counter_required'
	| 'invalid';

/** A refusal with its HTTP status: 400 bad input, 403 not allowed, 404 unknown, 409 not from this status. */
export class MeasureActionError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly code: MeasureActionErrorCode,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'MeasureActionError';
	}
}

export interface MeasureActionResult {
	measure: Omit<Measure, 'description'>;
	/** The counter-proposal written, for `counter`. */
	counter?: Omit<Measure, 'description'>;
}

const plain = ({ description: _d, ...rest }: Measure): Omit<Measure, 'description'> => rest;

function text(value: string | null | undefined): string {
	return (value ?? '').trim();
}

/** The change a validated action makes, as a function of the document (run on a copy first, then live). */
function changeFor(
	input: MeasureActionInput,
	measure: Measure,
	actorId: string,
	now: string,
	counterId: string
): (doc: Y.Doc) => void {
	const { to } = ACTION[input.action];
	const patch: MeasurePatch = { status: to };
	if (input.action === 'accept' || input.action === 'decline' || input.action === 'counter') {
		patch.answeredBy = actorId;
		patch.answeredAt = now;
	}
	if (input.action === 'accept') patch.personId = text(input.personId);
	if (input.action === 'start' && input.personId) patch.personId = text(input.personId);
	if (input.action === 'decline' || input.action === 'hold' || input.action === 'cancel')
		patch.statusReason = text(input.reason);
	if (input.action === 'counter' && text(input.reason)) patch.statusReason = text(input.reason);
	if (input.action === 'hold') patch.interimMeasure = text(input.interimMeasure);
	// Asked again: the earlier answer no longer stands.
	if (input.action === 'reopen') {
		patch.answeredBy = null;
		patch.answeredAt = null;
	}
	return (doc) => {
		if (input.action === 'counter' && input.counter) {
			addMeasure(
				doc,
				{
					id: counterId,
					goalId: measure.goalId,
					title: input.counter.title,
					serviceId: measure.serviceId,
					personId: input.counter.personId ?? null,
					startDate: input.counter.startDate ?? null,
					dueDate: input.counter.dueDate ?? null,
					counterOf: measure.id,
					createdBy: actorId,
					at: { after: measure.id }
				},
				undefined
			);
		}
		updateMeasure(doc, measure.id, patch);
	};
}

const VALIDATION: Partial<Record<PlanValidationCode, MeasureActionErrorCode>> = {
	reason_required: 'reason_required',
	interim_required: 'interim_required'
};

type Deps = { db: Db; collab: Pick<CollabServer, 'applyServerChange' | 'readDocState'> };

/** Runs one action for `actorId`. Throws MeasureActionError for every refusal; writes nothing then. Refusals of rights are logged. */
export async function runMeasureAction(
	deps: Deps,
	actorId: string,
	planId: string,
	measureId: string,
	input: MeasureActionInput
): Promise<MeasureActionResult> {
	try {
		return await run(deps, actorId, planId, measureId, input);
	} catch (err) {
		if (err instanceof MeasureActionError && err.status === 403) {
			await recordAudit(deps.db, {
				actorId,
				action: 'plan.denied',
				planId,
				target: measureId,
				detail: { action: input.action }
			});
		}
		throw err;
	}
}

async function run(
	deps: Deps,
	actorId: string,
	planId: string,
	measureId: string,
	input: MeasureActionInput
): Promise<MeasureActionResult> {
	const { db, collab } = deps;
	const access = await planAccess(db, actorId, planId);
	if (!access || access.docs.plan !== 'write')
		throw new MeasureActionError(403, 'forbidden', 'No write access to this plan.');
	const spec = ACTION[input.action];
	if (!spec)
		throw new MeasureActionError(400, 'invalid', `action must be one of ${MEASURE_ACTIONS.join(', ')}.`, 'action');

	const docName = planDocName(planId);
	const scratch = new Y.Doc();
	try {
		Y.applyUpdate(scratch, await collab.readDocState(docName));
		const measure = getMeasure(scratch, measureId);
		if (!measure) throw new MeasureActionError(404, 'not_found', 'No such measure in this plan.');

		const actor = actorOf(actorId, access);
		const rights = measureRights(actor, measure);
		if (!rights[spec.right]) {
			const why =
				spec.right === 'answer'
					? 'Only a member of the owning service can answer this measure.'
					: spec.right === 'progress'
						? 'Only the owning service or the coordinator can move this measure on.'
						: 'Only the coordinator (or its creator while it is proposed) can cancel this measure.';
			throw new MeasureActionError(403, 'not_allowed', why);
		}
		// Answers are given to a proposed measure; every other step follows the transitions of the rights table.
		const possible =
			spec.right === 'answer' ? measure.status === 'requested' : nextStatuses(actor, measure).includes(spec.to);
		if (!possible) {
			throw new MeasureActionError(
				409,
				'wrong_status',
				`A measure that is ${measure.status} cannot become ${spec.to}.`
			);
		}
		await checkInput(db, input, measure);

		const now = new Date().toISOString();
		const counterId = newId();
		const change = changeFor(input, measure, actorId, now, counterId);
		// A dry run on the copy: the live document must never see a change that fails halfway.
		try {
			scratch.transact(() => change(scratch));
		} catch (err) {
			if (!isPlanValidationError(err)) throw err;
			throw new MeasureActionError(400, VALIDATION[err.code] ?? 'invalid', err.message, err.field);
		}

		let applied: Measure | null = null;
		let counter: Measure | null = null;
		let refused: unknown = null;
		await collab.applyServerChange(
			docName,
			(doc) => {
				// Checked again on the live document: someone may have changed the measure since it was read.
				const live = getMeasure(doc, measureId);
				if (!live || live.status !== measure.status) {
					refused = new MeasureActionError(409, 'wrong_status', 'The measure changed meanwhile; look again and retry.');
					return;
				}
				try {
					change(doc);
				} catch (err) {
					// The model refuses before writing, and the dry run passed: nothing was written.
					refused = err;
					return;
				}
				applied = getMeasure(doc, measureId);
				if (input.action === 'counter') counter = getMeasure(doc, counterId);
			},
			actorId
		);
		if (refused) throw refused;
		if (!applied)
			throw new MeasureActionError(409, 'wrong_status', 'The measure changed meanwhile; look again and retry.');

		await recordAudit(db, {
			actorId,
			action: spec.right === 'answer' ? 'measure.answered' : 'measure.status_changed',
			planId,
			target: measureId,
			// Codes and ids only: a reason may be sensitive, and it stays in the plan.
			detail: {
				from: measure.status,
				to: spec.to,
				...(input.action === 'accept' ? { personId: text(input.personId) } : {}),
				...(counter ? { counter: counterId } : {})
			}
		});
		return { measure: plain(applied), ...(counter ? { counter: plain(counter) } : {}) };
	} finally {
		scratch.destroy();
	}
}

async function checkInput(db: Db, input: MeasureActionInput, measure: Measure): Promise<void> {
	const reason = text(input.reason);
	const interim = text(input.interimMeasure);
	if (reason.length > LIMITS.reason)
		throw new MeasureActionError(400, 'invalid', `reason is longer than ${LIMITS.reason} characters.`, 'reason');
	if (interim.length > LIMITS.reason)
		throw new MeasureActionError(
			400,
			'invalid',
			`interimMeasure is longer than ${LIMITS.reason} characters.`,
			'interimMeasure'
		);
	switch (input.action) {
		case 'decline':
		case 'cancel':
			if (!reason) throw new MeasureActionError(400, 'reason_required', 'Say why: a reason is required.', 'reason');
			break;
		case 'hold':
			if (!reason)
				throw new MeasureActionError(
					400,
					'reason_required',
					'Say what the measure waits for: a reason is required.',
					'reason'
				);
			if (!interim)
				throw new MeasureActionError(
					400,
					'interim_required',
					'Say what happens meanwhile: an interim measure is required.',
					'interimMeasure'
				);
			break;
		case 'accept': {
			const personId = text(input.personId);
			if (!personId)
				throw new MeasureActionError(400, 'person_required', 'Name the person who will do it.', 'personId');
			await requireServiceMember(db, measure.serviceId, personId);
			break;
		}
		case 'start': {
			const personId = text(input.personId) || measure.personId;
			if (!personId)
				throw new MeasureActionError(
					400,
					'person_required',
					'A named person is required before work starts.',
					'personId'
				);
			if (text(input.personId)) await requireServiceMember(db, measure.serviceId, personId);
			break;
		}
		case 'counter': {
			const title = text(input.counter?.title);
			if (!title)
				throw new MeasureActionError(
					400,
					'counter_required',
					'Describe what the service offers instead.',
					'counter.title'
				);
			if (input.counter?.personId) await requireServiceMember(db, measure.serviceId, input.counter.personId);
			break;
		}
	}
}

/** The named person works in the owning service (the service's own staff list in the directory). */
async function requireServiceMember(db: Db, serviceId: string | null, personId: string): Promise<void> {
	if (!serviceId)
		throw new MeasureActionError(400, 'person_not_in_service', 'The measure has no owning service.', 'personId');
	const [row] = await db
		.select({ userId: serviceStaff.userId })
		.from(serviceStaff)
		.where(and(eq(serviceStaff.serviceId, serviceId), eq(serviceStaff.userId, personId)))
		.limit(1);
	if (!row)
		throw new MeasureActionError(
			400,
			'person_not_in_service',
			'The named person does not work in the owning service.',
			'personId'
		);
}
