import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The command-line checks of archive files (Debian: qpdf, poppler-utils, ghostscript, libxml2-utils). On a laptop
 * without them the tests that need them skip with a message; under CI=true a missing tool is a failure.
 */
const TOOLS = ['qpdf', 'pdffonts', 'pdftotext', 'pdfinfo', 'gs', 'xmllint'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (missing.length && process.env.CI === 'true')
	throw new Error(`${missing.join(', ')} not installed, and CI=true forbids skipping the archive's file checks`);
if (missing.length) console.warn(`[skip] ${missing.join(', ')} not installed: the archive's file checks are skipped`);
export const archiveToolsAvailable = missing.length === 0;

export interface PdfCheck {
	/** `qpdf --check` found no syntax or stream error. */
	qpdfOk: boolean;
	/** Every font of `pdffonts`, with whether it is embedded. */
	fonts: { name: string; embedded: boolean }[];
	/** The XMP metadata (`pdfinfo -meta`). */
	xmp: string;
	/** `pdftotext`: what a reader (or a search) gets out of it. */
	text: string;
	/** Ghostscript rendered every page without an error. */
	rendersOk: boolean;
}

async function ok(cmd: string, args: string[]): Promise<boolean> {
	return run(cmd, args).then(
		() => true,
		() => false
	);
}

export async function checkPdf(file: string): Promise<PdfCheck> {
	const [qpdfOk, fontsOut, xmp, text, rendersOk] = await Promise.all([
		ok('qpdf', ['--check', file]),
		run('pdffonts', [file]).then((r) => r.stdout),
		run('pdfinfo', ['-meta', file]).then((r) => r.stdout),
		run('pdftotext', ['-layout', file, '-']).then((r) => r.stdout),
		ok('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=nullpage', file])
	]);
	// pdffonts: two header lines, then one line per font; `emb` is the fourth column from the right.
	const fonts = fontsOut
		.split('\n')
		.slice(2)
		.filter((l) => l.trim())
		.map((line) => {
			const cols = line.trim().split(/\s+/);
			return { name: cols[0], embedded: cols[cols.length - 5] === 'yes' };
		});
	return { qpdfOk, fonts, xmp, text, rendersOk };
}

/** `xmllint --noout`: true when the file is well-formed XML. */
export const wellFormed = (file: string) => ok('xmllint', ['--noout', file]);

/** An XPath expression over the file (local names, so namespaces need no prefixes), as xmllint prints it. */
export async function xpath(file: string, expr: string): Promise<string> {
	return (await run('xmllint', ['--xpath', expr, file])).stdout.trim();
}
