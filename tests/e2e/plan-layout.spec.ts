import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { PLAN_TITLE, freshLogin, openPlanFromList } from './collab-helpers';

/**
 * Issue 9, the ordinary plan page: a table of contents in reach, goals and measures that read compactly with
 * editing on demand, a new goal from the top, and a clean print for every role.
 */

const SIGNS = [
	'Sover dårlig flere netter på rad',
	'Lar være å åpne post og regninger',
	'Trekker meg unna og svarer ikke på telefonen',
	'Stemmene blir mer kritiske'
];

/** Controls that show in the page as it is now (screen or print): on paper there should be none. */
const visibleControls = (page: Page) =>
	page.evaluate(() =>
		[
			...document.querySelectorAll(
				'main button, main input:not([type=hidden]), main textarea, main select, main [role=toolbar], main summary'
			)
		]
			.filter((el) => {
				const box = el.getBoundingClientRect();
				return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
			})
			.map(
				(el) => `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}`
			)
	);

test.describe('@meeting the ordinary plan page', () => {
	test('@meeting contents jump to the crisis plan, a new goal is a few Tab presses away, and a measure reads in two lines', async ({
		browser
	}) => {
		const page = await freshLogin(browser, 'koordinator');
		await page.setViewportSize({ width: 1280, height: 800 });
		await openPlanFromList(page);

		// A measure in read state: title; status, who and when; a line of description. No toolbar, no arrows.
		const title = 'Tett oppfølging de første månedene etter innflytting';
		const measure = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
		await expect(measure.getByRole('toolbar')).toHaveCount(0);
		await expect(measure.getByRole('button', { name: /^Flytt tiltaket/ })).toHaveCount(0);
		expect((await measure.boundingBox())!.height).toBeLessThanOrEqual(120);
		// Its controls open on demand, where it is.
		await measure.getByLabel(`Endre tiltaket «${title}»`).click();
		await expect(measure.getByRole('button', { name: `Flytt tiltaket «${title}» opp` })).toBeVisible();
		await expect(measure.getByRole('toolbar')).toBeVisible();

		// The contents jump to the crisis plan, and the keyboard goes along.
		const contents = page.getByRole('navigation', { name: 'Innhold' });
		await contents.getByRole('link', { name: 'Kriseplan' }).click();
		const crisis = page.getByRole('heading', { level: 2, name: 'Kriseplan' });
		await expect(crisis).toBeFocused();
		await expect(crisis).toBeInViewport();
		// Far down the page, the contents are still on screen.
		await expect(contents).toBeInViewport();
		await expectAccessible(page);

		// From the top of the page, "Nytt mål" is a few Tab presses away, and it leads into the new goal's field.
		await page.goto(page.url().replace(/#.*$/, ''));
		await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
		let presses = 0;
		while (presses < 40 && !(await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Nytt mål'))) {
			await page.keyboard.press('Tab');
			presses++;
		}
		expect(presses, 'Tab presses from the top of the page to "Nytt mål"').toBeLessThan(40);
		await page.keyboard.press('Enter');
		await expect(page.getByRole('form', { name: 'Nytt mål' }).getByLabel('Mål', { exact: true })).toBeFocused();
		await page.context().close();
	});

	test('@meeting print: the plan as an editor and the crisis quick view are text, without controls or cut-off boxes', async ({
		browser
	}) => {
		const page = await freshLogin(browser, 'koordinator');
		const planPath = await page.getByRole('link', { name: PLAN_TITLE }).getAttribute('href');
		await openPlanFromList(page);
		await expect(page.getByRole('button', { name: 'Skriv ut planen' })).toBeVisible();

		await page.emulateMedia({ media: 'print' });
		expect(await visibleControls(page)).toEqual([]);
		// The warning signs print whole, as text.
		const signs = page.getByRole('region', { name: 'Tegn på at det går dårlig' });
		for (const sign of SIGNS) {
			const text = signs.getByText(sign, { exact: true });
			await expect(text).toBeVisible();
			expect(
				await text.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 || getComputedStyle(el).display === 'inline')
			).toBe(true);
		}
		await expect(
			page.getByRole('heading', { name: 'Behandle søknad om kommunal utleiebolig', exact: true })
		).toBeVisible();
		await page.emulateMedia({ media: 'screen' });

		await page.goto(`${planPath!.replace(/\/min-plan$/, '')}/krise`);
		await expect(page.getByRole('button', { name: 'Skriv ut kriseplanen' })).toBeVisible();
		await page.emulateMedia({ media: 'print' });
		expect(await visibleControls(page)).toEqual([]);
		for (const sign of SIGNS) await expect(page.getByText(sign, { exact: true })).toBeVisible();
		await page.emulateMedia({ media: 'screen' });
		await page.context().close();
	});

	test('@meeting "Endre" opened on a slow phone before the page’s script ran stays open once it runs', async ({
		browser
	}) => {
		const page = await freshLogin(browser, 'koordinator');
		const planPath = (await page.getByRole('link', { name: PLAN_TITLE }).getAttribute('href'))!.replace(
			/\/min-plan$/,
			''
		);
		// Hold the page's script back, as a slow connection does, until the person has opened a measure's controls.
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			await held;
			await route.continue();
		});
		await page.goto(planPath);
		const measure = page.getByRole('listitem', { name: 'Tett oppfølging de første månedene etter innflytting' });
		await measure.getByLabel(/^Endre tiltaket/).click();
		await expect(measure.locator('details.manage')).toHaveAttribute('open', '');
		await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'false');
		release();
		await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
		await expect(measure.locator('details.manage')).toHaveAttribute('open', '');
		await page.context().close();
	});
});
