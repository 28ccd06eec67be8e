/**
 * `npm run bench:weight`: what the patient's pages cost a slow phone, against the full plan page (issue 10).
 *
 * Starts the production build (`build/`, made by the npm script) on a fresh embedded database with the demo data,
 * logs in as the demo patient in Debian's Chromium, and opens each page RUNS times with a cold cache under
 * throttling (Chromium's own: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower — Lighthouse's
 * "slow 4G" phone). For each page it reports the JavaScript and CSS it loads, gzip-compressed (as a proxy in front
 * of the app sends them; the Node server itself does not compress), the time to first contentful paint, and when
 * everything it loads had arrived (the app's scripts load after the load event, so that is the later of the two).
 * The last line is `WEIGHT {json}`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from '@playwright/test';
import { freePort } from '../helpers/node-process';
import { median, table } from './stats';

const RUNS = 3;
const THROTTLE = {
	latency: 150,
	downloadThroughput: (1.6 * 1024 * 1024) / 8,
	uploadThroughput: (750 * 1024) / 8,
	cpuRate: 4
};
/** The patient's pages may weigh at most this share of the full plan page's JavaScript and CSS (issue 10). */
const TARGET_SHARE = 0.5;

interface PageFigures {
	name: string;
	path: string;
	jsBytes: number;
	cssBytes: number;
	fcpMs: number;
	/** When the last script, style or other resource of the page had arrived (or its load event ended, if later). */
	loadedMs: number;
	status: number;
}

if (!existsSync('build/index.js')) {
	console.error('No production build: run `npm run bench:weight` (it builds first), or `npx vite build`.');
	process.exit(1);
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fellesplan-weight-'));
const origin = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['server.js'], {
	env: {
		...process.env,
		NODE_ENV: 'production',
		DATA_DIR: dataDir,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: origin,
		LOG_LEVEL: 'warn'
	},
	stdio: ['ignore', 'inherit', 'inherit']
});
const stopServer = () => {
	server.kill('SIGTERM');
	rmSync(dataDir, { recursive: true, force: true });
};

async function waitHealthy(): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			if ((await fetch(`${origin}/healthz`)).ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('the server did not become healthy');
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** One cold, throttled load: compressed script and style bytes, first contentful paint. */
async function measure(context: BrowserContext, name: string, pagePath: string): Promise<PageFigures> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.clearBrowserCache');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: THROTTLE.latency,
		downloadThroughput: THROTTLE.downloadThroughput,
		uploadThroughput: THROTTLE.uploadThroughput
	});
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE.cpuRate });
	const bodies: Array<Promise<{ kind: 'js' | 'css'; bytes: number }>> = [];
	page.on('response', (res) => {
		const type = res.request().resourceType();
		if (type !== 'script' && type !== 'stylesheet') return;
		bodies.push(res.body().then((b) => ({ kind: type === 'script' ? 'js' : 'css', bytes: gzipSync(b).byteLength })));
	});
	const response = await page.goto(origin + pagePath, { waitUntil: 'load' });
	// Scripts imported by the entry arrive after `load`: wait until the network has been idle a moment.
	await page.waitForLoadState('networkidle');
	const [fcpMs, loadedMs] = await page.evaluate(() => [
		performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
		Math.max(
			(performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? 0,
			...performance.getEntriesByType('resource').map((e) => (e as PerformanceResourceTiming).responseEnd)
		)
	]);
	const loaded = await Promise.all(bodies);
	await page.close();
	return {
		name,
		path: pagePath,
		jsBytes: loaded.filter((b) => b.kind === 'js').reduce((s, b) => s + b.bytes, 0),
		cssBytes: loaded.filter((b) => b.kind === 'css').reduce((s, b) => s + b.bytes, 0),
		fcpMs,
		loadedMs,
		status: response?.status() ?? 0
	};
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

try {
	await waitHealthy();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu']
	});
	const context = await browser.newContext({
		locale: 'nb-NO',
		viewport: { width: 390, height: 844 },
		isMobile: true,
		hasTouch: true,
		serviceWorkers: 'block'
	});
	const login = await context.newPage();
	await login.goto(`${origin}/login`);
	await login.getByLabel('E-post').fill('pasient@demo.fellesplan.no');
	await login.getByLabel('Passord').fill('fellesplan-demo');
	await login.getByRole('button', { name: 'Logg inn' }).click();
	const planLink = login.locator('a[href^="/plans/"]').first();
	await planLink.waitFor();
	const planId = (await planLink.getAttribute('href'))!.split('/')[2];
	await login.close();

	const pages = [
		{ name: 'plan page (today)', path: `/plans/${planId}` },
		{ name: "patient's view", path: `/plans/${planId}/min-plan` },
		{ name: 'crisis plan, quick view', path: `/plans/${planId}/krise` }
	];
	const results: Array<PageFigures & { runs: number }> = [];
	for (const p of pages) {
		const runs: PageFigures[] = [];
		for (let i = 0; i < RUNS; i++) runs.push(await measure(context, p.name, p.path));
		if (runs.some((r) => r.status !== 200))
			throw new Error(`${p.path} answered ${runs.map((r) => r.status).join(', ')}`);
		results.push({
			...p,
			runs: RUNS,
			jsBytes: median(runs.map((r) => r.jsBytes)),
			cssBytes: median(runs.map((r) => r.cssBytes)),
			fcpMs: median(runs.map((r) => r.fcpMs)),
			loadedMs: median(runs.map((r) => r.loadedMs)),
			status: 200
		});
	}
	await browser.close();

	const base = results[0];
	const targets = results.slice(1).map((r) => ({
		name: `${r.name}: JS + CSS / plan page`,
		value: (r.jsBytes + r.cssBytes) / (base.jsBytes + base.cssBytes),
		pass: r.jsBytes + r.cssBytes <= TARGET_SHARE * (base.jsBytes + base.cssBytes)
	}));
	console.log(
		`\nPage weight on a throttled phone (390×844, ${THROTTLE.latency} ms RTT, 1.6 Mbit/s, CPU ×${THROTTLE.cpuRate}; median of ${RUNS} cold loads)`
	);
	console.log(
		table(
			[
				'page',
				'JS (gzip)',
				'CSS (gzip)',
				'first contentful paint',
				'paint / plan page',
				'loaded',
				'loaded / plan page'
			],
			results.map((r) => [
				r.name,
				kb(r.jsBytes),
				kb(r.cssBytes),
				`${Math.round(r.fcpMs)} ms`,
				(r.fcpMs / base.fcpMs).toFixed(2),
				`${Math.round(r.loadedMs)} ms`,
				(r.loadedMs / base.loadedMs).toFixed(2)
			])
		)
	);
	console.log('');
	console.log(
		table(
			['target', 'goal', 'measured', 'result'],
			targets.map((t) => [t.name, `≤ ${TARGET_SHARE}`, t.value.toFixed(2), t.pass ? 'PASS' : 'MISS'])
		)
	);
	console.log(
		'WEIGHT ' +
			JSON.stringify({
				throttle: THROTTLE,
				runs: RUNS,
				pages: results,
				targets: targets.map((t) => ({ ...t, result: t.pass ? 'PASS' : 'MISS' }))
			})
	);
} finally {
	stopServer();
}
