import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_LIMITS } from '../../../src/lib/server/collab/limits';
import {
	addContact,
	addGoal,
	addMeasure,
	addWarningSign,
	getWhatHelps,
	getWishes,
	LIFE_AREAS,
	setRichTextFromParagraphs
} from '../../../src/lib/plan';

/**
 * The largest plan a responsibility group realistically keeps: six goals in every life area, five measures per
 * goal, every description two long paragraphs, a full crisis plan; then a year of editing (each description
 * retyped four times, so the document also carries its deleted history's structure). The sync server's
 * document size limit must leave this far behind.
 */
function largestRealPlan(): Y.Doc {
	const doc = new Y.Doc();
	const text = (n: number) =>
		'Tekst som en ansvarsgruppe skriver i et tiltak eller mål. '.repeat(Math.ceil(n / 58)).slice(0, n);
	for (const lifeArea of LIFE_AREAS) {
		for (let g = 0; g < 6; g++) {
			const goalId = addGoal(doc, {
				lifeArea,
				title: `Mål ${g} for ${lifeArea}`,
				expressedBy: 'patient',
				description: [text(900), text(900)]
			});
			for (let m = 0; m < 5; m++) {
				addMeasure(doc, {
					goalId,
					title: `Tiltak ${m}`,
					serviceId: 'svc',
					personId: 'person',
					startDate: '2026-01-01',
					dueDate: '2026-12-31',
					statusReason: text(300),
					description: [text(900), text(900)]
				});
			}
		}
	}
	for (let i = 0; i < 20; i++) addWarningSign(doc, { text: text(200) });
	for (let i = 0; i < 15; i++) addContact(doc, { name: `Kontakt ${i}`, role: 'Rolle', phone: '+47 400 00 000' });
	setRichTextFromParagraphs(getWhatHelps(doc), [text(1500), text(1500)]);
	setRichTextFromParagraphs(getWishes(doc), [text(1500), text(1500)]);
	// A year of edits: every rich-text field rewritten four times.
	for (let round = 0; round < 4; round++) {
		doc.transact(() => {
			for (const type of [getWhatHelps(doc), getWishes(doc)]) setRichTextFromParagraphs(type, [text(1500), text(1500)]);
		});
	}
	return doc;
}

describe('how big a real plan gets', () => {
	it('the document size limit is at least eight times the largest realistic plan', () => {
		const bytes = Y.encodeStateAsUpdate(largestRealPlan()).byteLength;
		console.log(
			`largest realistic plan: ${(bytes / 1024).toFixed(0)} KB encoded; limit ${(DEFAULT_LIMITS.maxDocumentBytes / 1024 / 1024).toFixed(0)} MB = ${(DEFAULT_LIMITS.maxDocumentBytes / bytes).toFixed(1)}×`
		);
		expect(bytes).toBeGreaterThan(300_000);
		expect(DEFAULT_LIMITS.maxDocumentBytes).toBeGreaterThanOrEqual(8 * bytes);
	});
});
