import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';

/** Fills the start form as a person would; dates are typed the way the date field takes them. */
async function fillStartForm(
	page: Page,
	p: {
		name: string;
		birthDate: string;
		title: string;
		phone?: string;
		email?: string;
		period?: [string, string];
		revision?: string;
	}
) {
	await page.getByLabel('Fullt navn').fill(p.name);
	await page.getByLabel('Fødselsdato').fill(p.birthDate);
	if (p.phone) await page.getByLabel('Telefon (kan stå tom)').fill(p.phone);
	if (p.email) await page.getByLabel('E-post (kan stå tom)').fill(p.email);
	await page.getByLabel('Tittel').fill(p.title);
	if (p.period) {
		await page.getByLabel('Planperioden starter').fill(p.period[0]);
		await page.getByLabel('Planperioden slutter').fill(p.period[1]);
	}
	if (p.revision) await page.getByLabel('Revisjonsdato').fill(p.revision);
}

async function openStartForm(page: Page) {
	await page.getByRole('link', { name: 'Start en ny plan' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Start en ny plan' })).toBeVisible();
	await expectAccessible(page);
}

const gaps = (page: Page) => page.getByRole('region', { name: 'Dette mangler før planen kan bli aktiv:' });

test.describe('starting a plan @group', () => {
	test('the coordinator registers a patient without e-mail, starts a draft, finds it listed and sees what activation lacks', async ({
		page
	}) => {
		await login(page, 'koordinator');
		await openStartForm(page);
		await fillStartForm(page, {
			name: 'Kari Nordmann',
			birthDate: '1991-03-14',
			phone: '900 12 345',
			title: 'Plan for Kari'
		});
		await page.getByRole('button', { name: 'Start planen' }).click();

		await expect(page.getByRole('heading', { level: 1, name: 'Plan for Kari' })).toBeVisible();
		await expect(page).toHaveURL(/\/plans\/[a-z0-9]+$/);
		const header = page.locator('header.plan-header');
		await expect(header).toContainText('Kari Nordmann');
		await expect(header).toContainText('Utkast');
		await expect(header).toContainText('Ingrid Solberg (Psykisk helseteam)');
		// Item by item, before anyone tries: the coordinator is municipal, so that one is not missing.
		await expect(gaps(page).getByRole('listitem')).toHaveText([
			'Pasientens samtykke til planen er ikke registrert.',
			'Planperioden (fra og til) er ikke satt.',
			'Revisjonsdatoen er ikke satt.'
		]);
		await expect(page.getByRole('region', { name: 'Å følge opp' })).toContainText(
			'Fastlegen er ikke med i ansvarsgruppen.'
		);
		await expectAccessible(page);

		// Trying anyway: refused, and told why.
		await page.getByRole('button', { name: 'Gjør planen aktiv' }).click();
		const refusal = page.getByRole('alert');
		await expect(refusal).toContainText('Planen kan ikke bli aktiv ennå');
		await expect(refusal).toContainText('Pasientens samtykke til planen er ikke registrert.');
		await expect(page.locator('header.plan-header')).toContainText('Utkast');
		await expectAccessible(page);

		// Setting the dates takes two items off the list.
		await page.getByLabel('Planperioden starter').fill('2026-12-01');
		await page.getByLabel('Planperioden slutter').fill('2027-11-30');
		await page.getByLabel('Revisjonsdato').fill('2027-05-01');
		await page.getByRole('button', { name: 'Lagre' }).click();
		await expect(page.getByRole('status')).toHaveText('Endringene er lagret.');
		await expect(gaps(page).getByRole('listitem')).toHaveText(['Pasientens samtykke til planen er ikke registrert.']);
		await expectAccessible(page);

		await page.getByRole('link', { name: 'Mine planer' }).click();
		const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Plan for Kari' }) });
		await expect(card).toContainText('Kari Nordmann');
		await expect(card).toContainText('Utkast');
		await expect(card).toContainText('Koordinator');
		await expect(card).toContainText('Fastlegen er ikke med i ansvarsgruppen.');
		await expect(page.getByRole('heading', { name: 'Individuell plan for Jonas' })).toBeVisible();
	});

	test('the same name and date of birth stops the form until the coordinator says who it is', async ({ page }) => {
		await login(page, 'koordinator');
		await openStartForm(page);
		await fillStartForm(page, { name: 'Jonas Berg', birthDate: '1995-06-02', title: 'Plan for Jonas B.' });
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Plan for Jonas B.' })).toBeVisible();

		await page.getByRole('link', { name: 'Mine planer' }).click();
		await openStartForm(page);
		await fillStartForm(page, { name: 'jonas  berg', birthDate: '1995-06-02', title: 'Ny plan for Jonas B.' });
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('alert')).toContainText('Det finnes allerede en pasient med samme navn og fødselsdato');
		// Nothing was written, what was typed is still there, and the registered person is shown with their open plan.
		await expect(page.getByLabel('Tittel')).toHaveValue('Ny plan for Jonas B.');
		const choice = page.getByRole('group', { name: 'Er det samme person?' });
		await expect(choice).toContainText('Jonas Berg har allerede en plan som ikke er avsluttet.');
		await expect(choice.getByRole('link', { name: 'Åpne planen «Plan for Jonas B.»' })).toBeVisible();
		await expectAccessible(page);

		await choice.getByLabel('Nei, dette er en annen person. Registrer en ny pasient.').check();
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Ny plan for Jonas B.' })).toBeVisible();
		await expect(page.locator('header.plan-header')).toContainText('jonas berg');
		await expectAccessible(page);

		// A third time there are two to choose from; choosing the first starts a plan for that person.
		await page.getByRole('link', { name: 'Mine planer' }).click();
		await openStartForm(page);
		await fillStartForm(page, { name: 'Jonas Berg', birthDate: '1995-06-02', title: 'Tredje plan' });
		await page.getByRole('button', { name: 'Start planen' }).click();
		const again = page.getByRole('group', { name: 'Er det samme person?' });
		await expect(again.getByRole('radio')).toHaveCount(3);
		await expectAccessible(page);
		await again.getByRole('radio').first().check();
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Tredje plan' })).toBeVisible();
		await expect(page.locator('header.plan-header')).toContainText('Jonas Berg');
	});

	test('the administrator starts a plan, and activation is refused: no municipal coordinator has accepted', async ({
		page
	}) => {
		await login(page, 'admin');
		await openStartForm(page);
		await fillStartForm(page, {
			name: 'Per Hansen',
			birthDate: '1980-10-10',
			email: 'per.hansen@example.test',
			title: 'Plan for Per',
			period: ['2026-12-01', '2027-11-30'],
			revision: '2027-06-01'
		});
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Plan for Per' })).toBeVisible();
		await expect(page.locator('header.plan-header')).toContainText('Per Hansen');
		await expect(page.locator('header.plan-header')).toContainText('Systemansvarlig Fjordvik');
		await expect(gaps(page).getByRole('listitem')).toHaveText([
			'Pasientens samtykke til planen er ikke registrert.',
			'Ingen kommunal koordinator har takket ja til rollen.'
		]);
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Gjør planen aktiv' }).click();
		await expect(page.getByRole('alert')).toContainText('Ingen kommunal koordinator har takket ja til rollen.');
		await expect(page.locator('header.plan-header')).toContainText('Utkast');
	});

	test('closing asks first, then the plan is read-only for everyone', async ({ page }) => {
		await login(page, 'koordinator');
		await openStartForm(page);
		await fillStartForm(page, { name: 'Lise Lund', birthDate: '1970-01-31', title: 'Plan for Lise' });
		await page.getByRole('button', { name: 'Start planen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Plan for Lise' })).toBeVisible();
		// Live and writable before: the coordinator may add a goal.
		await expect(page.locator('.plan-page[data-live="true"]')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Legg til mål' })).toBeVisible();
		await page.getByRole('link', { name: 'Endre status, tittel eller periode' }).click();
		const close = page.getByRole('region', { name: 'Avslutt planen' });
		await close.getByLabel('Jeg forstår at planen blir skrivebeskyttet for alle').check();
		await close.getByRole('button', { name: 'Avslutt planen' }).click();
		await expect(page.getByRole('status')).toHaveText('Planen er nå: Avsluttet.');
		await expect(page.locator('header.plan-header')).toContainText('Planen er avsluttet.');
		await expect(page.getByRole('button', { name: 'Lagre' })).toHaveCount(0);
		await expectAccessible(page);

		await page.getByRole('link', { name: 'Tilbake til planen' }).click();
		// Live again, and read-only: the documents are there, nothing offers a change.
		await expect(page.locator('.plan-page[data-live="true"]')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Mål og tiltak' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Legg til mål' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Gjør planen aktiv' })).toHaveCount(0);
	});

	test('staff of a specialist service (the ACT team) are not offered to start a plan, and the form is refused', async ({
		page
	}) => {
		await login(page, 'act');
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Start en ny plan' })).toHaveCount(0);
		await expectAccessible(page);
		const response = await page.goto('/plans/new');
		expect(response?.status()).toBe(403);
	});
});
