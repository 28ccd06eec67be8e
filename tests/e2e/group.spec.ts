import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login, demo, DEMO_PASSWORD } from './fixtures';

/** SvelteKit's router starts after hydration and sets this; before it, the page is only server-rendered HTML. */
const hydrated = (page: Page) => page.waitForFunction(() => history.scrollRestoration === 'manual');

/** Holds the app's JavaScript back, as a slow phone would, until `release` is called. */
async function holdScripts(page: Page) {
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	const state = { held: 0, release: () => release() };
	await page.route(/\/_app\/immutable\/.+\.js$/, async (route) => {
		state.held++;
		await gate;
		await route.continue();
	});
	return state;
}

/** A person in a browser of their own (cookies apart), logged in. */
async function asPerson(browser: Browser, who: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'nb-NO' });
	const page = await context.newPage();
	await login(page, who);
	await expect(page.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
	return page;
}

test.describe('forms before the page’s script has loaded', { tag: '@group' }, () => {
	test('the login form keeps what was typed before hydration, and the login works', async ({ page }) => {
		const scripts = await holdScripts(page);
		await page.goto('/login', { waitUntil: 'domcontentloaded' });
		await page.getByLabel('E-post').fill(demo('koordinator'));
		await page.getByLabel('Passord').fill(DEMO_PASSWORD);
		expect(scripts.held).toBeGreaterThan(0);
		expect(await page.evaluate(() => history.scrollRestoration)).toBe('auto');

		scripts.release();
		await hydrated(page);
		await expect(page.getByLabel('E-post')).toHaveValue(demo('koordinator'));
		await expect(page.getByLabel('Passord')).toHaveValue(DEMO_PASSWORD);
		await page.unrouteAll();
		await page.getByRole('button', { name: 'Logg inn' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
	});

	test('the group page’s forms keep it too', async ({ page }) => {
		await login(page, 'koordinator');
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await page.waitForURL(/\/plans\/[a-z0-9]+$/);
		const groupUrl = page.url() + '/group';
		await page.goto('/');
		const scripts = await holdScripts(page);
		await page.goto(groupUrl, { waitUntil: 'domcontentloaded' });
		const invite = page.locator('form[action="?/invite"]');
		await invite.getByLabel('Navn').fill('Skrevet Tidlig');
		await invite.getByLabel('Rolle').selectOption({ label: 'Observatør' });
		await invite.getByLabel('Kan redigere').check();
		expect(scripts.held).toBeGreaterThan(0);
		expect(await page.evaluate(() => history.scrollRestoration)).toBe('auto');

		scripts.release();
		await hydrated(page);
		await expect(invite.getByLabel('Navn')).toHaveValue('Skrevet Tidlig');
		await expect(invite.getByLabel('Rolle')).toHaveValue('observer');
		await expect(invite.getByLabel('Kan redigere')).toBeChecked();
	});
});

test.describe('the responsibility group', { tag: '@group' }, () => {
	test.describe.configure({ mode: 'serial' });
	let groupUrl = '';
	let inviteLink = '';

	async function openGroup(page: Page) {
		if (groupUrl) {
			await page.goto(groupUrl);
			return;
		}
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await page.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: 'Ansvarsgruppen' }).click();
		await page.waitForURL(/\/plans\/[a-z0-9]+\/group$/);
		await expect(page.getByRole('heading', { level: 3, name: 'Med i gruppen nå' })).toBeVisible();
		groupUrl = page.url();
	}
	const card = (page: Page, name: string) => page.getByRole('article', { name });

	test('members see cards: role, service, what it offers, how to reach them, the committed period', async ({
		page
	}) => {
		await login(page, 'parorende');
		await openGroup(page);
		const erik = card(page, 'Erik Dahl');
		await expect(erik).toContainText('Koordinator i spesialisthelsetjenesten');
		await expect(erik).toContainText('DPS Fjordvik');
		await expect(erik).toContainText('Poliklinikk, døgnenhet med 16 senger');
		await expect(erik.getByRole('link', { name: 'dps@demo.fellesplan.no' })).toBeVisible();
		await expect(erik).toContainText('1. september 2026 – 31. mars 2027');
		// The sister's consent covers meetings, so she sees the group, but she changes nothing.
		await expect(page.getByRole('heading', { name: 'Endre gruppen' })).toHaveCount(0);
		await expect(page.getByText('Endre rolle, tjeneste, tilgang eller periode')).toHaveCount(0);
		await expectAccessible(page);
	});

	test('the coordinator adds Per Olsen (home care) from the directory; he waits for consent', async ({ page }) => {
		await login(page, 'koordinator');
		await openGroup(page);
		await expectAccessible(page);
		await page.getByLabel('Søk etter navn eller e-post').fill('utenfor@demo');
		await page.getByRole('button', { name: 'Søk', exact: true }).click();
		await page.getByRole('button', { name: 'Velg Per Olsen' }).click();

		const add = page.locator('form[action="?/add"]');
		await expect(page.getByRole('heading', { name: 'Legg til Per Olsen' })).toBeVisible();
		await expect(add.getByLabel('Tjeneste')).toHaveValue(/.+/);
		await expect(add.getByLabel('Tjeneste').locator('option:checked')).toHaveText('Hjemmetjenesten');
		await add.getByLabel('Rolle').selectOption({ label: 'Tjenesteyter' });
		await add.getByLabel('Kan redigere').check();
		await add.getByLabel('Med til (avtalt)').fill('2027-06-30');
		await expectAccessible(page);
		await add.getByRole('button', { name: 'Legg til i gruppen' }).click();

		await expect(page.getByRole('status').filter({ hasText: 'Per Olsen er lagt til i gruppen.' })).toBeVisible();
		const per = card(page, 'Per Olsen');
		await expect(per).toContainText('Hjemmetjenesten');
		await expect(per).toContainText('Praktisk bistand og helsehjelp i hjemmet.');
		await expect(per).toContainText('30. juni 2027');
		await expect(per).toContainText('Venter på samtykke');
		await expectAccessible(page);
	});

	test('the coordinator invites someone new by e-mail; without SMTP the page shows the link', async ({ page }) => {
		await login(page, 'koordinator');
		await openGroup(page);
		const invite = page.locator('form[action="?/invite"]');
		await invite.getByLabel('Navn').fill('Nina Nyhus');
		await invite.getByLabel('E-post').fill('nina.nyhus@example.test');
		await invite.getByLabel('Rolle').selectOption({ label: 'Pårørende' });
		await invite.getByRole('button', { name: 'Inviter' }).click();

		await expect(page.getByText('Nina Nyhus er lagt til. Gi denne lenken til Nina Nyhus selv.')).toBeVisible();
		inviteLink = await page.getByLabel('Invitasjonslenke').inputValue();
		expect(new URL(inviteLink).pathname).toMatch(/^\/invitation\/[a-z2-7]{32}$/);
		const nina = card(page, 'Nina Nyhus');
		await expect(nina).toContainText('Invitert – har ikke logget inn ennå');
		await expect(nina).toContainText('Venter på samtykke');
		await expectAccessible(page);

		// The same e-mail again is refused, and what was typed stays.
		await invite.getByLabel('Navn').fill('Nina N.');
		await invite.getByLabel('E-post').fill('Nina.Nyhus@example.test');
		await invite.getByRole('button', { name: 'Inviter' }).click();
		await expect(page.getByRole('alert')).toContainText('Det finnes allerede en konto med denne e-posten');
		await expect(invite.getByLabel('Navn')).toHaveValue('Nina N.');
		await expectAccessible(page);
	});

	test('the invited person sets a password in a fresh browser and lands logged in, without the plan (no consent yet)', async ({
		browser
	}) => {
		const context = await browser.newContext({ locale: 'nb-NO' });
		const invited = await context.newPage();
		await invited.goto(inviteLink);
		await expect(invited.getByRole('heading', { name: 'Velkommen til Fellesplan' })).toBeVisible();
		await expect(invited.getByText('Hei, Nina Nyhus!')).toBeVisible();
		await expect(invited.getByLabel('Din e-post (brukes når du logger inn)')).toHaveValue('nina.nyhus@example.test');
		await expectAccessible(invited);

		// The browser holds the length (minlength); the server says when the two differ.
		await invited.getByLabel('Velg et passord').fill('fire ord er best');
		await invited.getByLabel('Skriv passordet en gang til').fill('fire ord er bedre');
		await invited.getByRole('button', { name: 'Lag passord og logg inn' }).click();
		await expect(invited.getByRole('alert')).toContainText('De to nye passordene er ikke like.');
		await expect(invited.getByLabel('Skriv passordet en gang til')).toHaveAttribute('aria-invalid', 'true');
		await expectAccessible(invited);

		await invited.getByLabel('Velg et passord').fill('fire ord er best');
		await invited.getByLabel('Skriv passordet en gang til').fill('fire ord er best');
		await invited.getByRole('button', { name: 'Lag passord og logg inn' }).click();
		await expect(invited).toHaveURL(/\/$/);
		await expect(invited.getByText('Innlogget som Nina Nyhus')).toBeVisible();
		await expect(invited.getByText('Du er ikke med i noen plan ennå.')).toBeVisible();
		await expect(invited.locator('body')).not.toContainText('Individuell plan for Jonas');
		expect((await invited.goto(groupUrl))?.status()).toBe(403);
		await expectAccessible(invited);

		// Single use: the same link now only says it does not work.
		await invited.goto(inviteLink);
		await expect(invited.getByRole('heading', { name: 'Lenken virker ikke' })).toBeVisible();
		await expect(invited.getByRole('main')).not.toContainText('Nina');
		await expectAccessible(invited);
		await context.close();
	});

	test('the coordinator role is offered to Per Olsen, taken on only when he accepts, and handed back', async ({
		page,
		browser
	}) => {
		await login(page, 'koordinator');
		await openGroup(page);
		const offer = page.locator('form[action="?/offer"]');
		await offer.getByLabel('Ny koordinator').selectOption({ label: 'Per Olsen (Helsefagarbeider) – Hjemmetjenesten' });
		await offer.getByLabel('fortsette i gruppen som tjenesteyter').check();
		await offer.getByRole('button', { name: 'Send tilbudet' }).click();
		await expect(page.getByText('Tilbudet er sendt til Per Olsen.')).toBeVisible();
		await expect(page.getByText(/Venter på svar fra Per Olsen om å ta over koordinatorrollen/)).toBeVisible();
		// Nothing has changed yet.
		await expect(page.locator('.plan-header')).toContainText('Ingrid Solberg (Psykisk helseteam)');
		await expect(page.locator('.plan-header')).not.toContainText('Per Olsen');
		await expectAccessible(page);

		const per = await asPerson(browser, 'utenfor');
		// The offer waits on Per's home page.
		await per.goto('/');
		await expect(
			per.getByText('Ingrid Solberg spør om du vil ta over som koordinator for «Individuell plan for Jonas».')
		).toBeVisible();
		await expect(per.getByText('Den som er koordinator nå, fortsetter i gruppen som tjenesteyter.')).toBeVisible();
		await expectAccessible(per);
		await per.getByRole('button', { name: 'Ja, jeg tar over' }).click();
		await expect(per.getByText('Du er nå koordinator for planen.')).toBeVisible();
		await expect(per.locator('.plan-header')).toContainText('Per Olsen (Hjemmetjenesten)');
		await expect(card(per, 'Ingrid Solberg')).toContainText('Tjenesteyter');
		await expect(per.getByRole('region', { name: 'Tidligere i gruppen' })).toContainText('Overtatt av Per Olsen');
		await expectAccessible(per);

		// And back: Per offers it to Ingrid, and leaves the group when she accepts.
		const back = per.locator('form[action="?/offer"]');
		await back
			.getByLabel('Ny koordinator')
			.selectOption({ label: 'Ingrid Solberg (Psykiatrisk sykepleier, koordinator) – Psykisk helseteam' });
		await back.getByLabel('gå ut av gruppen').check();
		await back.getByRole('button', { name: 'Send tilbudet' }).click();
		await expect(per.getByText('Tilbudet er sendt til Ingrid Solberg.')).toBeVisible();
		await per.context().close();

		await page.goto('/role-offers');
		await expect(page.getByText('Den som er koordinator nå, går ut av gruppen.')).toBeVisible();
		await page.getByRole('button', { name: 'Ja, jeg tar over' }).click();
		await expect(page.getByText('Du er nå koordinator for planen.')).toBeVisible();
		await expect(page.locator('.plan-header')).toContainText('Ingrid Solberg (Psykisk helseteam)');
		await expect(card(page, 'Per Olsen')).toHaveCount(0);
		await expect(page.getByRole('region', { name: 'Tidligere i gruppen' })).toContainText('Overtatt av Ingrid Solberg');
		await expectAccessible(page);
	});

	test('the coordinator ends a seat after confirming it; it moves to the history', async ({ page }) => {
		await login(page, 'koordinator');
		await openGroup(page);
		const nina = card(page, 'Nina Nyhus');
		await nina.getByText('Avslutt plassen').first().click();
		await nina.getByRole('button', { name: 'Avslutt plassen' }).click();
		// The browser insists on the tick first; the server would too.
		await expect(nina).toBeVisible();
		await nina.getByLabel('Ja, Nina Nyhus skal gå ut av gruppen nå').check();
		await nina.getByRole('button', { name: 'Avslutt plassen' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: 'Nina Nyhus er ikke lenger med i gruppen.' })
		).toBeVisible();
		await expect(card(page, 'Nina Nyhus')).toHaveCount(0);
		await expect(page.getByRole('region', { name: 'Tidligere i gruppen' })).toContainText('Nina Nyhus, Pårørende');
		await expectAccessible(page);
	});
});

