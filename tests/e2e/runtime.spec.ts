import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
const supportedMajor = Number(/\^(\d+)\./.exec(engines)?.[1]);

test('the server under test runs on the supported Node, the same one as the test runner', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	const health = (await res.json()) as { ok: boolean; node: string };
	expect(health.ok).toBe(true);
	expect(supportedMajor).toBe(24);
	expect(Number(health.node.slice(1).split('.')[0])).toBe(supportedMajor);
	// npm scripts put node_modules/.bin first on PATH: Playwright, its web server and this runner share one Node.
	expect(health.node).toBe(process.version);
});
