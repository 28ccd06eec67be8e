import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { openPlanFromList } from './collab-helpers';

/**
 * The crisis plan's quick view on a phone: tap-to-call, readable offline after a reload (a service worker keeps
 * it), gone at logout, and only for those whose consent covers the crisis plan.
 */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

const PLAN = 'Individuell plan for Jonas';

/** The quick view's path of the demo plan, from the logged-in person's list of plans (the patient's link opens their own view). */
async function crisisPath(page: Page): Promise<string> {
	const href = await page
		.getByRole('listitem')
		.filter({ hasText: PLAN })
		.getByRole('link', { name: PLAN })
		.getAttribute('href');
	expect(href).toMatch(/^\/plans\/[^/]+(\/min-plan)?$/);
	return `${href!.replace(/\/min-plan$/, '')}/krise`;
}

/** What a person waits for before going offline: the page is under the worker and its copy is stored. */
async function waitForOfflineCopy(page: Page, path: string): Promise<void> {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	await expect.poll(() => page.evaluate(async (p) => !!(await caches.match(p)), path), { timeout: 10_000 }).toBe(true);
}

/** The demo's warning signs by level, as the seed stages them (list order within a level). */
const DEMO_LEVELS: Array<[string, string[]]> = [
	['Tidlige tegn', ['Sover dårlig flere netter på rad', 'Lar være å åpne post og regninger']],
	['Når det blir verre', ['Trekker meg unna og svarer ikke på telefonen', 'Røyker mer cannabis enn vanlig']],
	['Akutt fare', ['Slutter å ta medisiner', 'Stemmene blir mer kritiske']]
];

const storedCopy = (page: Page, path: string) =>
	page.evaluate(async (p) => ((await caches.match(p)) ? 'stored' : 'none'), path);

async function expectCallLinks(page: Page): Promise<void> {
	const contacts = page.getByRole('region', { name: 'Hvem du kan ringe' });
	await expect(contacts.getByRole('link', { name: /Ingrid Solberg/ })).toHaveAttribute('href', 'tel:90000001');
	await expect(contacts.getByRole('link', { name: /Legevakt/ })).toHaveAttribute('href', 'tel:116117');
	const hrefs = await contacts.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
	expect(hrefs).toHaveLength(5);
	for (const href of hrefs) expect(href).toMatch(/^tel:\+?\d+$/);
}

/** Visible controls smaller than 44×44 px (the skip link is off screen until focused). */
async function smallControls(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('a[href], button, select, input, textarea, summary')]
			.filter((el) => {
				const r = el.getBoundingClientRect();
				return (
					r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && getComputedStyle(el).visibility !== 'hidden'
				);
			})
			.filter((el) => {
				const r = el.getBoundingClientRect();
				return r.width < 44 || r.height < 44;
			})
			.map(
				(el) =>
					`${el.tagName} "${el.textContent?.trim()}" ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`
			)
	);
}

