import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { freshLogin, openPlanFromList, PLAN_TITLE } from './collab-helpers';

/** A phone: 390 × 844, touch (issue 10). */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } as const;
test.use(PHONE);

/** Unique words per run, so the tests hold after each other and after the other specs changed the demo plan. */
const unique = (words: string) => `${words} ${Date.now().toString(36)}`;

/** From the plan list the patient lands in their own view. */
async function openPatientView(page: Page): Promise<void> {
	await page.getByRole('link', { name: PLAN_TITLE }).click();
	await expect(page).toHaveURL(/\/plans\/[^/]+\/min-plan$/);
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLE })).toBeVisible();
	await expect(page.getByText('Min plan', { exact: true })).toBeVisible();
}

const goalsSection = (page: Page) => page.getByRole('region', { name: 'Mine mål' });
const goalItem = (page: Page, title: string) =>
	goalsSection(page)
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3, name: title, exact: true }) });

/** Two taps: the field (then the words), and the button right under it. */
async function addGoal(page: Page, title: string): Promise<void> {
	const field = page.getByLabel('Skriv et nytt mål');
	await field.tap();
	await field.fill(title);
	await page.getByRole('button', { name: 'Legg til målet' }).tap();
	await expect(goalItem(page, title)).toBeVisible();
}

async function patientOnPhone(browser: Browser, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext({ locale: 'nb-NO', ...PHONE, ...opts });
	const page = await context.newPage();
	await login(page, 'pasient');
	await openPatientView(page);
	return page;
}

