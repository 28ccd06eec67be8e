import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';

/**
 * Issue 8, lists across plans: NAV's adviser sees his measures from both demo plans in "Mine oppgaver" (without
 * JavaScript: the lists are plain pages), and loses Amira's the moment her consent for him is withdrawn; the
 * coordinator's overview shows a measure nobody is named for.
 */

const NAV = 'Ahmed Karimi (NAV Fjordvik)';
const AMIRA_PLAN = 'Individuell plan for Amira';
const JONAS_PLAN = 'Individuell plan for Jonas';
const AMIRA_NAV_MEASURE = 'Søknad om arbeidsavklaringspenger (AAP)';
const JONAS_NAV_MEASURE = 'Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling';

async function consentPageOfAmira(page: Page): Promise<void> {
	await page.goto('/');
	await page.getByRole('link', { name: AMIRA_PLAN }).click();
	await page
		.getByRole('navigation', { name: 'Planens sider' })
		.getByRole('link', { name: 'Hvem kan se planen' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Hvem kan se planen til Amira Haddad' })).toBeVisible();
}

const navCard = (page: Page) =>
	page
		.getByRole('region', { name: 'Disse kan se planen nå' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: NAV, exact: true }) });

// Whatever happens below, NAV ends with consent for all of Amira's plan again.
test.afterAll(async ({ browser }: { browser: Browser }) => {
	const context = await browser.newContext({ locale: 'nb-NO' });
	const page = await context.newPage();
	await login(page, 'koordinator');
	await consentPageOfAmira(page);
	if ((await navCard(page).count()) === 0) {
		const form = page.getByRole('region', { name: 'Gi et nytt samtykke' });
		await form.getByLabel('Hvem skal få se planen?').selectOption({ label: NAV });
		for (const part of ['Mål og tiltak', 'Kriseplanen', '«Hva er viktig for meg»', 'Møtene'])
			await form.getByRole('checkbox', { name: part, exact: true }).check();
		await form.getByRole('radio', { name: 'Pasienten selv' }).check();
		await form.getByRole('button', { name: 'Registrer samtykket' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Samtykket er registrert.' })).toBeVisible();
	}
	await context.close();
});

test('@measures "Mine oppgaver" shows measures from two plans, and loses one when its consent is withdrawn', async ({
	browser,
	page
}) => {
	// NAV reads the lists without JavaScript: they are server-rendered pages.
	const navContext = await browser.newContext({ javaScriptEnabled: false, locale: 'nb-NO' });
	const nav = await navContext.newPage();
	await login(nav, 'nav');
	await nav.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mine oppgaver' }).click();
	await expect(nav.getByRole('heading', { level: 1, name: 'Mine oppgaver' })).toBeVisible();
	const rows = nav.getByRole('table', { name: 'Mine oppgaver' }).getByRole('row');
	const amira = rows.filter({ hasText: AMIRA_PLAN });
	const jonas = rows.filter({ hasText: JONAS_PLAN });
	await expect(amira.filter({ hasText: AMIRA_NAV_MEASURE })).toHaveCount(1);
	await expect(jonas.filter({ hasText: JONAS_NAV_MEASURE })).toHaveCount(1);
	// Overdue first: the AAP application was due 15 November 2026.
	await expect(rows.nth(1)).toContainText(AMIRA_NAV_MEASURE);
	await expect(rows.nth(1)).toContainText('Forfalt');
	await expect(rows.nth(1).getByRole('cell').nth(3)).toHaveText('Pågår');
	// Each row leads to the measure in its plan.
	const href = await amira
		.filter({ hasText: AMIRA_NAV_MEASURE })
		.getByRole('link', { name: AMIRA_NAV_MEASURE })
		.getAttribute('href');
	expect(href).toMatch(/^\/plans\/[a-z0-9]+#measure-[\w-]+-title$/);
	await nav.goto(href!);
	await expect(nav.locator(`[id="${href!.split('#')[1]}"]`)).toHaveText(AMIRA_NAV_MEASURE);

	// What waits for NAV's answer, on "Vår tjeneste".
	await nav.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Vår tjeneste' }).click();
	await expect(
		nav
			.getByRole('region', { name: 'Trenger svar fra oss' })
			.getByRole('row')
			.filter({ hasText: 'Kartlegge gjeld og sette opp et budsjett' })
	).toHaveCount(1);
	await expect(
		nav
			.getByRole('region', { name: 'Alt tjenesten har ansvar for' })
			.getByRole('row')
			.filter({ hasText: AMIRA_NAV_MEASURE })
	).toHaveCount(1);

	// The coordinator records Amira's decision: NAV no longer sees her plan.
	await login(page, 'koordinator');
	await consentPageOfAmira(page);
	await navCard(page)
		.getByRole('button', { name: `Trekk tilbake samtykket for ${NAV}` })
		.click();
	await page.getByRole('button', { name: 'Ja, trekk tilbake' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: `Samtykket for ${NAV} er trukket tilbake. Det gjelder fra nå.` })
	).toBeVisible();

	await nav.goto('/mine-oppgaver');
	await expect(jonas.filter({ hasText: JONAS_NAV_MEASURE })).toHaveCount(1);
	await expect(amira).toHaveCount(0);
	await expect(nav.locator('main')).not.toContainText('Amira');
	// The JSON list agrees.
	const tasks = (await (await nav.request.get('/api/tasks?scope=mine')).json()) as { title: string }[];
	expect(tasks.map((t) => t.title)).toContain(JONAS_NAV_MEASURE);
	expect(tasks.map((t) => t.title)).not.toContain(AMIRA_NAV_MEASURE);
	await navContext.close();
	await expectAccessible(page);
	await page.goto('/mine-oppgaver');
	await expect(page.getByRole('heading', { level: 1, name: 'Mine oppgaver' })).toBeVisible();
});

test('@measures the coordinator’s overview lists a measure with no person, a plan past its revision date and a declined measure', async ({
	page
}) => {
	await login(page, 'koordinator');
	await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Oversikt' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Koordinatorens oversikt' })).toBeVisible();
	const noPerson = page
		.getByRole('region', { name: 'Tiltak uten ansvarlig person' })
		.getByRole('row')
		.filter({ hasText: 'Praktisk bistand i hjemmet én gang i uka' });
	await expect(noPerson).toHaveCount(1);
	await expect(noPerson).toContainText('Hjemmetjenesten');
	await expect(noPerson).toContainText('Ingen person valgt');
	await expect(
		page.getByRole('region', { name: 'Planer som skulle vært revidert' }).getByRole('link', { name: AMIRA_PLAN })
	).toBeVisible();
	await expect(
		page
			.getByRole('region', { name: 'Avslåtte tiltak som venter på en beslutning' })
			.getByRole('row')
			.filter({ hasText: 'Pårørendegruppe på DPS for søsteren' })
	).toHaveCount(1);
	await expectAccessible(page);
	await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Vår tjeneste' }).click();
	await expect(
		page
			.getByRole('region', { name: 'Alt tjenesten har ansvar for' })
			.getByRole('row')
			.filter({ hasText: 'Samtaler om søvn og bekymringer hver uke' })
	).toHaveCount(1);
	await expectAccessible(page);

	// The API without a session, and with a scope it does not know.
	expect((await page.request.get('/api/tasks?scope=everything')).status()).toBe(400);
	const anonymous = await page.context().browser()!.newContext();
	const res = await anonymous.request.get(new URL('/api/tasks?scope=mine', test.info().project.use.baseURL).toString());
	expect(res.status()).toBe(401);
	expect(await res.json()).toMatchObject({ error: 'unauthenticated' });
	await anonymous.close();
});
