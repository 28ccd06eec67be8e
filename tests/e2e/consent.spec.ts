import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { freshLogin, openPlanFromList, PLAN_TITLE } from './collab-helpers';

/**
 * Issue 7: consent is live data. The patient withdraws NAV's consent while NAV has the plan open, gives NAV the
 * crisis plan alone, and reads who has seen the plan; the administrator finds it in the filtered log.
 */

const NAV = 'Ahmed Karimi (NAV Fjordvik)';
const ALL_PARTS = ['Mål og tiltak', 'Kriseplanen', '«Hva er viktig for meg»', 'Møtene'];

async function openPlanPage(page: Page, link: 'Hvem kan se planen' | 'Hvem har sett planen'): Promise<void> {
	await page.goto('/');
	await page.getByRole('link', { name: PLAN_TITLE }).click();
	await page.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: link }).click();
}

/** On "Hvem kan se planen min": give NAV's Ahmed Karimi these parts, from today, until withdrawn. */
async function grantNav(page: Page, parts: string[]): Promise<void> {
	const form = page.getByRole('region', { name: 'Gi et nytt samtykke' });
	await form.getByLabel('Hvem skal få se planen?').selectOption({ label: NAV });
	for (const part of parts) await form.getByRole('checkbox', { name: part, exact: true }).check();
	await form.getByRole('button', { name: 'Registrer samtykket' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Samtykket er registrert.' })).toBeVisible();
}

const card = (page: Page, name: string) =>
	page
		.getByRole('region', { name: 'Disse kan se planen nå' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name, exact: true }) });

// Other tests use NAV with the whole plan: whatever happens here, NAV ends with consent for all of it again.
test.afterAll(async ({ browser }: { browser: Browser }) => {
	const patient = await freshLogin(browser, 'pasient');
	await openPlanPage(patient, 'Hvem kan se planen');
	await grantNav(patient, ALL_PARTS);
	await patient.context().close();
});

