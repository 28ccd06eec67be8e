import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);
// Per port, so two checkouts (or a bench and a test run) never wipe each other's store.
const DATA_DIR = `tests/e2e/.data-${PORT}`;
/** The archive folder the server delivers to; the `@archive` tests read it (the same name, from `E2E_PORT`). */
export const ARCHIVE_DIR = `${DATA_DIR}-archive`;

/**
 * End-to-end tests drive Debian's Chromium (a Playwright browser download cannot work here) against the
 * production build, started fresh on an empty embedded database that seeds the demo municipality.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 5_000 },
	reporter: [['list'], ['junit', { outputFile: 'reports/e2e.xml' }]],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'nb-NO',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'off'
	},
	webServer: {
		command: `rm -rf ${DATA_DIR} ${ARCHIVE_DIR} && NODE_ENV=production DATA_DIR=${DATA_DIR} ARCHIVE_DIR=${ARCHIVE_DIR} PORT=${PORT} HOST=127.0.0.1 LOG_LEVEL=warn COLLAB_IDLE_UNLOAD_SECONDS=2 node server.js`,
		url: `http://127.0.0.1:${PORT}/healthz`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
