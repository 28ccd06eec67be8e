import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { leavePatientView } from './collab-helpers';

/** Opens the demo plan as `who` in a fresh browser context (its own cookies and IndexedDB). */
async function openPlan(browser: Browser, who: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'nb-NO' });
	const page = await context.newPage();
	await login(page, who);
	await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
	await leavePatientView(page);
	await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
	await expect(page.getByRole('status').filter({ hasText: 'Tilkoblet' })).toBeVisible();
	return page;
}

const whatHelps = (page: Page) => page.getByRole('textbox', { name: 'Dette hjelper meg' });

/** The lines of an editable list, as its inputs hold them (an editor sees inputs, a reader sees text). */
const listLines = (page: Page, list: string) =>
	page
		.getByRole('region', { name: list })
		.locator('li textarea')
		.evaluateAll((inputs) => inputs.map((i) => (i as HTMLTextAreaElement).value));

test.describe('@live the plan is edited together', () => {
	test('@live two people see each other typing within a second, with names on presence', async ({ browser }) => {
		const coordinator = await openPlan(browser, 'koordinator');
		const patient = await openPlan(browser, 'pasient');

		await expect(coordinator.getByRole('list', { name: 'Til stede nå' })).toContainText('Jonas Berg');
		await expect(patient.getByRole('list', { name: 'Til stede nå' })).toContainText('Ingrid Solberg');

		const text = `Gå en tur langs sjøen ${Date.now()}`;
		await whatHelps(coordinator).click();
		await coordinator.keyboard.press('Control+End');
		await coordinator.keyboard.press('Enter');
		await coordinator.keyboard.type(text);
		await expect(whatHelps(patient)).toContainText(text, { timeout: 1000 });

		// The coordinator's caret is labelled with her real name in the patient's view.
		await expect(patient.locator('.collaboration-carets__label', { hasText: 'Ingrid Solberg' })).toBeVisible({
			timeout: 1000
		});

		// And back: the patient adds a line to their own resources; the coordinator sees it live.
		// (The patient's goals are goals of the plan now: tests/e2e/patient-goals.spec.ts.)
		const own = `Flink til å lage middag ${Date.now()}`;
		await patient.getByLabel('Ny linje i «Mine ressurser – det jeg får til»').fill(own);
		await patient.getByLabel('Ny linje i «Mine ressurser – det jeg får til»').press('Enter');
		await expect(coordinator.getByRole('region', { name: 'Mine ressurser – det jeg får til' })).toContainText(own, {
			timeout: 1000
		});
		await expectAccessible(coordinator);
		await expectAccessible(patient);

		// What was typed is stored: a fresh load renders it on the server.
		const again = await coordinator.context().newPage();
		await again.goto(coordinator.url());
		await expect(again.locator('#crisis-what-helps-label + *')).toContainText(text);
		await coordinator.context().close();
		await patient.context().close();
	});

	test('@live the sister sees only what her consent covers (the crisis plan), and can change nothing', async ({
		browser
	}) => {
		const sister = await openPlan(browser, 'parorende');
		await expect(sister.getByText('Du kan lese planen, men ikke endre den.')).toBeVisible();
		await expect(sister.getByText('Pasientens samtykke gir deg tilgang til kriseplanen, møtene.')).toBeVisible();
		await expect(sister.getByRole('heading', { name: 'Kriseplan' })).toBeVisible();
		await expect(whatHelps(sister)).toHaveAttribute('contenteditable', 'false');
		// Neither goals and measures nor the patient's own words reach her page.
		await expect(sister.getByRole('heading', { name: 'Flytte til egen leilighet', exact: true })).toHaveCount(0);
		await expect(sister.getByRole('heading', { name: 'Hva er viktig for meg' })).toHaveCount(0);
		await expect(sister.getByText('Gjeldsrådgivning', { exact: false })).toHaveCount(0);
		await expect(sister.getByRole('button', { name: 'Legg til mål' })).toHaveCount(0);
		await expect(sister.getByRole('button', { name: 'Legg til tiltak' })).toHaveCount(0);
		await expect(sister.locator('main input:not([readonly]), main select')).toHaveCount(0);
		await expectAccessible(sister);
		await sister.context().close();
	});

	test('@live only the patient writes their own voice', async ({ browser }) => {
		const coordinator = await openPlan(browser, 'koordinator');
		await expect(coordinator.getByRole('textbox', { name: 'Det som er viktig for meg' })).toHaveAttribute(
			'contenteditable',
			'false'
		);
		await expect(whatHelps(coordinator)).toHaveAttribute('contenteditable', 'true');
		await coordinator.context().close();
	});

	test('@live an edit made offline merges after reconnecting', async ({ browser }) => {
		const coordinator = await openPlan(browser, 'koordinator');
		// The crisis plan is written by the patient, the coordinator and clinical staff: the GP is one of them.
		const gp = await openPlan(browser, 'fastlege');

		await coordinator.context().setOffline(true);
		await expect(coordinator.getByRole('status').filter({ hasText: 'Frakoblet' })).toBeVisible();
		const sign = `Holder seg inne i flere dager ${Date.now()}`;
		await coordinator.getByLabel('Ny linje i «Tegn på at det går dårlig»').fill(sign);
		await coordinator.getByLabel('Ny linje i «Tegn på at det går dårlig»').press('Enter');
		await expect.poll(() => listLines(coordinator, 'Tegn på at det går dårlig')).toContain(sign);
		// Meanwhile the GP edits too, online.
		const gpSign = `Slutter å svare på telefon ${Date.now()}`;
		await gp.getByLabel('Ny linje i «Tegn på at det går dårlig»').fill(gpSign);
		await gp.getByLabel('Ny linje i «Tegn på at det går dårlig»').press('Enter');
		await expect.poll(() => listLines(gp, 'Tegn på at det går dårlig')).toContain(gpSign);
		await gp.waitForTimeout(1000);
		expect(await listLines(gp, 'Tegn på at det går dårlig')).not.toContain(sign);

		await coordinator.context().setOffline(false);
		await expect(coordinator.getByRole('status').filter({ hasText: 'Tilkoblet' })).toBeVisible({ timeout: 10_000 });
		await expect.poll(() => listLines(gp, 'Tegn på at det går dårlig'), { timeout: 5000 }).toContain(sign);
		await expect.poll(() => listLines(coordinator, 'Tegn på at det går dårlig'), { timeout: 5000 }).toContain(gpSign);
		await coordinator.context().close();
		await gp.context().close();
	});

	test('@live the plan is rendered on the server and reads without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nb-NO' });
		const page = await context.newPage();
		await login(page, 'nav');
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await expect(page.getByRole('heading', { name: 'Hva er viktig for meg' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Flytte til egen leilighet', exact: true })).toBeVisible();
		await expect(
			page.getByRole('heading', { name: 'Behandle søknad om kommunal utleiebolig', exact: true })
		).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Kriseplan' })).toBeVisible();
		await expect(page.getByText('Boligkontoret', { exact: false }).first()).toBeVisible();
		// axe needs script to run, so this page is checked in the reader's test above, with JavaScript on.
		await context.close();
	});
});

