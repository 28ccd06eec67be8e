/** Typed access to the document roots. The only place that turns a root name into a shared type. */
import * as Y from 'yjs';
import { ROOT, VOICE_ROOT, type DocKind } from './schema';

export const goalsRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.goals);
export const measuresRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.measures);
export const crisisRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.crisis);
export const warningSignsRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.warningSigns);
export const contactsRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.contacts);
export const whatHelpsRoot = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(ROOT.whatHelps);
export const wishesRoot = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(ROOT.wishes);

export const whatMattersRoot = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(VOICE_ROOT.whatMatters);
export const ownResourcesRoot = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(VOICE_ROOT.ownResources);

/** Every root of a plan document (goals and measures): the scope for a `Y.UndoManager` or an observer of "anything changed". */
export function planScope(doc: Y.Doc): Y.AbstractType<unknown>[] {
	return [goalsRoot(doc), measuresRoot(doc)] as Y.AbstractType<unknown>[];
}

/** Every root of a crisis-plan document. */
export function crisisScope(doc: Y.Doc): Y.AbstractType<unknown>[] {
	return [
		crisisRoot(doc),
		warningSignsRoot(doc),
		contactsRoot(doc),
		whatHelpsRoot(doc),
		wishesRoot(doc)
	] as Y.AbstractType<unknown>[];
}

/** Every root of a voice document. */
export function voiceScope(doc: Y.Doc): Y.AbstractType<unknown>[] {
	return [whatMattersRoot(doc), ownResourcesRoot(doc)] as Y.AbstractType<unknown>[];
}

/** The roots of a document of the given kind. */
export function scopeOf(kind: DocKind, doc: Y.Doc): Y.AbstractType<unknown>[] {
	return kind === 'plan' ? planScope(doc) : kind === 'crisis' ? crisisScope(doc) : voiceScope(doc);
}