test.describe('the crisis plan on a phone @patient', () => {
	test('the patient opens it once, reads it offline after a reload with tap-to-call, and logging out deletes the copy', async ({
		page,
		context
	}) => {
		await login(page, 'pasient');
		await expect(page).toHaveURL(/\/$/);
		const path = await crisisPath(page);
		const response = await page.goto(path);
		expect(response?.status()).toBe(200);

		await expect(page.getByRole('heading', { level: 1, name: 'Kriseplanen min' })).toBeVisible();
		const signs = page.getByRole('region', { name: 'Tegn på at det går dårlig' });
		await expect(signs.getByRole('listitem')).toHaveCount(6);
		await expect(signs).toContainText('Sover dårlig flere netter på rad');
		await expect(page.getByRole('region', { name: 'Dette hjelper' })).toContainText('Rolig prat med noen jeg kjenner');
		await expect(page.getByRole('region', { name: 'Dette vil jeg at andre gjør' })).toContainText('Ring meg først.');
		await expect(page.getByRole('region', { name: 'Åpen retur' })).toContainText(
			'Åpen retur betyr at du kan kontakte DPS Fjordvik, døgnenheten direkte'
		);
		await expect(page.getByRole('region', { name: 'Åpen retur' })).toContainText('Avtalen gjelder til 31. mars 2027.');
		await expectCallLinks(page);
		const updated = page.getByText(/^Sist oppdatert \d{1,2}\. \p{L}+ \d{4}( kl\.)?,? \d{2}[:.]\d{2}$/u);
		await expect(updated).toBeVisible();
		const updatedText = await updated.textContent();
		// Online, the page is the live one, and says nothing of a copy.
		await expect(page.getByText(/Dette er en kopi/)).toBeHidden();
		await expectAccessible(page);

		await waitForOfflineCopy(page, path);
		await context.setOffline(true);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1, name: 'Kriseplanen min' })).toBeVisible();
		await expect(page.getByRole('status')).toContainText(
			'Du har ikke nett nå. Dette er en kopi som er lagret på denne enheten'
		);
		await expect(page.getByRole('status')).toBeVisible();
		await expect(page.getByText(updatedText!)).toBeVisible();
		await expect(page.getByRole('region', { name: 'Tegn på at det går dårlig' }).getByRole('listitem')).toHaveCount(6);
		await expectCallLinks(page);
		await expectAccessible(page);
		// A second reload, still offline: the copy is not used up.
		await page.reload();
		await expect(page.getByRole('status')).toBeVisible();
		await expectCallLinks(page);

		await context.setOffline(false);
		await page.reload();
		await expect(page.getByText(/Dette er en kopi/)).toBeHidden();
		// Logging out from this page (it has no script: a plain form post) deletes the copy.
		await page.getByRole('button', { name: 'Logg ut' }).click();
		await expect(page).toHaveURL(/\/login$/);
		await expect.poll(() => storedCopy(page, path)).toBe('none');
		expect(await page.evaluate(() => caches.keys())).toEqual([]);
		// The logout answer itself tells the browser to wipe (Chromium does not show that header to Playwright).
		const wipe = await page.request.post('/logout', {
			headers: { Origin: new URL(page.url()).origin, Accept: 'text/html' },
			form: { logout: '1' },
			maxRedirects: 0
		});
		expect(wipe.status()).toBe(303);
		expect(wipe.headers()['clear-site-data']).toBe('"cache", "storage"');

		// Someone else on the same browser: the plan is not theirs, and nothing of the copy is served, online or off.
		await login(page, 'utenfor');
		await expect(page.getByText('Du er ikke med i noen plan ennå.')).toBeVisible();
		const refused = await page.goto(path);
		expect(refused?.status()).toBe(403);
		await expect(page.locator('body')).not.toContainText('Sover dårlig');
		await context.setOffline(true);
		// Nothing answers for the page any more: no copy, only a failed navigation — the browser's offline error once
		// the worker is gone (Clear-Site-Data removes it in the background), the worker's own network error before.
		await expect(page.goto(path)).rejects.toThrow(/net::ERR_(INTERNET_DISCONNECTED|FAILED|ABORTED)/);
		await context.setOffline(false);
		await page.goto('/');
	});

	test('the sister reads the crisis plan alone, reaches it from the plan, and keeps it offline too', async ({
		page,
		context
	}) => {
		await login(page, 'parorende');
		await page.getByRole('listitem').filter({ hasText: PLAN }).getByRole('link', { name: PLAN }).click();
		await page
			.getByRole('navigation', { name: 'Planens sider' })
			.getByRole('link', { name: 'Kriseplanen på telefonen' })
			.click();
		await expect(page).toHaveURL(/\/plans\/[^/]+\/krise$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Kriseplan for Jonas Berg' })).toBeVisible();
		await expect(page.getByRole('region', { name: 'Tegn på at det går dårlig' })).toContainText(
			'Slutter å ta medisiner'
		);
		await expectCallLinks(page);
		await expectAccessible(page);

		const path = new URL(page.url()).pathname;
		await waitForOfflineCopy(page, path);
		await context.setOffline(true);
		await page.reload();
		await expect(page.getByRole('status')).toContainText('Dette er en kopi');
		await expectCallLinks(page);
		await context.setOffline(false);
	});

	test('the copy outlives a restart of the browser', async ({ page }, testInfo) => {
		// One browser profile on disk, closed and opened again: what a phone does when the browser is restarted.
		const profile = await mkdtemp(join(tmpdir(), 'fellesplan-crisis-'));
		const { baseURL, launchOptions } = testInfo.project.use;
		const open = () =>
			chromium.launchPersistentContext(profile, {
				...launchOptions,
				baseURL,
				locale: 'nb-NO',
				viewport: { width: 390, height: 844 },
				hasTouch: true,
				isMobile: true
			});
		try {
			let browser = await open();
			const first = browser.pages()[0] ?? (await browser.newPage());
			await login(first, 'pasient');
			await expect(first).toHaveURL(/\/$/);
			const path = await crisisPath(first);
			await first.goto(path);
			await waitForOfflineCopy(first, path);
			await browser.close();

			browser = await open();
			await browser.setOffline(true);
			const again = browser.pages()[0] ?? (await browser.newPage());
			await again.goto(path);
			await expect(again.getByRole('heading', { level: 1, name: 'Kriseplanen min' })).toBeVisible();
			await expect(again.getByRole('status')).toContainText('Dette er en kopi');
			await expectCallLinks(again);
			await browser.close();
		} finally {
			await rm(profile, { recursive: true, force: true });
		}
		// The fixture's own page ends the test on a page of the app, for its axe check.
		await page.goto('/login');
	});

	test('a person outside the group is refused', async ({ page }) => {
		await login(page, 'pasient');
		const path = await crisisPath(page);
		await page.getByRole('button', { name: 'Logg ut' }).click();
		await expect(page).toHaveURL(/\/login$/);
		await login(page, 'utenfor');
		await expect(page.getByText('Du er ikke med i noen plan ennå.')).toBeVisible();
		const response = await page.goto(path);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { name: 'Ingen tilgang' })).toBeVisible();
		await expect(page.locator('body')).not.toContainText('Jonas');
	});

	test('nothing scrolls sideways at 320 px, every control is at least 44×44 px, and print shows the text without controls', async ({
		page
	}) => {
		await login(page, 'pasient');
		const path = await crisisPath(page);
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1, name: 'Kriseplanen min' })).toBeVisible();
		expect(await smallControls(page)).toEqual([]);

		await page.setViewportSize({ width: 320, height: 700 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
		expect(await smallControls(page)).toEqual([]);
		await expectAccessible(page);

		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('region', { name: 'Dette vil jeg at andre gjør' })).toContainText(
			'Hvis jeg må legges inn, vil jeg til DPS'
		);
		await expect(page.getByText('900 00 003')).toBeVisible();
		await expect(page.getByRole('button')).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Til hele planen' })).toBeHidden();
		await page.emulateMedia({ media: 'screen' });
	});
	test('the quick view shows the warning signs under a heading per level, early → worse → acute, on screen and in print', async ({
		page
	}) => {
		await login(page, 'pasient');
		await page.goto(await crisisPath(page));
		const signs = page.getByRole('region', { name: 'Tegn på at det går dårlig' });
		await expect(signs.getByRole('heading', { level: 3 })).toHaveText(DEMO_LEVELS.map(([level]) => level));
		for (const [level, texts] of DEMO_LEVELS)
			await expect(signs.getByRole('list', { name: level }).getByRole('listitem')).toHaveText(texts);
		await expect(signs).toContainText('Nå trengs hjelp med en gang.');
		await page.emulateMedia({ media: 'print' });
		for (const [level, texts] of DEMO_LEVELS) {
			await expect(signs.getByRole('heading', { level: 3, name: level })).toBeVisible();
			await expect(signs.getByRole('list', { name: level }).getByRole('listitem')).toHaveText(texts);
		}
		await page.emulateMedia({ media: 'screen' });
	});

	test('on the plan page a writer picks a sign’s level, and the sign moves under it there and in the quick view', async ({
		page
	}) => {
		await login(page, 'koordinator');
		await openPlanFromList(page);
		const planPath = new URL(page.url()).pathname;
		const signs = page.getByRole('region', { name: 'Tegn på at det går dårlig' });
		await expect(signs.getByRole('heading', { level: 4 })).toHaveText(DEMO_LEVELS.map(([level]) => level));
		const lines = (level: string) =>
			signs
				.getByRole('list', { name: level })
				.locator('li textarea')
				.evaluateAll((inputs) => inputs.map((i) => (i as HTMLTextAreaElement).value));
		for (const [level, texts] of DEMO_LEVELS) expect(await lines(level)).toEqual(texts);

		const sign = `Går ikke ut av leiligheten ${Date.now()}`;
		await page.getByLabel('Ny linje i «Tegn på at det går dårlig»').fill(sign);
		await page.getByLabel('Ny linje i «Tegn på at det går dårlig»').press('Enter');
		// Added without picking: an early sign.
		await expect.poll(() => lines('Tidlige tegn')).toContain(sign);
		const level = page.getByLabel(`Nivå for «${sign}»`);
		await expect(level).toHaveValue('early');
		const box = await level.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(44);
		// From the keyboard: a closed select steps through its levels with the arrow keys.
		await level.focus();
		await page.keyboard.press('ArrowDown');
		await expect.poll(() => lines('Når det blir verre')).toContain(sign);
		// The sign moved to another group; the keyboard stays on its select.
		await expect(page.getByLabel(`Nivå for «${sign}»`)).toBeFocused();
		await page.keyboard.press('ArrowDown');
		await expect.poll(() => lines('Akutt fare')).toEqual([...DEMO_LEVELS[2][1], sign]);
		expect(await lines('Tidlige tegn')).toEqual(DEMO_LEVELS[0][1]);
		await expect(page.getByLabel(`Nivå for «${sign}»`)).toHaveValue('acute');
		await expectAccessible(page);

		// The server renders what the sync server stored: the quick view has it under its new level.
		await expect
			.poll(async () => {
				await page.goto(`${planPath}/krise`);
				return page.getByRole('list', { name: 'Akutt fare' }).getByRole('listitem').allTextContents();
			})
			.toEqual([...DEMO_LEVELS[2][1], sign]);
		await expect(page.getByRole('list', { name: 'Tidlige tegn' })).not.toContainText(sign);
	});
});
