import { test, expect, expectAccessible, login } from './fixtures';
import { leavePatientView } from './collab-helpers';

const MONTH = '(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)';
/** `15. februar 2027`: a date written the Norwegian way (English would be `15 February 2027`). */
const NORWEGIAN_DATE = new RegExp(`^\\d{1,2}\\. ${MONTH} \\d{4}$`);
const NORWEGIAN_PERIOD = new RegExp(`^\\d{1,2}\\. ${MONTH} \\d{4} – \\d{1,2}\\. ${MONTH} \\d{4}$`);

test.describe('the UI languages', { tag: '@i18n' }, () => {
	test('the coordinator picks nynorsk: the home page and the plan speak nynorsk with Norwegian dates, after a reload too, and bokmål comes back', async ({
		page
	}) => {
		const html = page.locator('html');
		await login(page, 'koordinator');
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
		await expect(html).toHaveAttribute('lang', 'nb');

		// One tap: each language is its own button.
		await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'Norsk (nynorsk)' }).click();
		await expect(html).toHaveAttribute('lang', 'nn');
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planar' })).toBeVisible();
		await expect(page.getByRole('navigation', { name: 'Hovudmeny' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Start ein ny plan' })).toBeVisible();
		const card = page.getByRole('listitem').filter({ hasText: 'Individuell plan for Jonas' });
		await expect(card).toContainText('Planen høyrer til');
		await expect(card).toContainText('Rolla di');
		await expect(page.getByRole('button', { name: 'Norsk (nynorsk)' })).toHaveAttribute('aria-current', 'true');
		await expectAccessible(page);

		await card.getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Individuell plan for Jonas' })).toBeVisible();
		await expect(html).toHaveAttribute('lang', 'nn');
		await expect(
			page.getByRole('navigation', { name: 'Sidene i planen' }).getByRole('link', { name: 'Kven kan sjå planen' })
		).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Kva er viktig for meg' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Ansvarsgruppa' })).toBeVisible();
		const revision = page.locator('dt:text-is("Skal reviderast") + dd');
		await expect(revision).toHaveText(NORWEGIAN_DATE);
		await expect(page.locator('dt:text-is("Planperiode") + dd')).toHaveText(NORWEGIAN_PERIOD);
		// Rendered by the browser once the plan is live: the page's script speaks nynorsk too.
		await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
		await expect(
			page.getByRole('status').filter({ hasText: 'Tilkopla – endringar blir delte med ein gong' })
		).toBeVisible();
		await expectAccessible(page);

		await page.reload();
		await expect(html).toHaveAttribute('lang', 'nn');
		await expect(page.getByRole('heading', { name: 'Kva er viktig for meg' })).toBeVisible();
		await expect(revision).toHaveText(NORWEGIAN_DATE);
		await expect(page.getByRole('button', { name: 'Norsk (nynorsk)' })).toHaveAttribute('aria-current', 'true');

		// Back to bokmål, which the other tests expect: one tap, and the same plan page.
		const planUrl = page.url();
		await page.getByRole('button', { name: 'Norsk (bokmål)' }).click();
		await expect(html).toHaveAttribute('lang', 'nb');
		expect(page.url()).toBe(planUrl);
		await expect(page.getByRole('heading', { name: 'Hva er viktig for meg' })).toBeVisible();
		await expect(page.locator('dt:text-is("Revideres") + dd')).toHaveText(NORWEGIAN_DATE);
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
	});

	test('a browser that asks for nynorsk gets nynorsk, until the person picks another language', async ({ browser }) => {
		const context = await browser.newContext({ locale: 'nn-NO' });
		const page = await context.newPage();
		const html = page.locator('html');
		await page.goto('/login');
		await expect(html).toHaveAttribute('lang', 'nn');
		await expect(page.getByText('Logg inn for å sjå og arbeide med planane du er med i.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Norsk (nynorsk)' })).toHaveAttribute('aria-current', 'true');
		await expectAccessible(page);

		await login(page, 'pasient');
		await expect(page.getByRole('heading', { level: 1, name: 'Mine planar' })).toBeVisible();
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		// The patient lands in their own view, in nynorsk too, and opens the whole plan from its menu.
		await expect(page).toHaveURL(/\/min-plan$/);
		await expect(page.getByText('Planen min', { exact: true })).toBeVisible();
		await leavePatientView(page);
		await expect(page.getByRole('heading', { name: 'Kva er viktig for meg' })).toBeVisible();
		// The browser's script, without a language cookie of the person's own, agrees with the page it was given.
		await expect(page.locator('.plan-page')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
		await expect(page.getByRole('status').filter({ hasText: 'Tilkopla' })).toBeVisible();
		await expectAccessible(page);

		// The person's own pick beats the browser's, also after a reload.
		await page.getByRole('button', { name: 'Norsk (bokmål)' }).click();
		await expect(html).toHaveAttribute('lang', 'nb');
		await expect(page.getByRole('heading', { name: 'Hva er viktig for meg' })).toBeVisible();
		await page.reload();
		await expect(html).toHaveAttribute('lang', 'nb');
		await expect(page.getByRole('heading', { name: 'Hva er viktig for meg' })).toBeVisible();
		await expectAccessible(page);
		await context.close();
	});

	test('the language is the person’s: picked on one device, it is there when they log in on another', async ({
		browser
	}) => {
		const phone = await browser.newContext({ locale: 'nb-NO' });
		const first = await phone.newPage();
		await login(first, 'fastlege');
		await expect(first.getByRole('heading', { level: 1, name: 'Mine planer' })).toBeVisible();
		await first.getByRole('button', { name: 'Norsk (nynorsk)' }).click();
		await expect(first.locator('html')).toHaveAttribute('lang', 'nn');

		// Another browser, with no language cookie of its own: bokmål on the login page, nynorsk once it is them.
		const laptop = await browser.newContext({ locale: 'nb-NO' });
		const second = await laptop.newPage();
		await login(second, 'fastlege');
		await expect(second.locator('html')).toHaveAttribute('lang', 'nn');
		await expect(second.getByRole('heading', { level: 1, name: 'Mine planar' })).toBeVisible();
		await expectAccessible(second);

		// Back to bokmål for the account, which the other tests expect.
		await second.getByRole('button', { name: 'Norsk (bokmål)' }).click();
		await expect(second.locator('html')).toHaveAttribute('lang', 'nb');
		await phone.close();
		await laptop.close();
	});

	test('an English browser still gets bokmål until the person picks English', async ({ browser }) => {
		const context = await browser.newContext({ locale: 'en-GB' });
		const page = await context.newPage();
		await page.goto('/login');
		await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
		await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
		await expectAccessible(page);
		await context.close();
	});

	test('the language switch accepts nynorsk without JavaScript and refuses what it does not know', async ({
		request,
		baseURL
	}) => {
		const post = (locale: string) =>
			request.post('/language', {
				form: { locale, redirectTo: '/login' },
				headers: { origin: baseURL! },
				maxRedirects: 0
			});
		const chosen = await post('nn');
		expect(chosen.status()).toBe(303);
		expect(chosen.headers()['set-cookie']).toMatch(/PARAGLIDE_LOCALE=nn;/);
		const unknown = await post('no');
		expect(unknown.status()).toBe(303);
		expect(unknown.headers()['set-cookie']).toBeUndefined();
	});
});
