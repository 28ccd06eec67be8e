import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Code that also runs in the browser may take types from the server, never values. */
const serverOnly = {
	patterns: [
		{
			group: ['$lib/server', '$lib/server/*', '**/server/*', '**/lib/server'],
			allowTypeImports: true,
			message: 'Shared and browser code imports only types from $lib/server.'
		}
	]
};

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'src/lib/paraglide/',
			'node_modules/',
			'data/',
			'reports/',
			'test-results/',
			'playwright-report/',
			'tests/e2e/.data*/',
			'drizzle/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript checks names; the core rule does not know type-only globals.
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
			],
			// The app is served at the root (no `paths.base`) and many links are built from data (a notice's target,
			// a measure's anchor), so a plain same-site path is already the resolved one.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		files: [
			'src/lib/plan/**',
			'src/lib/collab/**',
			'src/lib/sync/**',
			'src/lib/components/**',
			'src/lib/group/**',
			'src/lib/i18n/**'
		],
		rules: {
			'no-restricted-imports': 'off',
			'@typescript-eslint/no-restricted-imports': ['error', serverOnly]
		}
	}
);
