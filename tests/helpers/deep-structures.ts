// Hostile shapes for the sync server's gate and hardening tests: shared types nested far deeper than the model ever nests them.
import * as Y from 'yjs';
import { ROOT } from '../../src/lib/plan/schema';

/** A map nested `levels` deep under one goals key (an unknown key: the schema refuses it as well as the depth limit). */
export function deepMap(levels: number): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		let m = new Y.Map<unknown>();
		doc.getMap(ROOT.goals).set('deep', m);
		for (let i = 0; i < levels; i++) {
			const next = new Y.Map<unknown>();
			m.set('x', next);
			m = next;
		}
	});
	return doc;
}

/**
 * A goal whose description nests `levels` elements, in a field that takes rich text: only the depth limit stands in
 * its way. The deepest shared type is at depth 3 + levels; the goal itself is the document's first struct.
 */
export function deepRichText(levels: number, element = 'blockquote'): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const goal = new Y.Map<unknown>();
		doc.getMap(ROOT.goals).set('deep', goal);
		const description = new Y.XmlFragment();
		goal.set('description', description);
		let parent: Y.XmlFragment = description;
		for (let i = 0; i < levels; i++) {
			const next = new Y.XmlElement(element);
			parent.insert(0, [next]);
			parent = next;
		}
	});
	return doc;
}
