import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { collabDevServer } from './src/lib/server/collab/dev-plugin.ts';

export default defineConfig({
	plugins: [
		// Under vitest the messages are already compiled (`npm test` runs `check` first), and the plugin's own
		// file handles kept the test runner from exiting.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				// The person's pick first; then nynorsk or bokmål as the browser asks (custom-norwegian, defined in the
				// hooks); bokmål otherwise. An English browser is not a consent to switch to English.
				strategy: ['cookie', 'custom-norwegian', 'baseLocale']
			}),
		sveltekit(),
		collabDevServer()
	],
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// Each file owns its databases and ports; running them one at a time keeps a 2-core box honest.
					fileParallelism: false
				}
			}
		]
	}
});
