// Sums the JUnit reports that `npm test` wrote (unit, integration, e2e) into one closing line for CI.
import { readdirSync, readFileSync } from 'node:fs';

let tests = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync('reports').filter((f) => f.endsWith('.xml'))) {
	const xml = readFileSync(`reports/${file}`, 'utf8');
	// The root <testsuites> element carries the totals of its file.
	const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
	const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
	tests += attr('tests');
	failed += attr('failures') + attr('errors');
	skipped += (xml.match(/<skipped\b/g) ?? []).length;
}
console.log(`${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || tests === 0 ? 1 : 0);