test('@group the patient withdraws NAV’s consent while NAV has the plan open, gives NAV the crisis plan alone, and sees who has looked', async ({
	browser
}) => {
	const nav = await freshLogin(browser, 'nav');
	await openPlanFromList(nav);
	const planId = new URL(nav.url()).pathname.split('/')[2];
	await expect(nav.getByRole('heading', { name: 'Flytte til egen leilighet', exact: true })).toBeVisible();

	const patient = await freshLogin(browser, 'pasient');
	await openPlanPage(patient, 'Hvem kan se planen');
	await expect(patient.getByRole('heading', { level: 1, name: 'Hvem kan se planen min' })).toBeVisible();
	// His sister sees the crisis plan and the meetings, nothing else.
	const sister = card(patient, 'Silje Berg (Pårørende)');
	await expect(sister.getByRole('definition').first()).toHaveText('kriseplanen og møtene');
	await expect(card(patient, NAV).getByRole('definition').first()).toHaveText(
		'«Hva er viktig for meg», mål og tiltak, kriseplanen og møtene'
	);
	await expectAccessible(patient);

	// Withdrawing asks first, and takes him to the question.
	await card(patient, NAV)
		.getByRole('button', { name: `Trekk tilbake samtykket for ${NAV}` })
		.click();
	await expect(patient.getByRole('heading', { name: `Vil du trekke tilbake samtykket for ${NAV}?` })).toBeFocused();
	await expect(
		patient.getByText(
			`${NAV} mister tilgangen til «Hva er viktig for meg», mål og tiltak, kriseplanen og møtene med en gang.`
		)
	).toBeVisible();
	await expectAccessible(patient);
	await patient.getByRole('button', { name: 'Ja, trekk tilbake' }).click();

	// NAV's open plan is closed by the server at once, and the page says so: within 2 seconds of the click.
	await expect(nav.getByRole('status').filter({ hasText: 'Du har ikke lenger tilgang til denne planen.' })).toBeVisible(
		{ timeout: 2000 }
	);
	await expect(
		patient.getByRole('status').filter({ hasText: `Samtykket for ${NAV} er trukket tilbake. Det gjelder fra nå.` })
	).toBeVisible();
	// The server refuses NAV from here on: a new live connection (4403), the page (403), the API list.
	const closeCode = await nav.evaluate(
		(doc) =>
			new Promise<number>((resolve) => {
				const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/collab/${doc}`);
				ws.onclose = (event) => resolve(event.code);
			}),
		`plan:${planId}`
	);
	expect(closeCode).toBe(4403);
	expect((await nav.request.get(`/plans/${planId}`)).status()).toBe(403);
	// NAV's adviser is in the second demo plan too (Amira's): only Jonas's plan leaves the list.
	expect(((await (await nav.request.get('/api/plans')).json()) as { id: string }[]).map((p) => p.id)).not.toContain(
		planId
	);
	await expectAccessible(nav);
	await nav.goto('/');
	await expect(nav.getByRole('link', { name: 'Individuell plan for Amira' })).toBeVisible();
	await expect(nav.getByRole('link', { name: PLAN_TITLE })).toHaveCount(0);
	await expectAccessible(nav);

	// The withdrawn grant is kept, as history.
	const history = patient.getByRole('region', { name: 'Tidligere samtykker' });
	await expect(history.getByRole('listitem').filter({ hasText: NAV })).toContainText('av Jonas Berg');
	await expect(card(patient, NAV)).toHaveCount(0);
	await expectAccessible(patient);

	// A new grant: the crisis plan only.
	await grantNav(patient, ['Kriseplanen']);
	await expect(card(patient, NAV).getByRole('definition').first()).toHaveText('kriseplanen');
	await expectAccessible(patient);

	await nav.reload();
	await nav.getByRole('link', { name: PLAN_TITLE }).click();
	await expect(nav.getByRole('heading', { name: 'Kriseplan' })).toBeVisible();
	await expect(nav.getByText('Pasientens samtykke gir deg tilgang til kriseplanen.')).toBeVisible();
	await expect(nav.getByRole('heading', { name: 'Flytte til egen leilighet', exact: true })).toHaveCount(0);
	await expect(nav.getByRole('heading', { name: 'Hva er viktig for meg' })).toHaveCount(0);
	await expect(nav.getByRole('status').filter({ hasText: 'Tilkoblet' })).toBeVisible({ timeout: 10_000 });
	await expectAccessible(nav);

	// "Hvem har sett planen min": NAV's read that just happened is there, newest first, in plain words.
	await openPlanPage(patient, 'Hvem har sett planen');
	await expect(patient.getByRole('heading', { level: 1, name: 'Hvem har sett planen min' })).toBeVisible();
	const entries = patient.locator('ol.log > li');
	// His own visit just now comes first ("Du åpnet planen"); NAV's latest is the read of the crisis plan alone.
	await expect(entries.first()).toContainText('Du åpnet planen');
	await expect(entries.filter({ hasText: NAV }).first()).toContainText(`${NAV} så kriseplanen`);
	await expect(entries.filter({ hasText: `${NAV} prøvde å åpne planen, men fikk ikke tilgang` }).first()).toBeVisible();
	await expect(entries.filter({ hasText: `Du trakk tilbake samtykket for Ahmed Karimi` }).first()).toBeVisible();
	await expect(entries.filter({ hasText: `${NAV} åpnet planen` }).first()).toBeVisible();
	await expectAccessible(patient);

	await nav.context().close();
	await patient.context().close();
});

test('@group the administrator filters the access log by plan, person and day, and sees that the chain holds', async ({
	page
}) => {
	await login(page, 'admin');
	await page.getByRole('link', { name: 'Administrasjon' }).click();
	await page.getByRole('link', { name: 'Tilgangslogg' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Tilgangslogg' })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Ja. Kjeden av kontrollsummer er hel' })).toBeVisible();
	await expectAccessible(page);

	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
	const planSelect = page.getByLabel('Plan', { exact: true });
	const planId = await planSelect.locator('option', { hasText: 'Planen til Jonas Berg' }).getAttribute('value');
	await planSelect.selectOption(planId!);
	await page.getByLabel('Person (gjorde det, eller det gjaldt dem)').selectOption({ label: 'Ahmed Karimi' });
	await page.getByLabel('Fra og med dato').fill(today);
	await page.getByLabel('Til og med dato').fill(today);
	await page.getByRole('button', { name: 'Vis', exact: true }).click();
	await expect(page).toHaveURL(/person=/);

	const rows = page
		.getByRole('table')
		.getByRole('row')
		.filter({ has: page.getByRole('cell') });
	await expect(rows.first()).toBeVisible();
	const count = await rows.count();
	for (let i = 0; i < count; i++) await expect(rows.nth(i).getByRole('cell').nth(1)).toContainText('Ahmed Karimi');
	await expect(rows.filter({ hasText: 'plan.read' }).first()).toBeVisible();
	await expect(rows.filter({ hasText: 'plan.denied' }).first()).toBeVisible();
	await expect(page.getByLabel('Fra og med dato')).toHaveValue(today);

	// A day before anything happened shows nothing.
	await page.getByLabel('Fra og med dato').fill('2020-01-01');
	await page.getByLabel('Til og med dato').fill('2020-01-01');
	await page.getByRole('button', { name: 'Vis', exact: true }).click();
	await expect(page.getByText('Ingen hendelser passer med filteret.')).toBeVisible();
});

test('@group the coordinator records the patient’s decision: a missing review date is named and nothing typed is lost', async ({
	page
}) => {
	await login(page, 'koordinator');
	await openPlanPage(page, 'Hvem kan se planen');
	await expect(page.getByRole('heading', { level: 1, name: 'Hvem kan se planen til Jonas Berg' })).toBeVisible();
	const form = page.getByRole('region', { name: 'Gi et nytt samtykke' });
	await form.getByLabel('Hvem skal få se planen?').selectOption({ label: 'Lene Haugland (Fjordvik legesenter)' });
	await form.getByRole('checkbox', { name: 'Møtene', exact: true }).check();
	await form.getByLabel('Merknad (kan stå tom)').fill('Avtalt i møtet');
	await form.getByRole('radio', { name: 'Ansatte, fordi pasienten ikke kunne bestemme selv da' }).check();
	await form.getByRole('button', { name: 'Registrer samtykket' }).click();

	await expect(page.getByRole('alert')).toContainText('Skriv når det skal vurderes på nytt.');
	await expect(form.getByLabel('Når skal det vurderes på nytt om pasienten kan bestemme selv?')).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expect(form.getByLabel('Hvem skal få se planen?')).toHaveValue(/^user:/);
	await expect(form.getByLabel('Hvem skal få se planen?').locator('option:checked')).toHaveText(
		'Lene Haugland (Fjordvik legesenter)'
	);
	await expect(form.getByRole('checkbox', { name: 'Møtene', exact: true })).toBeChecked();
	await expect(form.getByRole('checkbox', { name: 'Kriseplanen', exact: true })).not.toBeChecked();
	await expect(form.getByLabel('Merknad (kan stå tom)')).toHaveValue('Avtalt i møtet');
	await expect(form.getByRole('radio', { name: 'Ansatte, fordi pasienten ikke kunne bestemme selv da' })).toBeChecked();
	await expectAccessible(page);

	await form.getByLabel('Når skal det vurderes på nytt om pasienten kan bestemme selv?').fill('2099-01-31');
	await form.getByRole('button', { name: 'Registrer samtykket' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Samtykket er registrert.' })).toBeVisible();
	const recorded = page
		.getByRole('region', { name: 'Disse kan se planen nå' })
		.getByRole('listitem')
		.filter({ hasText: 'Vurderes på nytt 31. januar 2099' });
	await expect(recorded).toContainText('Ansatte, fordi pasienten ikke kunne bestemme selv da');
	await expect(recorded).toContainText('Avtalt i møtet');
	// The form starts over after a change.
	await expect(form.getByLabel('Merknad (kan stå tom)')).toHaveValue('');
});

// Withdraws the grant the test above recorded (tests in a file run in order, on one server).
test('@group withdrawing works without JavaScript, and other members may not open the consent or log pages', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nb-NO' });
	const page = await context.newPage();
	await login(page, 'koordinator');
	await openPlanPage(page, 'Hvem kan se planen');
	const planPath = new URL(page.url()).pathname.replace(/\/consent$/, '');
	const recorded = page
		.getByRole('region', { name: 'Disse kan se planen nå' })
		.getByRole('listitem')
		.filter({ hasText: 'Vurderes på nytt 31. januar 2099' });
	await recorded.getByRole('button', { name: /^Trekk tilbake/ }).click();
	await expect(page).toHaveURL(/\?withdraw=/);
	await page.getByRole('button', { name: 'Ja, trekk tilbake' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'Samtykket for Lene Haugland (Fjordvik legesenter) er trukket tilbake. Det gjelder fra nå.'
	);
	await expect(recorded).toHaveCount(0);
	await expect(
		page
			.getByRole('region', { name: 'Tidligere samtykker' })
			.getByRole('listitem')
			.filter({ hasText: 'Vurderes på nytt 31. januar 2099' })
	).toContainText('av Ingrid Solberg');
	// The GP's own consent from the start is still there.
	await expect(
		page
			.getByRole('region', { name: 'Disse kan se planen nå' })
			.getByRole('heading', { name: 'Lene Haugland (Fjordvik legesenter)' })
	).toHaveCount(1);
	await context.close();

	// Axe runs on this page (with JavaScript): what a member outside these rights gets.
	const gp = await browser.newContext({ locale: 'nb-NO' }).then((c) => c.newPage());
	await login(gp, 'fastlege');
	await expect(gp.getByRole('link', { name: PLAN_TITLE })).toBeVisible();
	await gp.goto(planPath);
	await expect(
		gp.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: 'Hvem kan se planen' })
	).toHaveCount(0);
	for (const sub of ['consent', 'access-log']) {
		const response = await gp.goto(`${planPath}/${sub}`);
		expect(response?.status(), sub).toBe(403);
		await expect(gp.getByRole('heading', { name: 'Ingen tilgang' })).toBeVisible();
	}
	await expectAccessible(gp);
	await gp.context().close();
});
