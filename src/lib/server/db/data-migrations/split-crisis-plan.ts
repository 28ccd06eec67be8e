import * as Y from 'yjs';
import { inArray } from 'drizzle-orm';
import { crisisDocName, planDocName } from '../../../plan/schema';
import { contactsRoot, crisisRoot, warningSignsRoot, whatHelpsRoot, wishesRoot } from '../../../plan/roots';
import { PgDocStore, applyStoredDoc } from '../../collab/doc-store';
import { docUpdates, plans } from '../schema';
import type { Db } from '../handle';

/**
 * The crisis plan used to live inside `plan:<id>`; now it is its own document, `crisis:<id>`, so a consent can
 * cover it alone. For each plan whose `plan:` document still holds crisis content, that content is copied into a
 * new `crisis:` document (one stored update) and removed from `plan:` (one more stored update). Nothing is
 * rewritten: every earlier update stays in `doc_updates`, so the attribution history is whole.
 */
export async function splitCrisisPlan(db: Db): Promise<number> {
	const store = new PgDocStore(db);
	const planIds = (await db.select({ id: plans.id }).from(plans)).map((p) => p.id);
	let moved = 0;
	for (const planId of planIds) {
		const existing = await db
			.select({ id: docUpdates.id })
			.from(docUpdates)
			.where(inArray(docUpdates.docName, [crisisDocName(planId)]))
			.limit(1);
		if (existing.length > 0) continue;
		const planDoc = new Y.Doc();
		applyStoredDoc(planDoc, await store.load(planDocName(planId)));
		const roots = {
			crisis: crisisRoot(planDoc),
			signs: warningSignsRoot(planDoc),
			contacts: contactsRoot(planDoc),
			helps: whatHelpsRoot(planDoc),
			wishes: wishesRoot(planDoc)
		};
		const empty =
			roots.crisis.size === 0 &&
			roots.signs.size === 0 &&
			roots.contacts.size === 0 &&
			roots.helps.length === 0 &&
			roots.wishes.length === 0;
		if (empty) continue;

		const crisisDoc = new Y.Doc();
		crisisDoc.transact(() => {
			for (const [from, to] of [
				[roots.crisis, crisisRoot(crisisDoc)],
				[roots.signs, warningSignsRoot(crisisDoc)],
				[roots.contacts, contactsRoot(crisisDoc)]
			] as const) {
				from.forEach((value, key) => to.set(key, value instanceof Y.AbstractType ? value.clone() : value));
			}
			for (const [from, to] of [
				[roots.helps, whatHelpsRoot(crisisDoc)],
				[roots.wishes, wishesRoot(crisisDoc)]
			] as const) {
				to.insert(
					0,
					from.toArray().map((node) => node.clone() as Y.XmlElement | Y.XmlText)
				);
			}
		});
		const sv = Y.encodeStateVector(planDoc);
		planDoc.transact(() => {
			for (const map of [roots.crisis, roots.signs, roots.contacts]) for (const key of [...map.keys()]) map.delete(key);
			for (const fragment of [roots.helps, roots.wishes]) if (fragment.length > 0) fragment.delete(0, fragment.length);
		});
		await db.insert(docUpdates).values([
			{ docName: crisisDocName(planId), update: Y.encodeStateAsUpdate(crisisDoc), userId: null },
			{ docName: planDocName(planId), update: Y.encodeStateAsUpdate(planDoc, sv), userId: null }
		]);
		planDoc.destroy();
		crisisDoc.destroy();
		moved++;
	}
	return moved;
}