test(
	'the administrator lets one person work in several services, each with a title',
	{ tag: '@group' },
	async ({ page }) => {
		await login(page, 'admin');
		await page.goto('/admin/people');
		await page.getByRole('link', { name: 'Per Olsen' }).click();
		const services = page.getByRole('region', { name: 'Tjenester personen jobber i' });
		await expect(services).toContainText('Hjemmetjenesten, Helsefagarbeider');
		await services.getByLabel('Tjeneste').selectOption({ label: 'Rustiltak' });
		await services.getByLabel('Stillingstittel').fill('Miljøarbeider');
		await services.getByRole('button', { name: 'Lagre tjenesten' }).click();
		await expect(page.getByRole('status')).toContainText('Tjenesten er lagret.');
		await expect(services.getByRole('listitem')).toHaveText([
			/Hjemmetjenesten, Helsefagarbeider/,
			/Rustiltak, Miljøarbeider/
		]);
		await expectAccessible(page);

		await page.goto('/admin/people');
		await expect(page.getByRole('row', { name: /Per Olsen/ })).toContainText(
			'Hjemmetjenesten (Helsefagarbeider), Rustiltak (Miljøarbeider)'
		);
		await page.getByRole('link', { name: 'Per Olsen' }).click();
		await services.getByRole('button', { name: 'Fjern Rustiltak' }).click();
		await expect(page.getByRole('status')).toContainText('Tjenesten er fjernet.');
		await expect(services.getByRole('listitem')).toHaveText([
			'Hjemmetjenesten, Helsefagarbeider Fjern Hjemmetjenesten'
		]);
	}
);
