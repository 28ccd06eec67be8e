import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	addWarningSign,
	clearOpenReturn,
	getOpenReturn,
	getWhatHelps,
	getWishes,
	listContacts,
	listWarningSigns,
	moveContact,
	moveWarningSign,
	readCrisisPlan,
	removeContact,
	removeWarningSign,
	ROOT,
	setOpenReturn,
	setRichTextFromParagraphs,
	updateContact,
	updateWarningSign
} from '../../../src/lib/plan';
import { captureOrigins, expectRefused } from './helpers';

const texts = (doc: Y.Doc) => listWarningSigns(doc).map((w) => w.text);

describe('warning signs', () => {
	test('add, order, update, move, remove', () => {
		const doc = new Y.Doc();
		const a = addWarningSign(doc, { text: 'Sover dårlig flere netter' }, 'me');
		const c = addWarningSign(doc, { text: 'Slutter å ta medisiner' });
		addWarningSign(doc, { text: 'Trekker meg unna', at: { after: a } });
		expect(texts(doc)).toEqual(['Sover dårlig flere netter', 'Trekker meg unna', 'Slutter å ta medisiner']);
		updateWarningSign(doc, a, 'Sover dårlig tre netter på rad');
		moveWarningSign(doc, c, 'start');
		expect(texts(doc)).toEqual(['Slutter å ta medisiner', 'Sover dårlig tre netter på rad', 'Trekker meg unna']);
		expect(removeWarningSign(doc, a)).toBe(true);
		expect(removeWarningSign(doc, a)).toBe(false);
		expect(texts(doc)).toEqual(['Slutter å ta medisiner', 'Trekker meg unna']);
	});

	test('validation leaves the list unchanged', () => {
		const doc = new Y.Doc();
		const a = addWarningSign(doc, { text: 'En' });
		expectRefused(doc, 'empty_text', () => addWarningSign(doc, { text: '  ' }));
		expectRefused(doc, 'too_long', () => addWarningSign(doc, { text: 'x'.repeat(1001) }));
		expectRefused(doc, 'empty_text', () => updateWarningSign(doc, a, ''));
		expectRefused(doc, 'not_found', () => updateWarningSign(doc, 'nope', 'x'));
		expectRefused(doc, 'unknown_reference', () => moveWarningSign(doc, a, { after: 'nope' }));
		expect(texts(doc)).toEqual(['En']);
	});
});

describe('contacts', () => {
	test('add, update, move, remove', () => {
		const doc = new Y.Doc();
		const sister = addContact(doc, { name: 'Søster', role: 'Pårørende', phone: '+47 000 00 001' });
		const er = addContact(doc, { name: 'Legevakt', phone: '116 117' }, 'server');
		expect(listContacts(doc)).toMatchObject([
			{ id: sister, name: 'Søster', role: 'Pårørende', phone: '+47 000 00 001' },
			{ id: er, name: 'Legevakt', role: '', phone: '116 117' }
		]);
		updateContact(doc, er, { role: 'Hele døgnet' });
		moveContact(doc, er, { before: sister });
		expect(listContacts(doc).map((c) => [c.name, c.role])).toEqual([
			['Legevakt', 'Hele døgnet'],
			['Søster', 'Pårørende']
		]);
		expect(removeContact(doc, sister)).toBe(true);
		expect(listContacts(doc).map((c) => c.id)).toEqual([er]);
	});

	test('validation', () => {
		const doc = new Y.Doc();
		const id = addContact(doc, { name: 'A' });
		expectRefused(doc, 'empty_name', () => addContact(doc, { name: '' }));
		expectRefused(doc, 'invalid_phone', () => addContact(doc, { name: 'B', phone: 'ring meg' }));
		expectRefused(doc, 'invalid_phone', () => updateContact(doc, id, { phone: '<script>' }));
		expectRefused(doc, 'empty_name', () => updateContact(doc, id, { name: ' ', role: 'x' }));
		expectRefused(doc, 'not_found', () => updateContact(doc, 'nope', { name: 'x' }));
		expect(captureOrigins(doc, () => updateContact(doc, id, { name: 'A' }))).toEqual([]);
	});
});

describe('open return', () => {
	test('set, replace and clear', () => {
		const doc = new Y.Doc();
		expect(getOpenReturn(doc)).toBeNull();
		setOpenReturn(doc, { unit: 'DPS døgnavdeling', until: '2027-03-31', note: 'Inntil tre døgn' }, 'server');
		expect(getOpenReturn(doc)).toEqual({ unit: 'DPS døgnavdeling', until: '2027-03-31', note: 'Inntil tre døgn' });
		setOpenReturn(doc, { unit: 'DPS' });
		expect(getOpenReturn(doc)).toEqual({ unit: 'DPS', until: null, note: '' });
		expect(captureOrigins(doc, () => clearOpenReturn(doc, 'o'))).toEqual(['o']);
		expect(getOpenReturn(doc)).toBeNull();
		expect(captureOrigins(doc, () => clearOpenReturn(doc))).toEqual([]);
	});

	test('validation', () => {
		const doc = new Y.Doc();
		setOpenReturn(doc, { unit: 'DPS' });
		expectRefused(doc, 'empty_unit', () => setOpenReturn(doc, { unit: '' }));
		expectRefused(doc, 'invalid_date', () => setOpenReturn(doc, { unit: 'DPS', until: '31.03.2027' }));
		expect(getOpenReturn(doc)!.unit).toBe('DPS');
	});
});

describe('readCrisisPlan', () => {
	test('collects every part; the rich text parts are root fragments an editor can bind to', () => {
		const doc = new Y.Doc();
		addWarningSign(doc, { text: 'Sover dårlig' });
		addContact(doc, { name: 'Legevakt', phone: '116 117' });
		setRichTextFromParagraphs(getWhatHelps(doc), ['Rolig prat']);
		setRichTextFromParagraphs(getWishes(doc), ['Ring søsteren min']);
		const plan = readCrisisPlan(doc);
		expect(plan.warningSigns.map((w) => w.text)).toEqual(['Sover dårlig']);
		expect(plan.contacts.map((c) => c.phone)).toEqual(['116 117']);
		expect(plan.openReturn).toBeNull();
		expect(plan.whatHelps).toBe(doc.getXmlFragment(ROOT.whatHelps));
		expect(plan.wishes).toBe(doc.getXmlFragment(ROOT.wishes));
		expect(plan.whatHelps.toString()).toBe('<paragraph>Rolig prat</paragraph>');
	});
});
