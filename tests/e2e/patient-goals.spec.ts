import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { PLAN_TITLE, leavePatientView, waitUntilSynced } from './collab-helpers';

/** The demo plan, live and synced, as `who` in a fresh context: a phone (390×844, touch) or a desktop. */
async function openPlan(browser: Browser, who: string, phone: boolean): Promise<Page> {
	const context = await browser.newContext({
		locale: 'nb-NO',
		...(phone ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } : {})
	});
	const page = await context.newPage();
	await login(page, who);
	await page.getByRole('link', { name: PLAN_TITLE }).click();
	// The patient lands in their own view; the live plan is its menu's first link.
	await leavePatientView(page);
	await waitUntilSynced(page);
	return page;
}

/** Width and height of an element as laid out, for touch targets. */
async function sizeOf(page: Page, name: string | RegExp): Promise<{ width: number; height: number }> {
	const box = await page.getByRole('button', { name }).boundingBox();
	expect(box, `a laid-out button ${String(name)}`).not.toBeNull();
	return box!;
}

test.describe('@patient one list of goals', () => {
	test("@patient the patient adds a goal on a phone; it is the plan's, marked as theirs, at the coordinator live; the coordinator proposes a wording and the patient accepts it", async ({
		browser
	}) => {
		const coordinator = await openPlan(browser, 'koordinator', false);
		const patient = await openPlan(browser, 'pasient', true);

		// The own-goals list in the patient's part is gone: one list of goals.
		await expect(patient.getByRole('region', { name: 'Mine egne mål' })).toHaveCount(0);

		// Long enough to wrap several times on a phone: shown whole, never cut.
		const words = `Gå på kafé med søsteren min og nevøen min en lørdag i måneden, og ta bussen dit selv uten at noen må hente meg (${Date.now()})`;
		const field = patient.getByRole('textbox', { name: 'Målet mitt, med mine ord' });
		await field.fill(words);
		// The field grows with what is written: nothing of it scrolls out of sight inside the box.
		expect(await field.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(2);
		expect((await sizeOf(patient, 'Legg til målet mitt')).height).toBeGreaterThanOrEqual(44);
		await patient.getByRole('button', { name: 'Legg til målet mitt' }).tap();

		const mine = patient.getByRole('article', { name: words });
		await expect(mine.getByRole('heading', { name: words, exact: true })).toBeVisible();
		await expect(mine.getByText('Mitt eget mål', { exact: true })).toBeVisible();
		await expect(field).toHaveValue('');
		// The whole title is on screen: it wraps inside the card, and the page does not scroll sideways.
		const heading = mine.getByRole('heading', { name: words, exact: true });
		expect(await heading.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
		// (Other parts of the page still overflow a phone; the goal cards must not.)
		const cards = await patient.evaluate(() => {
			const all = [
				...document.querySelectorAll(
					'#goals-heading ~ * article.goal, #goals-heading ~ * article.goal *, form.add-goal, form.add-goal *'
				)
			];
			const overflowing = all.filter(
				(el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
			);
			return {
				checked: all.length,
				overflowing: overflowing.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
			};
		});
		expect(cards.checked).toBeGreaterThan(50);
		expect(cards.overflowing).toEqual([]);

		// At the coordinator, without a reload: among the plan's goals, marked as the patient's.
		const goals = coordinator.getByRole('region', { name: 'Mål og tiltak' });
		const theirs = goals.getByRole('article', { name: words });
		await expect(theirs.getByRole('heading', { name: words, exact: true })).toBeVisible({ timeout: 2000 });
		await expect(theirs.getByText('Pasientens eget mål', { exact: true })).toBeVisible();
		// Staff do not reword it; they propose.
		await theirs.getByLabel(`Endre målet «${words}»`).click();
		await expect(theirs.getByRole('textbox', { name: 'Mål', exact: true })).toHaveCount(0);
		await expect(theirs.getByLabel('Hvem sitt mål')).toHaveCount(0);
		await theirs.getByText('Foreslå ny formulering', { exact: true }).click();
		const better = `Kafé med søster og nevø en lørdag i måneden, og ta bussen selv (${Date.now()})`;
		await theirs.getByRole('textbox', { name: 'Ny formulering' }).fill(better);
		await expectAccessible(coordinator);
		await theirs.getByRole('button', { name: 'Send forslaget' }).click();
		await expect(theirs.getByText('Venter på svar fra pasienten.')).toBeVisible();

		// The patient sees the proposal, who made it, and answers in one tap.
		const proposal = mine.getByRole('region', { name: 'Forslag til ny formulering' });
		await expect(proposal).toContainText(better, { timeout: 2000 });
		await expect(proposal).toContainText('Foreslått av Ingrid Solberg');
		for (const name of [/^Godta/, /^Behold min/]) {
			const { width, height } = await sizeOf(patient, name);
			expect(Math.min(width, height), String(name)).toBeGreaterThanOrEqual(44);
		}
		await expectAccessible(patient);
		await proposal.getByRole('button', { name: /^Godta/ }).tap();

		// Now in the proposed words, still the patient's, at both ends.
		const accepted = patient.getByRole('article', { name: better });
		await expect(accepted.getByRole('heading', { name: better, exact: true })).toBeVisible();
		await expect(accepted.getByText('Mitt eget mål', { exact: true })).toBeVisible();
		await expect(accepted.getByRole('region', { name: 'Forslag til ny formulering' })).toHaveCount(0);
		const atCoordinator = goals.getByRole('article', { name: better });
		await expect(atCoordinator.getByRole('heading', { name: better, exact: true })).toBeVisible({ timeout: 2000 });
		await expect(atCoordinator.getByText('Pasientens eget mål', { exact: true })).toBeVisible();
		await expect(coordinator.getByRole('heading', { name: words, exact: true })).toHaveCount(0);
		await expectAccessible(coordinator);
		await coordinator.context().close();
		await patient.context().close();
	});

	test("@patient the patient keeps their own words: 'Behold min' clears the proposal and the title stays", async ({
		browser
	}) => {
		const coordinator = await openPlan(browser, 'koordinator', false);
		const patient = await openPlan(browser, 'pasient', true);
		// A goal of his from the demo plan, in his words.
		const title = 'Komme meg ut av huset hver dag';
		const theirs = coordinator.getByRole('article', { name: title });
		// Proposing a wording is among the goal's editing controls, which open on demand.
		await theirs.getByLabel(`Endre målet «${title}»`).click();
		await theirs.getByText('Foreslå ny formulering', { exact: true }).click();
		await theirs.getByRole('textbox', { name: 'Ny formulering' }).fill('Daglig aktivitet utenfor boligen');
		await theirs.getByRole('button', { name: 'Send forslaget' }).click();

		const mine = patient.getByRole('article', { name: title });
		await expect(mine.getByRole('region', { name: 'Forslag til ny formulering' })).toContainText(
			'Daglig aktivitet utenfor boligen',
			{ timeout: 2000 }
		);
		await mine.getByRole('button', { name: /^Behold min/ }).tap();
		await expect(mine.getByRole('region', { name: 'Forslag til ny formulering' })).toHaveCount(0);
		await expect(theirs.getByRole('region', { name: 'Forslag til ny formulering' })).toHaveCount(0, { timeout: 2000 });
		await expect(theirs.getByRole('heading', { name: title, exact: true })).toBeVisible();
		await expectAccessible(patient);
		await coordinator.context().close();
		await patient.context().close();
	});

	test('@patient the whole live plan fits a 320 px phone, and the patient can call the crisis contacts from it', async ({
		browser
	}) => {
		const context = await browser.newContext({
			locale: 'nb-NO',
			viewport: { width: 320, height: 700 },
			hasTouch: true,
			isMobile: true
		});
		const page = await context.newPage();
		await login(page, 'pasient');
		await page.getByRole('link', { name: PLAN_TITLE }).click();
		await leavePatientView(page);
		await waitUntilSynced(page);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
		const contacts = page.getByRole('region', { name: 'Hvem skal kontaktes' });
		const call = contacts.getByRole('link', { name: /^Ring / }).first();
		await expect(call).toHaveAttribute('href', /^tel:\+?\d+$/);
		expect((await call.boundingBox())!.height).toBeGreaterThanOrEqual(44);
		await expectAccessible(page);
		await context.close();
	});
});
