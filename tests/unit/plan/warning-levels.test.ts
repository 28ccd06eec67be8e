/** Warning signs by level (issue 10): early → worse → acute, absent = early, and nothing else accepted. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addWarningSign,
	listWarningSigns,
	renderCrisisPlan,
	ROOT,
	setWarningSignLevel,
	WARNING_LEVELS,
	warningSignsByLevel,
	type WarningLevel
} from '../../../src/lib/plan';
import { MAP_ROOTS } from '../../../src/lib/plan/field-schema';
import { captureOrigins, expectRefused } from './helpers';

const levels = (doc: Y.Doc) => listWarningSigns(doc).map((w) => [w.text, w.level]);

describe('warning sign levels', () => {
	test('a sign added without a level is early, and stores no level (as plans from before levels)', () => {
		const doc = new Y.Doc();
		const id = addWarningSign(doc, { text: 'Sover dårlig' });
		expect(levels(doc)).toEqual([['Sover dårlig', 'early']]);
		expect((doc.getMap(ROOT.warningSigns).get(id) as Y.Map<unknown>).has('level')).toBe(false);
	});

	test('a stored sign with no level, or a level this version does not know, reads as early', () => {
		const doc = new Y.Doc();
		const root = doc.getMap(ROOT.warningSigns);
		addWarningSign(doc, { text: 'Fra før nivåer' });
		// Written raw, as another client (or an older or newer version) could.
		(root.get(addWarningSign(doc, { text: 'Ukjent nivå' })) as Y.Map<unknown>).set('level', 'catastrophic');
		(root.get(addWarningSign(doc, { text: 'Tall som nivå' })) as Y.Map<unknown>).set('level', 3);
		expect(levels(doc)).toEqual([
			['Fra før nivåer', 'early'],
			['Ukjent nivå', 'early'],
			['Tall som nivå', 'early']
		]);
	});

	test('added with a level, and set later, in one update each with the caller’s origin', () => {
		const doc = new Y.Doc();
		let a = '';
		expect(
			captureOrigins(doc, () => (a = addWarningSign(doc, { text: 'Stemmene blir mer kritiske', level: 'acute' }, 'me')))
		).toEqual(['me']);
		const b = addWarningSign(doc, { text: 'Trekker meg unna' });
		expect(captureOrigins(doc, () => setWarningSignLevel(doc, b, 'worse', 'me'))).toEqual(['me']);
		expect(levels(doc)).toEqual([
			['Stemmene blir mer kritiske', 'acute'],
			['Trekker meg unna', 'worse']
		]);
		setWarningSignLevel(doc, a, 'early');
		expect(listWarningSigns(doc).find((w) => w.id === a)?.level).toBe('early');
		// Setting the level a sign already has writes nothing; so does early on a sign with none.
		const c = addWarningSign(doc, { text: 'Uten nivå' });
		expect(captureOrigins(doc, () => setWarningSignLevel(doc, b, 'worse'))).toEqual([]);
		expect(captureOrigins(doc, () => setWarningSignLevel(doc, c, 'early'))).toEqual([]);
	});

	test('an unknown level is refused, and nothing is written', () => {
		const doc = new Y.Doc();
		const a = addWarningSign(doc, { text: 'En', level: 'worse' });
		expectRefused(doc, 'invalid_warning_level', () => setWarningSignLevel(doc, a, 'catastrophic' as WarningLevel));
		expectRefused(doc, 'invalid_warning_level', () => addWarningSign(doc, { text: 'To', level: '' as WarningLevel }));
		expectRefused(doc, 'invalid_warning_level', () =>
			addWarningSign(doc, { text: 'To', level: 2 as unknown as WarningLevel })
		);
		expectRefused(doc, 'not_found', () => setWarningSignLevel(doc, 'nope', 'acute'));
		expect(levels(doc)).toEqual([['En', 'worse']]);
	});

	test('grouped early → worse → acute, every level present, list order kept within a level', () => {
		const doc = new Y.Doc();
		addWarningSign(doc, { text: 'A', level: 'acute' });
		addWarningSign(doc, { text: 'B' });
		addWarningSign(doc, { text: 'C', level: 'acute' });
		addWarningSign(doc, { text: 'D', level: 'early' });
		const groups = warningSignsByLevel(renderCrisisPlan(doc).warningSigns);
		expect(groups.map((g) => [g.level, g.signs.map((s) => s.text)])).toEqual([
			['early', ['B', 'D']],
			['worse', []],
			['acute', ['A', 'C']]
		]);
	});

	test('the field schema lets exactly the model’s levels through', () => {
		const spec = MAP_ROOTS.crisis[ROOT.warningSigns];
		expect(spec.holds).toBe('entities');
		const check = spec.fields.level.check;
		for (const level of WARNING_LEVELS) expect(check(level)).toBe(true);
		for (const bad of ['', 'Early', 'catastrophic', null, 1, undefined]) expect(check(bad)).toBe(false);
		expect(WARNING_LEVELS).toEqual(['early', 'worse', 'acute']);
	});
});
