import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addOwnResource,
	getWhatMatters,
	listOwnResources,
	moveOwnResource,
	readVoice,
	removeOwnResource,
	setRichTextFromParagraphs,
	updateOwnResource,
	voiceScope,
	RETIRED_ROOT,
	VOICE_ROOT
} from '../../../src/lib/plan';
import { captureOrigins, expectRefused } from './helpers';

describe('voice document', () => {
	test('own resources: add, update, move, remove', () => {
		const doc = new Y.Doc();
		const a = addOwnResource(doc, { text: 'Flink med data' });
		const b = addOwnResource(doc, { text: 'Liker turer', at: 'start' });
		expect(listOwnResources(doc).map((r) => r.id)).toEqual([b, a]);
		moveOwnResource(doc, b, { after: a });
		updateOwnResource(doc, a, 'Flink med datamaskiner');
		expect(listOwnResources(doc).map((r) => r.text)).toEqual(['Flink med datamaskiner', 'Liker turer']);
		expect(captureOrigins(doc, () => removeOwnResource(doc, a, 'o'))).toEqual(['o']);
		expect(listOwnResources(doc).map((r) => r.id)).toEqual([b]);
		expectRefused(doc, 'not_found', () => updateOwnResource(doc, a, 'x'));
	});

	test("the patient's goals are not in the voice: an old own-goals list is neither read nor in scope", () => {
		const doc = new Y.Doc();
		const old = new Y.Map<unknown>();
		doc.getMap(RETIRED_ROOT.ownGoals).set('g1', old);
		old.set('text', 'Mål');
		old.set('order', 'a0');
		addOwnResource(doc, { text: 'Ressurs' });
		const voice = readVoice(doc);
		expect(Object.keys(voice).sort()).toEqual(['ownResources', 'whatMatters']);
		expect(voice.ownResources.map((r) => r.text)).toEqual(['Ressurs']);
		expect(voiceScope(doc)).not.toContain(doc.getMap(RETIRED_ROOT.ownGoals));
	});

	test('"Hva er viktig for meg" is a root fragment', () => {
		const doc = new Y.Doc();
		setRichTextFromParagraphs(getWhatMatters(doc), ['Jeg vil ha et vanlig liv.']);
		expect(readVoice(doc).whatMatters).toBe(doc.getXmlFragment(VOICE_ROOT.whatMatters));
		expect(getWhatMatters(doc).toString()).toBe('<paragraph>Jeg vil ha et vanlig liv.</paragraph>');
	});
});
