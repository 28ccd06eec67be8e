import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addGoal,
	addMeasure,
	addWarningSign,
	getGoal,
	getMeasure,
	getOpenReturn,
	listAllMeasures,
	listContacts,
	listGoals,
	listMeasures,
	listOwnResources,
	listWarningSigns,
	moveGoal,
	readCrisisPlan,
	readVoice,
	renderPlan,
	richTextToHtml,
	RETIRED_ROOT,
	ROOT,
	VOICE_ROOT
} from '../../../src/lib/plan';

/** What a hostile or buggy client could write straight into the CRDT, bypassing the model. */
function writeGarbage(doc: Y.Doc): void {
	doc.transact(() => {
		const goals = doc.getMap<unknown>(ROOT.goals);
		goals.set('number', 42);
		goals.set('plain', { lifeArea: 'housing', title: 'plain object, not a map' });
		goals.set('array', new Y.Array());
		const noArea = new Y.Map<unknown>();
		goals.set('noArea', noArea);
		noArea.set('lifeArea', 'moon');
		noArea.set('title', 'Uten livsområde');
		const odd = new Y.Map<unknown>();
		goals.set('odd', odd);
		odd.set('lifeArea', 'economy');
		odd.set('title', 7);
		odd.set('status', 'exploded');
		odd.set('expressedBy', { who: 'me' });
		odd.set('order', 'not a key!');
		odd.set('description', 'not a fragment');
		odd.set('createdBy', 99);
		const huge = new Y.Map<unknown>();
		goals.set('huge', huge);
		huge.set('lifeArea', 'housing');
		huge.set('title', 'x'.repeat(100_000));
		huge.set('order', 'V');
		huge.set('description', new Y.XmlElement('paragraph'));

		const measures = doc.getMap<unknown>(ROOT.measures);
		measures.set('str', 'measure?');
		const noGoal = new Y.Map<unknown>();
		measures.set('noGoal', noGoal);
		noGoal.set('title', 'no goal id');
		const badFields = new Y.Map<unknown>();
		measures.set('badFields', badFields);
		badFields.set('goalId', 'huge');
		badFields.set('title', ['array']);
		badFields.set('startDate', 'i går');
		badFields.set('dueDate', '2026-02-30');
		badFields.set('status', 'maybe');
		badFields.set('serviceId', 5);
		badFields.set('statusReason', null);

		const signs = doc.getMap<unknown>(ROOT.warningSigns);
		signs.set('arr', new Y.Array());
		const emptySign = new Y.Map<unknown>();
		signs.set('empty', emptySign);
		emptySign.set('text', 12);
		const okSign = new Y.Map<unknown>();
		signs.set('ok', okSign);
		okSign.set('text', 'Sover dårlig');
		okSign.set('order', 17);

		const contacts = doc.getMap<unknown>(ROOT.contacts);
		const c = new Y.Map<unknown>();
		contacts.set('c', c);
		c.set('name', { first: 'A' });
		contacts.set('d', true);

		doc.getMap<unknown>(ROOT.crisis).set('openReturn', { unit: 5, until: 'soon' });

		const helps = doc.getXmlFragment(ROOT.whatHelps);
		const hook = new Y.XmlHook('hook');
		const script = new Y.XmlElement('script');
		helps.insert(0, [hook as unknown as Y.XmlElement, script]); // hooks are valid Yjs, just not in the typed API
		script.setAttribute('onload', 'alert(1)');
		script.insert(0, [new Y.XmlText('alert(1)')]);
		let parent: Y.XmlElement = new Y.XmlElement('blockquote');
		helps.insert(2, [parent]);
		for (let i = 0; i < 200; i++) {
			const child = new Y.XmlElement('blockquote');
			parent.insert(0, [child]);
			parent = child;
		}
		parent.insert(0, [new Y.XmlText('bottom')]);
	});
}

