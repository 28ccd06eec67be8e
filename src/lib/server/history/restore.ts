/**
 * Putting back an earlier version of a goal, a measure or a text: a NEW change by the person who restores,
 * written on top of the live plan, never a rewrite of the log. It goes through `applyAsMember`, the gate a
 * person's socket goes through, so whoever may not change a field may not restore it either. A removed goal or
 * measure is added again with its id (a measure as a new request to its service, since answers are the service's).
 */
import * as Y from 'yjs';
import {
	addGoal,
	addMeasure,
	DOC_PREFIX,
	fragmentToRichText,
	getGoal,
	getGoalDescription,
	getMeasure,
	getMeasureDescription,
	getWhatHelps,
	getWhatMatters,
	getWishes,
	moveMeasureToGoal,
	PlanValidationError,
	updateGoal,
	updateMeasure,
	type DocKind,
	type GoalPatch,
	type MeasurePatch
} from '../../plan';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { applyAsMember, MemberChangeError, type MemberChangeDeps } from '../patient-view/apply';
import { destroyDocs } from './log';
import { docsAtPoint, pointParam, type HistoryPoint } from './points';
import { RESTORABLE_TEXTS, TEXT_DOC, type RestorableText } from './state';

export type RestoreTarget =
	{ what: 'goal'; id: string } | { what: 'measure'; id: string } | { what: 'text'; field: RestorableText };

/** A restore target from a form; null when the form names none. */
export function parseRestoreTarget(what: string, id: string): RestoreTarget | null {
	if ((what === 'goal' || what === 'measure') && /^[A-Za-z0-9_-]{1,64}$/.test(id)) return { what, id };
	if (what === 'text' && (RESTORABLE_TEXTS as readonly string[]).includes(id))
		return { what, field: id as RestorableText };
	return null;
}

export const restoreDocKind = (target: RestoreTarget): DocKind =>
	target.what === 'text' ? TEXT_DOC[target.field] : 'plan';

const sameRichText = (a: Y.XmlFragment | null, b: Y.XmlFragment | null) =>
	JSON.stringify(fragmentToRichText(a)) === JSON.stringify(fragmentToRichText(b));

/** Makes `to` hold what `from` holds, as new content (copies, so the old document is left alone). */
function copyRichText(from: Y.XmlFragment | null, to: Y.XmlFragment | null): void {
	if (!to || sameRichText(from, to)) return;
	const copies = (from?.toArray() ?? []).map((node) => (node as Y.XmlElement | Y.XmlText).clone());
	if (to.length > 0) to.delete(0, to.length);
	if (copies.length > 0) to.insert(0, copies);
}

function restoreGoal(old: Y.Doc, doc: Y.Doc, id: string): void {
	const was = getGoal(old, id);
	if (!was) throw new PlanValidationError('not_found', 'no such goal at that point', 'id');
	doc.transact(() => {
		if (!getGoal(doc, id)) {
			addGoal(doc, {
				id,
				lifeArea: was.lifeArea,
				title: was.title,
				expressedBy: was.expressedBy,
				level: was.level,
				status: was.status,
				createdBy: was.createdBy
			});
		} else {
			// Only what differs is written (the model skips unchanged values): a restore asks for no more rights than it needs.
			const patch: GoalPatch = {
				title: was.title,
				lifeArea: was.lifeArea,
				status: was.status,
				level: was.level,
				expressedBy: was.expressedBy
			};
			updateGoal(doc, id, patch);
		}
		copyRichText(getGoalDescription(old, id), getGoalDescription(doc, id));
	});
}

function restoreMeasure(old: Y.Doc, doc: Y.Doc, id: string): void {
	const was = getMeasure(old, id);
	if (!was) throw new PlanValidationError('not_found', 'no such measure at that point', 'id');
	doc.transact(() => {
		const now = getMeasure(doc, id);
		// A reference to a measure that is gone now is left out rather than refused.
		const startsAfter = was.startsAfter && getMeasure(doc, was.startsAfter) ? was.startsAfter : null;
		if (!now) {
			addMeasure(doc, {
				id,
				goalId: was.goalId,
				title: was.title,
				serviceId: was.serviceId,
				personId: was.personId,
				startDate: was.startDate,
				dueDate: was.dueDate,
				startsAfter,
				createdBy: was.createdBy
			});
		} else {
			if (now.goalId !== was.goalId) moveMeasureToGoal(doc, id, was.goalId);
			// The status is the service's answer and the measure's progress, not its wording: it is not put back.
			const patch: MeasurePatch = {};
			if (now.title !== was.title) patch.title = was.title;
			if (now.serviceId !== was.serviceId) patch.serviceId = was.serviceId;
			if (now.personId !== was.personId) patch.personId = was.personId;
			if (now.startDate !== was.startDate) patch.startDate = was.startDate;
			if (now.dueDate !== was.dueDate) patch.dueDate = was.dueDate;
			if (now.startsAfter !== startsAfter) patch.startsAfter = startsAfter;
			if (now.statusReason !== was.statusReason) patch.statusReason = was.statusReason;
			if (now.interimMeasure !== was.interimMeasure) patch.interimMeasure = was.interimMeasure;
			updateMeasure(doc, id, patch);
		}
		copyRichText(getMeasureDescription(old, id), getMeasureDescription(doc, id));
	});
}

const TEXT_ROOTS: Record<RestorableText, (doc: Y.Doc) => Y.XmlFragment> = {
	whatMatters: getWhatMatters,
	whatHelps: getWhatHelps,
	wishes: getWishes
};

/**
 * Restores `target` as it was at `from`, as `userId`. Throws `MemberChangeError`: 403 without the right (the
 * document's, or the rights table's for the fields it changes), 404 when the point or the entity is not there.
 */
export async function restoreFromHistory(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	from: HistoryPoint,
	target: RestoreTarget
): Promise<void> {
	const kind = restoreDocKind(target);
	if (!access || access.docs[kind] === 'none')
		throw new MemberChangeError(403, 'forbidden', `No access to the ${kind} document.`);
	if (from.kind === 'now')
		throw new MemberChangeError(400, 'invalid', 'Restoring the plan as it is now changes nothing.', 'from');
	const old = await docsAtPoint(deps, planId, [kind], from);
	if (!old) throw new MemberChangeError(404, 'not_found', 'No such version of this plan.', 'from');
	try {
		const oldDoc = old[kind]!;
		await applyAsMember(deps, userId, access, planId, kind, (doc) => {
			if (target.what === 'goal') restoreGoal(oldDoc, doc, target.id);
			else if (target.what === 'measure') restoreMeasure(oldDoc, doc, target.id);
			else copyRichText(TEXT_ROOTS[target.field](oldDoc), TEXT_ROOTS[target.field](doc));
		});
	} finally {
		destroyDocs(old);
	}
	await recordAudit(deps.db, {
		actorId: userId,
		action: 'history.restored',
		planId,
		target: DOC_PREFIX[kind] + planId,
		detail: {
			what: target.what,
			...(target.what === 'text' ? { field: target.field } : { id: target.id }),
			from: pointParam(from)
		}
	});
}
