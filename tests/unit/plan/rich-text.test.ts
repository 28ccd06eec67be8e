import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import {
	fragmentToRichText,
	isRichTextEmpty,
	richTextToHtml,
	richTextToPlainText,
	safeHref,
	setRichTextFromParagraphs,
	type RichTextNode
} from '../../../src/lib/plan';

const schema = getSchema([StarterKit]);

function paragraph(...content: RichTextNode[]): RichTextNode {
	return { type: 'paragraph', content };
}
const text = (t: string, marks?: RichTextNode['marks']): RichTextNode =>
	marks ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const doc = (...content: RichTextNode[]): RichTextNode => ({ type: 'doc', content });

describe('setRichTextFromParagraphs', () => {
	test('writes the y-prosemirror layout: paragraph elements holding XmlText', () => {
		const ydoc = new Y.Doc();
		const fragment = ydoc.getXmlFragment('f');
		setRichTextFromParagraphs(fragment, ['Første', '', 'Tredje']);
		const [first, empty] = fragment.toArray();
		expect(first).toBeInstanceOf(Y.XmlElement);
		expect((first as Y.XmlElement).nodeName).toBe('paragraph');
		expect((first as Y.XmlElement).toArray()[0]).toBeInstanceOf(Y.XmlText);
		expect((empty as Y.XmlElement).length).toBe(0);
		// Tiptap's StarterKit schema reads it as three paragraphs.
		const pm = yXmlFragmentToProseMirrorRootNode(fragment, schema);
		expect(pm.childCount).toBe(3);
		expect(pm.child(0).type.name).toBe('paragraph');
		expect(pm.child(2).textContent).toBe('Tredje');
	});

	test('replaces earlier content, in one transaction with the origin', () => {
		const ydoc = new Y.Doc();
		const fragment = ydoc.getXmlFragment('f');
		setRichTextFromParagraphs(fragment, ['a', 'b']);
		const origins: unknown[] = [];
		ydoc.on('update', (_u: Uint8Array, o: unknown) => origins.push(o));
		setRichTextFromParagraphs(fragment, ['c'], 'server');
		expect(origins).toEqual(['server']);
		expect(richTextToPlainText(fragmentToRichText(fragment))).toBe('c');
	});
});

describe('fragmentToRichText', () => {
	test('reads what the Tiptap binding writes, marks and attributes included', () => {
		const json = {
			type: 'doc',
			content: [
				{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Mål' }] },
				{
					type: 'paragraph',
					content: [
						{ type: 'text', text: 'Jeg vil ' },
						{ type: 'text', text: 'selv', marks: [{ type: 'bold' }, { type: 'italic' }] },
						{ type: 'text', text: ' lenke', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] }
					]
				},
				{
					type: 'bulletList',
					content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'punkt' }] }] }]
				}
			]
		};
		const fragment = new Y.Doc().getXmlFragment('f');
		prosemirrorJSONToYXmlFragment(schema, json, fragment);
		const rich = fragmentToRichText(fragment);
		const expected = yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON();
		// Same tree as ProseMirror's own JSON, up to mark order (ours is sorted for determinism).
		const sortMarks = (n: RichTextNode): RichTextNode => ({
			...n,
			...(n.marks ? { marks: [...n.marks].sort((a, b) => a.type.localeCompare(b.type)) } : {}),
			...(n.content ? { content: n.content.map(sortMarks) } : {})
		});
		expect(sortMarks(rich)).toEqual(sortMarks(expected));
		expect(rich.content![1].content![1].marks!.map((m) => m.type)).toEqual(['bold', 'italic']);
	});

	test('empty or absent fragments read as an empty doc', () => {
		expect(fragmentToRichText(null)).toEqual({ type: 'doc' });
		expect(fragmentToRichText(new Y.Doc().getXmlFragment('x'))).toEqual({ type: 'doc' });
		expect(isRichTextEmpty(doc(paragraph()))).toBe(true);
		expect(isRichTextEmpty(doc(paragraph(text(' x '))))).toBe(false);
	});

	test('merges runs with equal marks and drops hash suffixes from overlapping marks', () => {
		const ydoc = new Y.Doc();
		const fragment = ydoc.getXmlFragment('f');
		const p = new Y.XmlElement('paragraph');
		fragment.insert(0, [p]);
		const t = new Y.XmlText();
		p.insert(0, [t]);
		t.insert(0, 'abc');
		t.insert(3, 'def');
		t.insert(6, 'ghi', { 'comment--AbCd1234': { id: 'c1' } });
		expect(fragmentToRichText(fragment)).toEqual(
			doc(paragraph(text('abcdef'), text('ghi', [{ type: 'comment', attrs: { id: 'c1' } }])))
		);
	});
});

