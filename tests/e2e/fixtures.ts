import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test as base, expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'fellesplan-demo';
export const demo = (who: string) => `${who}@demo.fellesplan.no`;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (evaluated through DevTools, so the app's CSP stays on) and fails on any
 * serious or critical WCAG 2.1 A/AA violation.
 */
export async function expectAccessible(page: Page): Promise<void> {
	await page.waitForLoadState('load');
	await page.evaluate(axeSource);
	const violations = (await page.evaluate(async () => {
		// @ts-expect-error axe is injected above
		const result = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations;
	})) as AxeViolation[];
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		`axe on ${page.url()}`
	).toEqual([]);
}

export async function login(page: Page, who: string, password = DEMO_PASSWORD): Promise<void> {
	// No waiting for the page's scripts: the form keeps what is typed before hydration and posts without them.
	await page.goto('/login');
	await page.getByLabel('E-post').fill(demo(who));
	await page.getByLabel('Passord').fill(password);
	await page.getByRole('button', { name: 'Logg inn' }).click();
}

/** Every test ends with an axe check of the page it ended on; tests also check each page they pass through. */
export const test = base.extend<{ axeAfterEach: void }>({
	axeAfterEach: [
		async ({ page }, use) => {
			await use();
			if (page.url().startsWith('http')) await expectAccessible(page);
		},
		{ auto: true }
	]
});

export { expect };
