import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import {
	LIMITS,
	addGoal,
	deepestDepth,
	depthOf,
	getGoalDescription,
	getWhatHelps,
	isTooDeep,
	renderPlan,
	richTextToHtml,
	richTextToPlainText,
	setRichTextFromParagraphs
} from '../../../src/lib/plan';

/**
 * Nests `levels` blockquotes inside `parent`, one transaction, one level at a time: inserting an
 * already-integrated element never recurses, so building the hostile structure cannot overflow either.
 */
function nestBlockquotes(parent: Y.XmlFragment, levels: number, text = 'innerst'): Y.XmlElement {
	let innermost!: Y.XmlElement;
	const build = () => {
		let at: Y.XmlFragment = parent;
		for (let i = 0; i < levels; i++) {
			const quote = new Y.XmlElement('blockquote');
			at.insert(at.length, [quote]);
			at = quote;
		}
		const paragraph = new Y.XmlElement('paragraph');
		at.insert(0, [paragraph]);
		paragraph.insert(0, [new Y.XmlText(text)]);
		innermost = at as Y.XmlElement;
	};
	if (parent.doc) parent.doc.transact(build);
	else build();
	return innermost;
}

describe('depthOf: where a shared type sits, counted from its root', () => {
	test('a root is 1; a goal 2, its description 3, a paragraph 4, the paragraph text 5', () => {
		const doc = new Y.Doc();
		const goalId = addGoal(doc, {
			title: 'Bolig',
			lifeArea: 'housing',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'u1',
			description: ['Første avsnitt']
		});
		const description = getGoalDescription(doc, goalId)!;
		const paragraph = description.get(0) as Y.XmlElement;
		const text = paragraph.get(0) as Y.XmlText;
		expect(depthOf(getWhatHelps(doc))).toBe(1);
		expect(depthOf(description._item!.parent as Y.Map<unknown>)).toBe(2);
		expect(depthOf(description)).toBe(3);
		expect(depthOf(paragraph)).toBe(4);
		expect(depthOf(text)).toBe(5);
	});

	test('a type outside any document counts as a root', () => {
		expect(depthOf(new Y.XmlElement('paragraph'))).toBe(1);
	});
});

describe('deepestDepth and isTooDeep', () => {
	test('ordinary rich text is far inside the limit', () => {
		const doc = new Y.Doc();
		setRichTextFromParagraphs(getWhatHelps(doc), ['Gå en tur', 'Ringe søster']);
		expect(deepestDepth(getWhatHelps(doc))).toBe(3); // fragment 1, paragraph 2, text 3
		expect(isTooDeep(getWhatHelps(doc))).toBe(false);
	});

	test('an empty fragment is as deep as itself', () => {
		const doc = new Y.Doc();
		expect(deepestDepth(getWhatHelps(doc))).toBe(1);
	});

	test('the limit itself is allowed, one more is not', () => {
		// Root fragment 1 + n blockquotes + paragraph + text = n + 3.
		const atLimit = new Y.Doc();
		nestBlockquotes(getWhatHelps(atLimit), LIMITS.depth - 3);
		expect(deepestDepth(getWhatHelps(atLimit))).toBe(LIMITS.depth);
		expect(isTooDeep(getWhatHelps(atLimit))).toBe(false);

		const over = new Y.Doc();
		nestBlockquotes(getWhatHelps(over), LIMITS.depth - 2);
		expect(deepestDepth(getWhatHelps(over))).toBe(LIMITS.depth + 1);
		expect(isTooDeep(getWhatHelps(over))).toBe(true);
	});

	test('depth inside an entity counts from the document root, not from the fragment', () => {
		const doc = new Y.Doc();
		const goalId = addGoal(doc, {
			title: 'Bolig',
			lifeArea: 'housing',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'u1'
		});
		const description = getGoalDescription(doc, goalId)!;
		// description 3 + n quotes + paragraph + text = n + 5: the same nesting is two levels deeper than in a root field.
		nestBlockquotes(description, LIMITS.depth - 5);
		expect(isTooDeep(description)).toBe(false);
		nestBlockquotes(description, LIMITS.depth - 4);
		expect(isTooDeep(description)).toBe(true);
	});

	test('a 5,000-level structure is measured without overflowing the stack', () => {
		const doc = new Y.Doc();
		nestBlockquotes(getWhatHelps(doc), 5000);
		// The structure is really hostile: the editor binding's own (recursive) conversion overflows on it.
		expect(() => yXmlFragmentToProseMirrorRootNode(getWhatHelps(doc), getSchema([StarterKit]))).toThrow(RangeError);
		expect(deepestDepth(getWhatHelps(doc))).toBe(5000 + 3);
		expect(isTooDeep(getWhatHelps(doc))).toBe(true);
	});

	test('it also holds after the structure travels as an update into another document', () => {
		const source = new Y.Doc();
		nestBlockquotes(getWhatHelps(source), 5000);
		const replica = new Y.Doc();
		Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
		expect(isTooDeep(getWhatHelps(replica))).toBe(true);
	});

	test('the walk stops once it is past the limit: it never needs to reach the bottom', () => {
		const doc = new Y.Doc();
		nestBlockquotes(getWhatHelps(doc), 5000);
		expect(deepestDepth(getWhatHelps(doc), LIMITS.depth)).toBe(LIMITS.depth + 1);
	});

	test('deleted structure does not count', () => {
		const doc = new Y.Doc();
		const fragment = getWhatHelps(doc);
		nestBlockquotes(fragment, 40);
		expect(isTooDeep(fragment)).toBe(true);
		fragment.delete(0, 1);
		expect(isTooDeep(fragment)).toBe(false);
	});

	test('shared types in maps and XML attributes count too', () => {
		const doc = new Y.Doc();
		const fragment = getWhatHelps(doc);
		doc.transact(() => {
			// Yjs allows a shared type as an XML attribute, though no editor writes one.
			const paragraph = new Y.XmlElement<{ [key: string]: Y.Map<unknown> }>('paragraph');
			fragment.insert(0, [paragraph as unknown as Y.XmlElement]);
			let map = new Y.Map<unknown>();
			paragraph.setAttribute('x', map);
			for (let i = 0; i < 40; i++) {
				const inner = new Y.Map<unknown>();
				map.set('inner', inner);
				map = inner;
			}
		});
		expect(deepestDepth(fragment)).toBe(2 + 1 + 40);
		expect(isTooDeep(fragment)).toBe(true);
	});
});

describe('the read path survives a 5,000-level fragment', () => {
	test('renderPlan (the browser renders the live plan with it) cuts the tree off and keeps the rest', () => {
		const plan = new Y.Doc();
		const voice = new Y.Doc();
		addGoal(plan, {
			title: 'Bolig',
			lifeArea: 'housing',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'u1',
			description: ['Egen leilighet']
		});
		setRichTextFromParagraphs(getWhatHelps(plan), ['Gå en tur']);
		nestBlockquotes(getWhatHelps(plan), 5000, 'skjult i dypet');
		const content = renderPlan({ plan, crisis: plan, voice });
		expect(richTextToPlainText(content.lifeAreas![0].goals[0].description)).toBe('Egen leilighet');
		const html = richTextToHtml(content.crisisPlan!.whatHelps);
		expect(html.startsWith('<p>Gå en tur</p><blockquote>')).toBe(true);
		expect(html).not.toContain('skjult i dypet');
		expect(JSON.stringify(content).length).toBeLessThan(10_000);
	});
});