describe('richTextToHtml', () => {
	test('emits the whitelisted tags', () => {
		const tree = doc(
			{ type: 'heading', attrs: { level: 1 }, content: [text('H')] },
			{ type: 'heading', attrs: { level: 4 }, content: [text('h')] },
			paragraph(
				text('a', [{ type: 'bold' }]),
				text('b', [{ type: 'italic' }]),
				{ type: 'hardBreak' },
				text('c', [{ type: 'strike' }]),
				text('d', [{ type: 'code' }])
			),
			{ type: 'orderedList', content: [{ type: 'listItem', content: [paragraph(text('1'))] }] },
			{ type: 'blockquote', content: [paragraph(text('q'))] }
		);
		expect(richTextToHtml(tree)).toBe(
			'<h2>H</h2><h3>h</h3><p><strong>a</strong><em>b</em><br><s>c</s><code>d</code></p><ol><li><p>1</p></li></ol><blockquote><p>q</p></blockquote>'
		);
	});

	test('escapes text: a script in the text stays text', () => {
		const html = richTextToHtml(doc(paragraph(text('<script>alert("x")</script> & \'y\''))));
		expect(html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>');
		expect(html).not.toContain('<script');
	});

	test('drops unknown node types but keeps their text escaped', () => {
		const html = richTextToHtml(
			doc(
				{ type: 'script', content: [text('alert(1)')] },
				{ type: 'img', attrs: { src: 'x', onerror: 'alert(1)' } },
				{ type: 'iframe', text: '<b>' }
			)
		);
		expect(html).toBe('alert(1)&lt;b&gt;');
	});

	test('links keep only http(s) and mailto hrefs', () => {
		const link = (href: unknown) =>
			richTextToHtml(paragraph(text('x', [{ type: 'link', attrs: { href: href as string } }])));
		expect(link('https://example.org/a?b=1&c="2"')).toBe(
			'<p><a href="https://example.org/a?b=1&amp;c=%222%22">x</a></p>'
		);
		expect(link('mailto:koordinator@example.org')).toBe('<p><a href="mailto:koordinator@example.org">x</a></p>');
		expect(link('javascript:alert(1)')).toBe('<p>x</p>');
		expect(link('  JavaScript:alert(1)')).toBe('<p>x</p>');
		expect(link('java\tscript:alert(1)')).toBe('<p>x</p>');
		expect(link('data:text/html,<script>')).toBe('<p>x</p>');
		expect(link('/relative')).toBe('<p>x</p>');
		expect(link(42)).toBe('<p>x</p>');
		expect(safeHref('http://x.no')).toBe('http://x.no/');
	});

	test('ignores unknown marks and malformed input', () => {
		expect(richTextToHtml(paragraph(text('x', [{ type: 'onclick' }])))).toBe('<p>x</p>');
		expect(richTextToHtml(null)).toBe('');
		expect(richTextToHtml({ type: 'paragraph', content: 'nope' })).toBe('<p></p>');
		expect(richTextToHtml({ type: 'paragraph', content: [null, 5, { type: 'text', text: 7 }] })).toBe('<p></p>');
	});

	test('cuts off absurdly deep trees instead of overflowing the stack', () => {
		let node: RichTextNode = text('deep');
		for (let i = 0; i < 100_000; i++) node = { type: 'blockquote', content: [node] };
		expect(() => richTextToHtml(node)).not.toThrow();
		expect(richTextToHtml(node)).not.toContain('deep');
	});
});

describe('richTextToPlainText', () => {
	test('blocks on lines, hard breaks as newlines, list items dashed', () => {
		const tree = doc(paragraph(text('Hei '), text('du', [{ type: 'bold' }]), { type: 'hardBreak' }, text('neste')), {
			type: 'bulletList',
			content: [
				{ type: 'listItem', content: [paragraph(text('en'))] },
				{ type: 'listItem', content: [paragraph(text('to'))] }
			]
		});
		expect(richTextToPlainText(tree)).toBe('Hei du\nneste\n- en\n- to');
		expect(richTextToPlainText(undefined)).toBe('');
	});
});
