/**
 * A new measure in one step (title, owning service, person, due date), written as the server. A service with no
 * seat in the group is proposed as a member: the coordinator sees the proposal on the group page.
 */
import * as Y from 'yjs';
import { and, eq, isNull } from 'drizzle-orm';
import { addMeasure, getGoal, isPlanValidationError, isValidDate, LIMITS, newId, planDocName } from '../../plan';
import { canCreateMeasure } from '../../plan/rights';
import { actorOf, type PlanAccess } from '../access/plans';
import { memberServiceIds } from './services';
import { recordAudit } from '../audit';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { serviceProposals, serviceStaff, services } from '../db/schema';
import { MeasureActionError } from './actions';

export interface NewMeasureForm {
	goalId: string;
	title: string;
	serviceId: string;
	personId: string;
	dueDate: string;
}

export async function addMeasureAsServer(
	deps: { db: Db; collab: Pick<CollabServer, 'applyServerChange' | 'readDocState'> },
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	input: NewMeasureForm
): Promise<{ measureId: string; proposedService: boolean }> {
	const { db, collab } = deps;
	if (!access || access.docs.plan !== 'write')
		throw new MeasureActionError(403, 'forbidden', 'No write access to this plan.');
	const actor = actorOf(actorId, access);
	if (!canCreateMeasure(actor))
		throw new MeasureActionError(403, 'not_allowed', 'You may not add measures to this plan.');

	const title = input.title.replace(/\s+/g, ' ').trim();
	if (!title) throw new MeasureActionError(400, 'invalid', 'Give the measure a title.', 'title');
	if (title.length > LIMITS.title)
		throw new MeasureActionError(400, 'invalid', `The title is longer than ${LIMITS.title} characters.`, 'title');
	const serviceId = input.serviceId.trim();
	if (!serviceId)
		throw new MeasureActionError(400, 'invalid', 'Choose the service that owns the measure.', 'serviceId');
	const [service] = await db.select({ id: services.id }).from(services).where(eq(services.id, serviceId)).limit(1);
	if (!service) throw new MeasureActionError(400, 'invalid', 'No such service.', 'serviceId');
	const personId = input.personId.trim() || null;
	if (personId) {
		const [staff] = await db
			.select({ userId: serviceStaff.userId })
			.from(serviceStaff)
			.where(and(eq(serviceStaff.serviceId, serviceId), eq(serviceStaff.userId, personId)))
			.limit(1);
		if (!staff)
			throw new MeasureActionError(
				400,
				'person_not_in_service',
				'The person does not work in that service.',
				'personId'
			);
	}
	const dueDate = input.dueDate.trim() || null;
	if (dueDate && !isValidDate(dueDate))
		throw new MeasureActionError(400, 'invalid', 'The due date must be a date.', 'dueDate');

	const docName = planDocName(planId);
	const scratch = new Y.Doc();
	Y.applyUpdate(scratch, await collab.readDocState(docName));
	const goalExists = !!getGoal(scratch, input.goalId);
	scratch.destroy();
	if (!goalExists) throw new MeasureActionError(404, 'not_found', 'No such goal in this plan.', 'goalId');

	const measureId = newId();
	let refused: unknown = null;
	await collab.applyServerChange(
		docName,
		(doc) => {
			try {
				// The model checks everything before it writes: a refusal leaves the document as it was.
				addMeasure(doc, {
					id: measureId,
					goalId: input.goalId,
					title,
					serviceId,
					personId,
					dueDate,
					createdBy: actorId
				});
			} catch (err) {
				refused = err;
			}
		},
		actorId
	);
	if (refused) {
		if (isPlanValidationError(refused))
			throw new MeasureActionError(
				refused.code === 'unknown_goal' ? 404 : 400,
				'invalid',
				refused.message,
				refused.field
			);
		throw refused;
	}
	await recordAudit(db, { actorId, action: 'measure.added', planId, target: measureId, detail: { serviceId } });

	const proposedService =
		!(await memberServiceIds(db, planId)).has(serviceId) &&
		(await proposeService(db, planId, serviceId, measureId, actorId));
	return { measureId, proposedService };
}

/** Proposes the service as a member unless an open proposal for it exists. True when a proposal was made. */
async function proposeService(
	db: Db,
	planId: string,
	serviceId: string,
	measureId: string,
	actorId: string
): Promise<boolean> {
	const [open] = await db
		.select({ id: serviceProposals.id })
		.from(serviceProposals)
		.where(
			and(
				eq(serviceProposals.planId, planId),
				eq(serviceProposals.serviceId, serviceId),
				isNull(serviceProposals.settledAt)
			)
		)
		.limit(1);
	if (open) return false;
	await db.insert(serviceProposals).values({ planId, serviceId, measureId, proposedBy: actorId });
	await recordAudit(db, { actorId, action: 'service.proposed', planId, target: serviceId, detail: { measureId } });
	return true;
}