test.describe("the patient's view on a phone", { tag: '@patient' }, () => {
	test('the patient adds a goal in two taps, and the coordinator sees it among the plan’s goals, marked as the patient’s, without reloading', async ({
		page,
		browser
	}) => {
		const coordinator = await freshLogin(browser, 'koordinator');
		await openPlanFromList(coordinator);

		await login(page, 'pasient');
		await openPatientView(page);
		const title = unique('Gå tur med hunden hver dag');
		await addGoal(page, title);
		await expect(goalItem(page, title)).toContainText('Ditt eget mål');
		await expectAccessible(page);

		// The coordinator's live page, never reloaded: the goal is there, as the patient's own.
		const card = coordinator.getByRole('article').filter({ hasText: title });
		await expect(card).toBeVisible({ timeout: 10_000 });
		await expect(card).toContainText('Pasientens eget mål');
		await coordinator.context().close();
	});

	test('the view is server-rendered HTML without any script to download', async ({ page }) => {
		await login(page, 'pasient');
		await openPatientView(page);
		await expect(page.locator('script')).toHaveCount(0);
		await expect(page.locator('link[rel="modulepreload"]')).toHaveCount(0);
	});

	test('the patient says how a goal is going in two taps, and the measures read in plain words', async ({ page }) => {
		await login(page, 'pasient');
		await openPatientView(page);
		const title = unique('Sove bedre om natta');
		await addGoal(page, title);

		const goal = goalItem(page, title);
		await goal.getByText('Hvordan går det?').tap();
		await goal.getByRole('button', { name: '7 av 10' }).tap();
		await expect(goalItem(page, title)).toContainText('Sist sa du 7 av 10');

		// A measure NAV has said yes to, in the words of the issue; one that waits says why, and what the patient gets meanwhile.
		await expect(goalsSection(page)).toContainText(
			'NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 30. november 2026.'
		);
		const waiting = goalsSection(page).locator('ul.measures > li').filter({ hasText: 'Dette venter.' }).first();
		await expect(waiting).toContainText('Hvorfor: ');
		await expect(waiting).toContainText('Mens du venter: ');
		// None of the staff words the patient should not meet.
		for (const word of ['Tiltak', 'Begrunnelse', 'Åpen retur', 'Enhet', 'Livsområde'])
			await expect(page.locator('main')).not.toContainText(word);
	});

	test('refused input keeps what was typed and says what is wrong', async ({ page }) => {
		await login(page, 'pasient');
		await openPatientView(page);
		const field = page.getByLabel('Skriv et nytt mål');
		// Past the browser's own limit, as an old browser (or a paste) could send it: the server refuses it.
		const tooLong = unique('Et mål med altfor mange ord '.repeat(12)).slice(0, 301);
		await field.evaluate((el) => el.removeAttribute('maxlength'));
		await field.fill(tooLong);
		await page.getByRole('button', { name: 'Legg til målet' }).tap();
		await expect(page.getByRole('alert')).toHaveText('Teksten er for lang. Gjør den litt kortere.');
		await expect(page.getByLabel('Skriv et nytt mål')).toHaveValue(tooLong);
		await expect(page.getByLabel('Skriv et nytt mål')).toHaveAttribute('aria-invalid', 'true');

		await page.getByLabel('Skriv et nytt mål').fill('   ');
		await page.getByRole('button', { name: 'Legg til målet' }).tap();
		await expect(page.getByRole('alert')).toHaveText('Skriv noe først, så trykker du på knappen.');
		await expectAccessible(page);
	});

	test('every control is at least 44 × 44 px, and nothing scrolls sideways at 320 px', async ({ page }) => {
		await login(page, 'pasient');
		await openPatientView(page);
		await addGoal(page, unique('Et mål for å måle knappene'));
		// Every disclosure open, so the controls inside are measured too.
		await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
		for (const width of [390, 320]) {
			await page.setViewportSize({ width, height: 844 });
			const small = await page.locator('a, button, input, textarea, select, summary').evaluateAll((all) =>
				all
					.map((el) => ({ el, box: el.getBoundingClientRect() }))
					.filter(
						({ el, box }) =>
							box.width > 0 && box.height > 0 && box.right > 0 && getComputedStyle(el).visibility !== 'hidden'
					)
					.filter(({ box }) => box.width < 44 || box.height < 44)
					.map(
						({ el, box }) =>
							`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`
					)
			);
			expect(small, `controls under 44 × 44 px at ${width} px`).toEqual([]);
		}
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
		await expectAccessible(page);
	});

	test('a goal of 200 characters is shown whole, on screen and in print', async ({ page }) => {
		await login(page, 'pasient');
		await openPatientView(page);
		const start = unique('Jeg vil flytte inn i min egen leilighet');
		const long = (
			start +
			' nær søsteren min, ha penger til mat hele måneden, og gå på jobb i kafeen tre dager i uka uten at noen trenger å minne meg på det hver eneste morgen, og ringe søsteren min når jeg selv vil det'
		).slice(0, 200);
		expect(long).toHaveLength(200);
		await addGoal(page, long);
		const heading = goalsSection(page).getByRole('heading', { level: 3, name: long, exact: true });

		for (const media of ['screen', 'print'] as const) {
			await page.emulateMedia({ media });
			await expect(heading).toBeVisible();
			await expect(heading).toHaveText(long);
			const fits = await heading.evaluate(
				(el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight
			);
			expect(fits, `the goal is not clipped (${media})`).toBe(true);
		}
		// On paper: no buttons or forms.
		await expect(page.locator('main button:visible, main form:visible, main summary:visible')).toHaveCount(0);
		await page.emulateMedia({ media: 'screen' });
	});

	test('in nynorsk the view has none of its bokmål words left', async ({ page }) => {
		const nb = JSON.parse(readFileSync('messages/nb.json', 'utf8')) as Record<string, unknown>;
		const nn = JSON.parse(readFileSync('messages/nn.json', 'utf8')) as Record<string, unknown>;
		await login(page, 'pasient');
		await openPatientView(page);
		await addGoal(page, unique('Lage middag'));
		await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'Norsk (nynorsk)' }).click();
		await expect(page.getByText('Planen min', { exact: true })).toBeVisible();
		await expect(page).toHaveURL(/\/min-plan$/);
		try {
			await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
			const text = await page.locator('body').innerText();
			expect(text).toContain('Måla mine');
			// Each bokmål fragment (between placeholders) of this view's keys that nynorsk says otherwise.
			const left: string[] = [];
			for (const [key, value] of Object.entries(nb)) {
				if (!key.startsWith('patient_view_') || typeof value !== 'string' || value === nn[key]) continue;
				for (const fragment of value.split(/\{[^}]*\}/).map((f) => f.trim())) {
					if (fragment.length >= 4 && !String(nn[key]).includes(fragment) && text.includes(fragment))
						left.push(`${key}: ${fragment}`);
				}
			}
			expect(left).toEqual([]);
			await expectAccessible(page);
		} finally {
			// Back to bokmål, which the other tests expect (the choice is remembered for the person).
			await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'Norsk (bokmål)' }).click();
			await expect(page.getByText('Min plan', { exact: true })).toBeVisible();
		}
	});

	test('the view works without JavaScript: the patient adds a goal and rates it', async ({ browser }) => {
		const page = await patientOnPhone(browser, { javaScriptEnabled: false });
		const title = unique('Ringe søsteren min på søndager');
		await addGoal(page, title);
		await goalItem(page, title).getByText('Hvordan går det?').tap();
		await goalItem(page, title).getByRole('button', { name: '4 av 10' }).tap();
		await expect(goalItem(page, title)).toContainText('Sist sa du 4 av 10');
		// The group, with tap-to-call where a phone is known.
		const group = page.getByRole('region', { name: 'Gruppen min' });
		await expect(group.locator('a[href^="tel:"]').first()).toBeVisible();
		await page.context().close();
	});

	test('staff open the view from the plan menu, read-only; without a seat there is no view', async ({ page }) => {
		await login(page, 'koordinator');
		await page.getByRole('link', { name: PLAN_TITLE }).click();
		await page
			.getByRole('navigation', { name: 'Planens sider' })
			.getByRole('link', { name: 'Slik ser pasienten planen' })
			.click();
		await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLE })).toBeVisible();
		await expect(page.getByText('Slik ser Jonas Berg planen', { exact: true })).toBeVisible();
		await expect(goalsSection(page).getByRole('heading', { level: 3 }).first()).toBeVisible();
		await expect(page.locator('main form')).toHaveCount(0);
		const url = page.url();
		await page.getByRole('button', { name: 'Logg ut' }).click();
		await expect(page).toHaveURL(/\/login$/);

		await login(page, 'utenfor');
		await expect(page.getByText('Du er ikke med i noen plan ennå.')).toBeVisible();
		const response = await page.goto(url);
		expect(response?.status()).toBe(403);
		await expect(page.locator('body')).not.toContainText('Jonas');
	});
});
