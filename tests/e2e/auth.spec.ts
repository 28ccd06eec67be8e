import type { Response } from '@playwright/test';
import { test, expect, expectAccessible, login, demo, DEMO_PASSWORD } from './fixtures';

test.describe('login and logout', () => {
	test('the login page is accessible and names its fields', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
		await expect(page.locator('input[name=email]')).toHaveAttribute('type', 'email');
		await expect(page.locator('input[name=password]')).toHaveAttribute('type', 'password');
		await expectAccessible(page);
	});

	test('a link followed while logged out (as from an e-mail) leads back to where it points after login, and never off the site', async ({
		page
	}) => {
		await page.goto('/varsler');
		await expect(page).toHaveURL(/\/login\?next=%2Fvarsler$/);
		await page.getByLabel('E-post').fill(demo('nav'));
		await page.getByLabel('Passord').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Logg inn' }).click();
		await expect(page).toHaveURL(/\/varsler$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Varsler' })).toBeVisible();
		// Logged in, a `next` that leaves the site goes home instead.
		await page.goto('/login?next=%2F%2Fevil.example%2F');
		await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
	});

	test('the coordinator logs in, sees the session cookie, and logs out', async ({ page, context }) => {
		await login(page, 'koordinator');
		await expect(page.getByRole('heading', { name: 'Mine planer' })).toBeVisible();
		const cookie = (await context.cookies()).find((c) => c.name === 'session');
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
		// The browser is remembered for this account's throttle lane, only where the login page can read it.
		const device = (await context.cookies()).find((c) => c.name === 'device');
		expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/login' });
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Logg ut' }).click();
		await expect(page).toHaveURL(/\/login$/);
		expect((await context.cookies()).find((c) => c.name === 'session')).toBeUndefined();
		// The old session is gone on the server too: going back does not get in.
		await page.goto('/');
		await expect(page).toHaveURL(/\/login$/);
	});

	test('a wrong password gets one generic message, the same as an unknown account', async ({ page }) => {
		await login(page, 'nav', 'feil-passord');
		const known = await page.getByRole('alert').textContent();
		expect(known).toContain('Feil e-post eller passord');
		await expect(page.getByLabel('E-post')).toHaveValue(demo('nav'));
		await expectAccessible(page);

		await login(page, 'finnes-ikke', 'feil-passord');
		expect(await page.getByRole('alert').textContent()).toBe(known);
	});

	test('repeated failures slow the account down: the page says how long to wait, and then the right password works', async ({
		page
	}) => {
		// Someone who keeps getting it wrong: the first tries go straight through, then each has to wait a little.
		let response: Response | undefined;
		for (let i = 0; i < 10 && response?.status() !== 429; i++) {
			const posted = page.waitForResponse(
				(r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'
			);
			await login(page, 'bolig', 'feil-passord-' + i);
			response = await posted;
			await expect(page.getByRole('alert')).toBeVisible();
		}
		expect(response?.status()).toBe(429);
		const alert = page.getByRole('alert');
		await expect(alert).toContainText(/^For mange mislykkede forsøk\. Vent \d+ sekunde?r? og prøv igjen\.$/);
		const seconds = Number(/Vent (\d+)/.exec((await alert.textContent()) ?? '')?.[1]);
		expect(response?.headers()['retry-after']).toBe(String(seconds));
		// What was typed stays, except the password.
		await expect(page.getByLabel('E-post')).toHaveValue(demo('bolig'));
		await expect(page.getByLabel('Passord')).toHaveValue('');
		await expectAccessible(page);

		// The button waits as long as the message said; a person waits for it, and then gets in.
		const submit = page.getByRole('button', { name: 'Logg inn' });
		await expect(submit).toBeDisabled();
		await expect(submit).toBeEnabled({ timeout: seconds * 1000 + 5_000 });
		await page.getByLabel('Passord').fill(DEMO_PASSWORD);
		await submit.click();
		await expect(page.getByRole('heading', { name: 'Mine planer' })).toBeVisible();
	});

	test('switching language never redirects off the site', async ({ request, baseURL }) => {
		const post = (redirectTo: string) =>
			request.post('/language', { form: { locale: 'nb', redirectTo }, headers: { origin: baseURL! }, maxRedirects: 0 });
		for (const target of [
			'/\\evil.example',
			'//evil.example',
			'/%5Cevil.example',
			'/\t/evil.example',
			'https://evil.example/'
		]) {
			const r = await post(target);
			expect(r.status(), target).toBe(303);
			expect(r.headers()['location'], target).toBe('/');
		}
		expect((await post('/login')).headers()['location']).toBe('/login');
	});

	test('the language can be switched to English and back', async ({ page }) => {
		await page.goto('/login');
		await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(
			page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' })
		).toHaveAttribute('aria-current', 'true');
		await expectAccessible(page);
		await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Norsk (bokmål)' }).click();
		await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
	});
});

test('changing the password logs out every other device, and keeps this one', async ({ page, browser }) => {
	const other = await browser.newContext({ locale: 'nb-NO' });
	const otherPage = await other.newPage();
	await login(otherPage, 'dps');
	await expect(otherPage.getByRole('heading', { name: 'Mine planer' })).toBeVisible();

	await login(page, 'dps');
	await page.getByRole('link', { name: 'Min konto' }).click();
	await expectAccessible(page);
	await page.getByLabel('Nåværende passord').fill('fellesplan-demo');
	await page.getByLabel('Nytt passord', { exact: true }).fill('kort');
	await page.getByLabel('Gjenta nytt passord').fill('kort');
	await page.getByRole('button', { name: 'Lagre' }).evaluate((b) => (b.closest('form')!.noValidate = true));
	await page.getByRole('button', { name: 'Lagre' }).click();
	await expect(page.getByRole('alert')).toContainText('minst 10 tegn');

	await page.getByLabel('Nåværende passord').fill('fellesplan-demo');
	await page.getByLabel('Nytt passord', { exact: true }).fill('et-nytt-langt-passord');
	await page.getByLabel('Gjenta nytt passord').fill('et-nytt-langt-passord');
	await page.getByRole('button', { name: 'Lagre' }).click();
	await expect(page.getByRole('status')).toContainText('Passordet er endret');

	await otherPage.goto('/');
	await expect(otherPage).toHaveURL(/\/login$/);
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Mine planer' })).toBeVisible();
	await other.close();

	// Back to the demo password, for the tests that log in as DPS after this one.
	await page.getByRole('link', { name: 'Min konto' }).click();
	await page.getByLabel('Nåværende passord').fill('et-nytt-langt-passord');
	await page.getByLabel('Nytt passord', { exact: true }).fill('fellesplan-demo');
	await page.getByLabel('Gjenta nytt passord').fill('fellesplan-demo');
	await page.getByRole('button', { name: 'Lagre' }).click();
	await expect(page.getByRole('status')).toContainText('Passordet er endret');
});
