/**
 * Rich text JSON to HTML and to plain text, for SSR, print and export. The HTML is built from a
 * whitelist: every text is escaped, only known node and mark types become tags, and links keep
 * only an http(s)/mailto href. Input is treated as untrusted (it came from a shared document).
 */
import { MAX_RICH_TEXT_DEPTH, type RichTextNode } from './rich-text';
import { isRecord } from './normalise';

const BLOCK_TAGS: Record<string, string> = {
	paragraph: 'p',
	bulletList: 'ul',
	bullet_list: 'ul',
	orderedList: 'ol',
	ordered_list: 'ol',
	listItem: 'li',
	list_item: 'li',
	blockquote: 'blockquote'
};

const MARK_TAGS: Record<string, string> = {
	bold: 'strong',
	strong: 'strong',
	italic: 'em',
	em: 'em',
	strike: 's',
	code: 'code'
};

const HARD_BREAKS = new Set(['hardBreak', 'hard_break']);
const CODE_BLOCKS = new Set(['codeBlock', 'code_block']);
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** An absolute http(s) or mailto URL, normalised by the URL parser (which also strips smuggled tabs and newlines); else null. */
export function safeHref(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return null;
	}
	return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

function children(node: Record<string, unknown>): Record<string, unknown>[] {
	return Array.isArray(node.content) ? node.content.filter(isRecord) : [];
}

function textHtml(node: Record<string, unknown>): string {
	let html = escapeHtml(typeof node.text === 'string' ? node.text : '');
	if (html === '') return '';
	const marks = Array.isArray(node.marks) ? node.marks.filter(isRecord) : [];
	// Inner marks first so the link, if any, ends up outermost.
	const ordered = [...marks].sort((a, b) => Number(a.type === 'link') - Number(b.type === 'link'));
	for (const mark of ordered) {
		const type = typeof mark.type === 'string' ? mark.type : '';
		if (type === 'link') {
			const href = safeHref(isRecord(mark.attrs) ? mark.attrs.href : undefined);
			if (href !== null) html = `<a href="${escapeHtml(href)}">${html}</a>`;
		} else if (MARK_TAGS[type]) {
			const tag = MARK_TAGS[type];
			html = `<${tag}>${html}</${tag}>`;
		}
	}
	return html;
}

function nodeHtml(node: Record<string, unknown>, depth: number): string {
	if (depth > MAX_RICH_TEXT_DEPTH) return '';
	const type = typeof node.type === 'string' ? node.type : '';
	if (type === 'text') return textHtml(node);
	if (HARD_BREAKS.has(type)) return '<br>';
	const inner = children(node)
		.map((child) => nodeHtml(child, depth + 1))
		.join('');
	if (type === 'heading') {
		const level = isRecord(node.attrs) ? node.attrs.level : undefined;
		// The page owns h1; document headings start at h2.
		const tag = typeof level === 'number' && level >= 3 ? 'h3' : 'h2';
		return `<${tag}>${inner}</${tag}>`;
	}
	if (CODE_BLOCKS.has(type)) return `<p><code>${inner}</code></p>`;
	const tag = BLOCK_TAGS[type];
	if (tag) return `<${tag}>${inner}</${tag}>`;
	// 'doc' and every unknown node type: keep the (escaped) content, drop the wrapper.
	return inner + (typeof node.text === 'string' && inner === '' ? escapeHtml(node.text) : '');
}

/** Safe HTML for a rich text tree (or any subtree of one). */
export function richTextToHtml(node: RichTextNode | unknown): string {
	return isRecord(node) ? nodeHtml(node, 0) : '';
}

function isInline(node: Record<string, unknown>): boolean {
	return node.type === 'text' || HARD_BREAKS.has(String(node.type));
}

function nodeText(node: Record<string, unknown>, depth: number): string {
	if (depth > MAX_RICH_TEXT_DEPTH) return '';
	if (node.type === 'text') return typeof node.text === 'string' ? node.text : '';
	if (HARD_BREAKS.has(String(node.type))) return '\n';
	const kids = children(node);
	const inline = kids.every(isInline);
	const text = kids.map((k) => nodeText(k, depth + 1)).join(inline ? '' : '\n');
	return node.type === 'listItem' || node.type === 'list_item' ? `- ${text}` : text;
}

/** Plain text: blocks on their own lines, list items prefixed with "- ". */
export function richTextToPlainText(node: RichTextNode | unknown): string {
	return isRecord(node) ? nodeText(node, 0) : '';
}
