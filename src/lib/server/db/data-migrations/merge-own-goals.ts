import * as Y from 'yjs';
import { addGoal, listGoals } from '../../../plan/goals';
import { isValidId } from '../../../plan/ids';
import { goalsRoot } from '../../../plan/roots';
import { LIMITS, planDocName, RETIRED_ROOT, voiceDocName, type LifeArea } from '../../../plan/schema';
import { readTextEntries } from '../../../plan/text-list';
import { PgDocStore, applyStoredDoc } from '../../collab/doc-store';
import { docUpdates, plans } from '../schema';
import type { Db } from '../handle';

/**
 * The old own-goals list had no life area. Its goals land in "not placed yet", proposed, for the group to place
 * with the patient (the coordinator may move a patient's goal to another area; only the patient rewords it).
 */
const MIGRATED_LIFE_AREA: LifeArea = 'other';

const same = (a: string, b: string) => a.trim().toLocaleLowerCase('nb') === b.trim().toLocaleLowerCase('nb');

/**
 * The patient's own goals used to be a text list in `voice:<id>` that the plan's goals knew nothing of. Now a
 * goal the patient writes is a goal of the plan, `expressedBy: 'patient'`. For each plan whose voice document
 * still holds own goals, each becomes a plan goal in the patient's words, created by the patient (one stored
 * update to `plan:`), unless the patient already has a goal with the same words; then the old list is emptied
 * (one stored update to `voice:`). Earlier updates stay in `doc_updates`, so the attribution history is whole,
 * and a second run finds the list empty.
 */
export async function mergeOwnGoals(db: Db): Promise<number> {
	const store = new PgDocStore(db);
	const all = await db.select({ id: plans.id, patientId: plans.patientId }).from(plans);
	let merged = 0;
	for (const { id: planId, patientId } of all) {
		const voiceDoc = new Y.Doc();
		applyStoredDoc(voiceDoc, await store.load(voiceDocName(planId)));
		const old = voiceDoc.getMap<unknown>(RETIRED_ROOT.ownGoals);
		if (old.size === 0) {
			voiceDoc.destroy();
			continue;
		}
		const planDoc = new Y.Doc();
		applyStoredDoc(planDoc, await store.load(planDocName(planId)));
		const planSv = Y.encodeStateVector(planDoc);
		const theirs = listGoals(planDoc).filter((g) => g.expressedBy === 'patient');
		planDoc.transact(() => {
			for (const entry of readTextEntries(old)) {
				// One line, as a title is; cut at a word if the old list held something longer than a title may be.
				const title = cut(entry.text.replace(/\s+/g, ' ').trim(), LIMITS.title);
				if (title.length === 0 || theirs.some((g) => same(g.title, title))) continue;
				// The entry's id is kept when it can be: the same goal under the same id.
				const id = isValidId(entry.id) && !goalsRoot(planDoc).has(entry.id) ? entry.id : undefined;
				addGoal(planDoc, {
					id,
					lifeArea: MIGRATED_LIFE_AREA,
					title,
					expressedBy: 'patient',
					status: 'proposed',
					createdBy: patientId
				});
			}
		});
		const voiceSv = Y.encodeStateVector(voiceDoc);
		voiceDoc.transact(() => {
			for (const key of [...old.keys()]) old.delete(key);
		});
		const rows = [{ docName: voiceDocName(planId), update: Y.encodeStateAsUpdate(voiceDoc, voiceSv), userId: null }];
		const planUpdate = Y.encodeStateAsUpdate(planDoc, planSv);
		// Nothing new in the plan (every goal was there already) stores nothing there.
		if (!equalsEmptyUpdate(planUpdate))
			rows.unshift({ docName: planDocName(planId), update: planUpdate, userId: null });
		await db.insert(docUpdates).values(rows);
		planDoc.destroy();
		voiceDoc.destroy();
		merged++;
	}
	return merged;
}

function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	const at = text.lastIndexOf(' ', max - 1);
	return `${text.slice(0, at > max / 2 ? at : max - 1)}…`;
}

function equalsEmptyUpdate(update: Uint8Array): boolean {
	const empty = Y.encodeStateAsUpdate(new Y.Doc());
	return update.length === empty.length && update.every((b, i) => b === empty[i]);
}
