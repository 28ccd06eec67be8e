import { test, expect, expectAccessible, login } from './fixtures';
import { freshLogin, openPlanFromList } from './collab-helpers';

test.describe('@meeting history', () => {
	test('@meeting the patient adds a goal on the live plan; the coordinator’s history shows it as the patient’s, and a comparison with now shows it', async ({ browser, page }) => {
		const patient = await freshLogin(browser, 'pasient');
		await openPlanFromList(patient);
		const words = `Sykle til butikken selv (${Date.now()})`;
		await patient.getByRole('textbox', { name: 'Målet mitt, med mine ord' }).fill(words);
		await patient.getByRole('button', { name: 'Legg til målet mitt' }).click();
		await expect(patient.getByRole('article', { name: words }).getByRole('heading', { name: words, exact: true })).toBeVisible();
		await patient.context().close();

		// The coordinator opens the plan's history from its menu: no script needed for any of it.
		await login(page, 'koordinator');
		await page.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await page.getByRole('navigation', { name: /^(Planens sider|Sidene i planen)$/ }).getByRole('link', { name: 'Historikk' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Historikk' })).toBeVisible();

		const session = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) }).filter({ hasText: `La til målet «${words}»` });
		await expect(session).toHaveCount(1);
		await expect(session.getByRole('heading', { level: 3 })).toHaveText('Jonas Berg');
		await expectAccessible(page);

		// From just before the patient's session to now: the goal is there, added.
		await session.getByRole('link', { name: 'Sammenlign med nå' }).click();
		const differences = page.getByRole('region', { name: 'Forskjeller' });
		await expect(differences).toBeVisible();
		await expect(differences.getByRole('listitem').filter({ hasText: words })).toContainText('Lagt til:');
	});
});
