import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addOwnGoal,
	addOwnResource,
	getWhatMatters,
	listOwnGoals,
	listOwnResources,
	moveOwnGoal,
	moveOwnResource,
	readVoice,
	removeOwnGoal,
	removeOwnResource,
	setRichTextFromParagraphs,
	updateOwnGoal,
	updateOwnResource,
	VOICE_ROOT
} from '../../../src/lib/plan';
import { captureOrigins, expectRefused } from './helpers';

describe('voice document', () => {
	test('own goals: add, update, move, remove', () => {
		const doc = new Y.Doc();
		const a = addOwnGoal(doc, { text: 'Egen leilighet' }, 'patient');
		const b = addOwnGoal(doc, { text: 'Besøke søsteren min' });
		updateOwnGoal(doc, a, 'Egen leilighet før sommeren');
		moveOwnGoal(doc, b, 'start');
		expect(listOwnGoals(doc).map((g) => g.text)).toEqual(['Besøke søsteren min', 'Egen leilighet før sommeren']);
		expect(removeOwnGoal(doc, b)).toBe(true);
		expect(listOwnGoals(doc).map((g) => g.id)).toEqual([a]);
		expectRefused(doc, 'empty_text', () => addOwnGoal(doc, { text: '' }));
	});

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

	test('own goals and own resources are separate lists', () => {
		const doc = new Y.Doc();
		addOwnGoal(doc, { text: 'Mål' });
		addOwnResource(doc, { text: 'Ressurs' });
		const voice = readVoice(doc);
		expect(voice.ownGoals.map((g) => g.text)).toEqual(['Mål']);
		expect(voice.ownResources.map((r) => r.text)).toEqual(['Ressurs']);
	});

	test('"Hva er viktig for meg" is a root fragment', () => {
		const doc = new Y.Doc();
		setRichTextFromParagraphs(getWhatMatters(doc), ['Jeg vil ha et vanlig liv.']);
		expect(readVoice(doc).whatMatters).toBe(doc.getXmlFragment(VOICE_ROOT.whatMatters));
		expect(getWhatMatters(doc).toString()).toBe('<paragraph>Jeg vil ha et vanlig liv.</paragraph>');
	});
});
