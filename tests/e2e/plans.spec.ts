import { test, expect, expectAccessible, login } from './fixtures';

test.describe('plans per role', () => {
	test('the coordinator sees the demo plan with write access and its group', async ({ page }) => {
		await login(page, 'koordinator');
		const card = page.getByRole('listitem').filter({ hasText: 'Individuell plan for Jonas' });
		await expect(card).toContainText('Koordinator');
		await expect(card).toContainText('Kan redigere');
		await card.getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Individuell plan for Jonas' })).toBeVisible();
		const group = page.getByRole('region', { name: 'Ansvarsgruppen' });
		for (const name of ['Jonas Berg', 'Silje Berg', 'Ahmed Karimi', 'Lene Haugland', 'Erik Dahl', 'Mona Lie']) {
			await expect(group.getByRole('rowheader', { name })).toBeVisible();
		}
		await expect(group).not.toContainText('Per Olsen');
		await expectAccessible(page);
	});

	test('the patient sees their own plan', async ({ page }) => {
		await login(page, 'pasient');
		const card = page.getByRole('listitem').filter({ hasText: 'Individuell plan for Jonas' });
		await expect(card).toContainText('Pasient');
		await expectAccessible(page);
	});

	test('the sister reads the plan and is told she cannot change it', async ({ page }) => {
		await login(page, 'parorende');
		const card = page.getByRole('listitem').filter({ hasText: 'Individuell plan for Jonas' });
		await expect(card).toContainText('Kan lese');
		await card.getByRole('link').click();
		await expect(page.getByText('Du kan lese planen, men ikke endre den.')).toBeVisible();
		await expectAccessible(page);
	});

	test('staff outside the group see no plan, and the plan itself is forbidden', async ({ page }) => {
		await login(page, 'koordinator');
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await page.waitForURL(/\/plans\//);
		const planUrl = page.url();
		await page.getByRole('button', { name: 'Logg ut' }).click();
		await expect(page).toHaveURL(/\/login$/);

		await login(page, 'utenfor');
		await expect(page.getByText('Du er ikke med i noen plan ennå.')).toBeVisible();
		await expectAccessible(page);
		const response = await page.goto(planUrl);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { name: 'Ingen tilgang' })).toBeVisible();
		await expect(page.locator('body')).not.toContainText('Jonas');
		await expectAccessible(page);
	});

	test('the admin manages services and people', async ({ page }) => {
		await login(page, 'admin');
		await page.getByRole('link', { name: 'Administrasjon' }).click();
		await page.getByRole('link', { name: 'Tjenester' }).click();
		await expect(page.getByRole('rowheader', { name: 'NAV Fjordvik' })).toBeVisible();
		await expectAccessible(page);

		// Only spaces get past the browser's `required`: the server says what is wrong and keeps what was typed.
		await page.getByLabel('Navn', { exact: true }).fill('   ');
		await page.getByLabel('Kommune eller helseforetak').fill('Fjordvik kommune');
		await page.getByRole('button', { name: 'Opprett' }).click();
		await expect(page.getByRole('alert')).toContainText('Navn må fylles ut');
		await expect(page.getByLabel('Kommune eller helseforetak')).toHaveValue('Fjordvik kommune');
		await expectAccessible(page);
		await page.getByLabel('Navn', { exact: true }).fill('Fjordvik bo- og oppfølgingstjeneste');
		await page.getByLabel('Kommune eller helseforetak').fill('Fjordvik kommune');
		await page.getByLabel('Type tjeneste').selectOption('housing');
		await page.getByRole('button', { name: 'Opprett' }).click();
		await expect(page.getByText('Tjenesten er lagret.')).toBeVisible();
		await expectAccessible(page);

		await page.goto('/admin/people');
		await expect(page.getByRole('rowheader', { name: /Per Olsen/ })).toBeVisible();
		await expectAccessible(page);
	});

	test('other users cannot open the admin pages', async ({ page }) => {
		await login(page, 'nav');
		const response = await page.goto('/admin/services');
		expect(response?.status()).toBe(403);
	});
});

test.describe('JSON API', () => {
	test('GET /api/plans answers per session, and 401 as JSON without one', async ({ page, playwright }) => {
		const anonymous = await playwright.request.newContext();
		const res = await anonymous.get(new URL('/api/plans', test.info().project.use.baseURL).toString());
		expect(res.status()).toBe(401);
		expect(await res.json()).toMatchObject({ error: 'unauthenticated' });
		await anonymous.dispose();

		await login(page, 'koordinator');
		const mine = await page.request.get('/api/plans');
		expect(mine.status()).toBe(200);
		// Other specs start plans of their own for this coordinator; the demo plan is among them.
		expect(await mine.json()).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					title: 'Individuell plan for Jonas',
					patientName: 'Jonas Berg',
					role: 'coordinator',
					access: 'write'
				})
			])
		);
		const health = await page.request.get('/healthz');
		expect(await health.json()).toEqual({
			ok: true,
			db: 'pglite',
			database: 'up',
			redis: 'off',
			node: process.version
		});
	});
});