test('@live a refused edit says why and changes nothing', async ({ page }) => {
	await login(page, 'koordinator');
	await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
	await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
	const measure = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: 'Behandle søknad om kommunal utleiebolig', exact: true }) });
	await measure.getByLabel('Endre tiltaket «Behandle søknad om kommunal utleiebolig»').click();
	// A due date before the start: the plan model refuses it before writing, and the page says why.
	await measure.getByLabel('Start', { exact: true }).fill('2027-03-01');
	await measure.getByLabel('Frist', { exact: true }).fill('2027-02-01');
	await measure.getByRole('button', { name: 'Lagre' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Fristen kan ikke være før startdatoen' })).toBeVisible();
	await expect(measure.locator('.owner')).toContainText('5. oktober 2026 – 31. januar 2027');
});

test('@live a goal gets a measure owned by a named service and person, and goals reorder by keyboard', async ({
	page
}) => {
	await login(page, 'koordinator');
	await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
	await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });

	const title = `Begynne på svømming ${Date.now()}`;
	const newGoal = page.getByRole('form', { name: 'Nytt mål' });
	await newGoal.getByLabel('Mål', { exact: true }).fill(title);
	await newGoal.getByLabel('Livsområde').selectOption('leisure');
	await newGoal.getByRole('button', { name: 'Legg til mål' }).click();
	const goal = page.getByRole('article', { name: title });
	await expect(goal).toBeVisible();

	const newMeasure = goal.getByRole('form', { name: `Nytt tiltak for «${title}»` });
	await newMeasure.getByLabel('Tiltak', { exact: true }).fill('Søke om fritidskort');
	await newMeasure.getByLabel('Ansvarlig tjeneste').selectOption({ label: 'NAV Fjordvik' });
	await newMeasure.getByLabel('Ansvarlig person').selectOption({ label: 'Ahmed Karimi' });
	await newMeasure.getByRole('button', { name: 'Legg til tiltak' }).click();
	const measure = goal
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: 'Søke om fritidskort' }) });
	await expect(measure).toContainText('NAV Fjordvik · Ahmed Karimi');
	await expect(measure).toContainText('Foreslått');

	// Reorder within the life area with the keyboard: the new goal moves above the demo's leisure goal.
	const area = page.getByRole('region', { name: 'Fritid' });
	const before = await area
		.getByRole('article')
		.evaluateAll((els) => els.map((e) => e.querySelector('h4')?.textContent));
	expect(before.at(-1)).toBe(title);
	// The arrows are among the goal's editing controls, which open on demand.
	await goal.getByLabel(`Endre målet «${title}»`).click();
	await goal.getByRole('button', { name: `Flytt målet «${title}» opp` }).focus();
	await page.keyboard.press('Enter');
	await expect
		.poll(() => area.getByRole('article').evaluateAll((els) => els.map((e) => e.querySelector('h4')?.textContent)))
		.toEqual([title, ...before.slice(0, -1)]);

	// And it is undoable: my last change is the move.
	await page.getByRole('button', { name: 'Angre' }).click();
	await expect
		.poll(() => area.getByRole('article').evaluateAll((els) => els.map((e) => e.querySelector('h4')?.textContent)))
		.toEqual(before);
});
