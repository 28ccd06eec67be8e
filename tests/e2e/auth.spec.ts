import { test, expect, expectAccessible, login, demo } from './fixtures';

test.describe('login and logout', () => {
	test('the login page is accessible and names its fields', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
		await expect(page.locator('input[name=email]')).toHaveAttribute('type', 'email');
		await expect(page.locator('input[name=password]')).toHaveAttribute('type', 'password');
		await expectAccessible(page);
	});

	test('the coordinator logs in, sees the session cookie, and logs out', async ({ page, context }) => {
		await login(page, 'koordinator');
		await expect(page.getByRole('heading', { name: 'Mine planer' })).toBeVisible();
		const cookie = (await context.cookies()).find((c) => c.name === 'session');
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
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

	test('repeated failures lock the account with a clear message, even with the right password', async ({ page }) => {
		for (let i = 0; i < 5; i++) {
			await login(page, 'bolig', 'feil-passord-' + i);
			await expect(page.getByRole('alert')).toBeVisible();
		}
		await login(page, 'bolig');
		await expect(page.getByRole('alert')).toContainText('For mange mislykkede forsøk');
		await expect(page).toHaveURL(/\/login/);
	});

	test('the language can be switched to English and back', async ({ page }) => {
		await page.goto('/login');
		await page.getByLabel('Språk').selectOption('en');
		await page.getByRole('button', { name: 'Bytt språk' }).click();
		await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expectAccessible(page);
		await page.getByLabel('Language').selectOption('nb');
		await page.getByRole('button', { name: 'Change language' }).click();
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
});
