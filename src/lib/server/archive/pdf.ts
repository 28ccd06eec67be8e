/**
 * A small PDF/A-2 writer for archive documents, over pdfkit: A4, DejaVu fonts embedded (subset, with Unicode maps so
 * the text can be extracted), XMP metadata with `pdfaid`, the sRGB output intent pdfkit adds for PDF/A, and a tagged
 * structure (headings, paragraphs, lists) so a screen reader can follow it. Page footers are artifacts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { RichTextNode } from '../../plan';
import { richTextToPlainText } from '../../plan/rich-text-html';

/** The conformance claimed. Level B: the tagging is there, but level A is not claimed without a validator to prove it. */
export const PDFA_SUBSET = 'PDF/A-2b';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = {
	regular: path.join(fontDir, 'DejaVuSans.ttf'),
	bold: path.join(fontDir, 'DejaVuSans-Bold.ttf')
};

const SIZES = { H1: 18, H2: 14, H3: 12, P: 10.5, small: 8.5 } as const;
const GREY = '#555555';

export interface PdfMeta {
	title: string;
	subject: string;
	/** Who the document comes from (the system), never a person's identifier. */
	author: string;
	keywords: string;
	created: Date;
	/** Shown at the foot of every page, with the page number. */
	footer: string;
}

/**
 * One archive document. Write it top to bottom with the block methods, then `finish()` for the bytes. Every text is
 * plain: rich text arrives as a tree and is written as paragraphs and list items.
 */
export class ArchivePdf {
	private readonly doc: PDFKit.PDFDocument;
	private readonly chunks: Buffer[] = [];
	private readonly done: Promise<Buffer>;
	private readonly root: PDFKit.PDFStructureElement;

	constructor(private readonly meta: PdfMeta) {
		this.doc = new PDFDocument({
			size: 'A4',
			margins: { top: 56, bottom: 64, left: 56, right: 56 },
			pdfVersion: '1.7',
			subset: PDFA_SUBSET,
			tagged: true,
			lang: 'nb-NO',
			displayTitle: true,
			bufferPages: true,
			info: {
				Title: meta.title,
				Subject: meta.subject,
				Author: meta.author,
				Creator: meta.author,
				Keywords: meta.keywords,
				CreationDate: meta.created,
				ModDate: meta.created
			}
		} as PDFKit.PDFDocumentOptions);
		this.done = new Promise((resolve, reject) => {
			this.doc.on('data', (c: Buffer) => this.chunks.push(c));
			this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
			this.doc.on('error', reject);
		});
		this.doc.registerFont('regular', FONTS.regular);
		this.doc.registerFont('bold', FONTS.bold);
		this.doc.font('regular');
		this.root = this.doc.struct('Document');
		this.doc.addStructure(this.root);
	}

	private write(
		type: 'H1' | 'H2' | 'H3' | 'P',
		text: string,
		opts: { font?: 'regular' | 'bold'; size?: number; color?: string; gap?: number } = {}
	): this {
		const clean = text.trim();
		if (!clean) return this;
		this.doc
			.font(opts.font ?? (type === 'P' ? 'regular' : 'bold'))
			.fontSize(opts.size ?? SIZES[type])
			.fillColor(opts.color ?? 'black')
			.text(clean, { structParent: this.root, structType: type, paragraphGap: opts.gap ?? 4 });
		return this;
	}

	h1(text: string): this {
		return this.write('H1', text, { gap: 8 });
	}

	h2(text: string): this {
		this.doc.moveDown(0.6);
		return this.write('H2', text, { gap: 4 });
	}

	h3(text: string): this {
		this.doc.moveDown(0.3);
		return this.write('H3', text, { gap: 2 });
	}

	p(text: string): this {
		return this.write('P', text);
	}

	/** A quieter line: dates, who recorded what. */
	note(text: string): this {
		return this.write('P', text, { size: SIZES.small, color: GREY });
	}

	/** `Label: value` as one paragraph, the label in bold; nothing when the value is empty. */
	field(label: string, value: string | null | undefined): this {
		const clean = (value ?? '').trim();
		if (!clean) return this;
		this.doc
			.fontSize(SIZES.P)
			.fillColor('black')
			.font('bold')
			.text(`${label}: `, { structParent: this.root, structType: 'P', continued: true })
			.font('regular')
			.text(clean, { paragraphGap: 2 });
		return this;
	}

	list(items: string[]): this {
		const clean = items.map((i) => i.trim()).filter(Boolean);
		if (clean.length === 0) return this;
		const list = this.doc.struct('L');
		this.root.add(list);
		this.doc
			.font('regular')
			.fontSize(SIZES.P)
			.fillColor('black')
			.list(clean, { structParent: list, bulletRadius: 1.8, textIndent: 12, paragraphGap: 2 });
		this.doc.moveDown(0.3);
		return this;
	}

	/** Rich text as the plan holds it: one paragraph per block, list items as a list. */
	richText(node: RichTextNode | null | undefined, empty?: string): this {
		const lines = richTextToPlainText(node ?? null)
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean);
		if (lines.length === 0) return empty ? this.note(empty) : this;
		let items: string[] = [];
		const flush = () => {
			this.list(items);
			items = [];
		};
		for (const line of lines) {
			if (line.startsWith('- ')) items.push(line.slice(2));
			else {
				flush();
				this.p(line);
			}
		}
		flush();
		return this;
	}

	/** Footers on every page (artifacts, outside the structure), then the finished file. */
	async finish(): Promise<Buffer> {
		const range = this.doc.bufferedPageRange();
		for (let i = range.start; i < range.start + range.count; i++) {
			this.doc.switchToPage(i);
			const bottom = this.doc.page.margins.bottom;
			this.doc.page.margins.bottom = 0;
			this.doc.markContent('Artifact', { type: 'Pagination' });
			this.doc
				.font('regular')
				.fontSize(SIZES.small)
				.fillColor(GREY)
				.text(`${this.meta.footer} – ${i + 1}/${range.count}`, 56, this.doc.page.height - 40, {
					width: this.doc.page.width - 112,
					align: 'center',
					lineBreak: false
				});
			this.doc.endMarkedContent();
			this.doc.page.margins.bottom = bottom;
		}
		this.root.end();
		this.doc.end();
		return this.done;
	}
}