describe('readers tolerate garbage in the document', () => {
	test('goals: non-maps and goals without a life area are skipped; bad fields get defaults', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		const goals = listGoals(doc);
		expect(goals.map((g) => g.id)).toEqual(['huge', 'odd']); // 'odd' has an invalid order key: last
		const odd = getGoal(doc, 'odd')!;
		expect(odd).toMatchObject({
			title: '',
			status: 'proposed',
			expressedBy: 'staff',
			order: '',
			createdBy: null,
			description: null
		});
		expect(getGoal(doc, 'huge')!.title).toHaveLength(300);
		expect(getGoal(doc, 'huge')!.description).toBeNull(); // an XmlElement is not a document fragment
		expect(getGoal(doc, 'noArea')).toBeNull();
		expect(odd.proposal).toBeNull();
	});

	test('a proposed wording: read only when it is a non-empty string, capped like a title', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		const huge = doc.getMap(ROOT.goals).get('huge') as Y.Map<unknown>;
		huge.set('proposedTitle', 42);
		huge.set('proposedBy', { not: 'a ref' });
		expect(getGoal(doc, 'huge')!.proposal).toBeNull();
		huge.set('proposedTitle', 'x'.repeat(5000));
		expect(getGoal(doc, 'huge')!.proposal).toEqual({ title: 'x'.repeat(300), by: null });
	});

	test('measures: without a goal they are hidden; bad fields get defaults', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		expect(listAllMeasures(doc).map((m) => m.id)).toEqual(['badFields']);
		expect(getMeasure(doc, 'noGoal')).toBeNull();
		expect(listMeasures(doc, 'huge')[0]).toMatchObject({
			title: '',
			startDate: null,
			dueDate: null,
			status: 'requested',
			serviceId: null,
			statusReason: ''
		});
	});

	test('crisis plan and voice readers', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		expect(listWarningSigns(doc).map((w) => [w.id, w.text])).toEqual([['ok', 'Sover dårlig']]);
		expect(listContacts(doc)).toEqual([]);
		expect(getOpenReturn(doc)).toBeNull();
		doc.getMap(ROOT.crisis).set('openReturn', 'DPS');
		expect(readCrisisPlan(doc).openReturn).toBeNull();

		const voice = new Y.Doc();
		voice.getMap(VOICE_ROOT.ownResources).set('x', 'not a map');
		// A stored document from before the patient's goals joined the plan's: the old list is not read.
		voice.getMap(RETIRED_ROOT.ownGoals).set('y', new Y.Map());
		voice.getXmlFragment(VOICE_ROOT.whatMatters).insert(0, [new Y.XmlText('loose text')]);
		expect(readVoice(voice).ownResources).toEqual([]);
		expect(Object.keys(renderPlan({ voice }).voice!)).not.toContain('ownGoals');
		expect(renderPlan({ voice }).voice!.whatMatters).toEqual({
			type: 'doc',
			content: [{ type: 'text', text: 'loose text' }]
		});
	});

	test('renderPlan never throws, is JSON-safe, and hostile rich text renders harmlessly', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		const content = renderPlan({ plan: doc, crisis: doc, voice: new Y.Doc() });
		expect(JSON.parse(JSON.stringify(content))).toEqual(content);
		const helps = content.crisisPlan!.whatHelps;
		expect(helps.content![0]).toEqual({
			type: 'script',
			attrs: { onload: 'alert(1)' },
			content: [{ type: 'text', text: 'alert(1)' }]
		});
		const html = richTextToHtml(helps);
		expect(html).not.toContain('<script');
		expect(html).not.toContain('onload');
		expect(html).not.toContain('bottom'); // cut off below the depth limit
	});

	test('garbage arriving as a remote update is read the same way', () => {
		const evil = new Y.Doc();
		writeGarbage(evil);
		evil.getArray('goals-as-array').insert(0, [1]);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(evil));
		expect(listGoals(doc).map((g) => g.id)).toEqual(['huge', 'odd']);
	});

	test('a root written as the wrong kind of type reads as empty', () => {
		const evil = new Y.Doc();
		evil.getArray(ROOT.goals).insert(0, ['a', 'b']);
		evil.getText(ROOT.warningSigns).insert(0, 'text');
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(evil));
		expect(listGoals(doc)).toEqual([]);
		expect(listWarningSigns(doc)).toEqual([]);
		expect(() => renderPlan({ plan: doc, crisis: doc, voice: doc })).not.toThrow();
	});
});

describe('mutations still work on a damaged document', () => {
	test('placing next to a goal with an invalid order key repairs the key first', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		const id = addGoal(doc, { lifeArea: 'housing', title: 'Ny', expressedBy: 'staff', at: { before: 'odd' } });
		expect(listGoals(doc).map((g) => g.id)).toEqual(['huge', id, 'odd']);
		expect(getGoal(doc, 'odd')!.order).not.toBe('');
		moveGoal(doc, 'odd', 'start');
		expect(listGoals(doc).map((g) => g.id)).toEqual(['odd', 'huge', id]);
	});

	test('text entries and measures can still be added', () => {
		const doc = new Y.Doc();
		writeGarbage(doc);
		addWarningSign(doc, { text: 'Slutter å ta medisiner', at: { before: 'ok' } });
		expect(listWarningSigns(doc).map((w) => w.text)).toEqual(['Slutter å ta medisiner', 'Sover dårlig']);
		const m = addMeasure(doc, { goalId: 'odd', title: 'Tiltak' });
		expect(listMeasures(doc, 'odd').map((x) => x.id)).toEqual([m]);
		expect(listOwnResources(new Y.Doc())).toEqual([]);
	});
});
