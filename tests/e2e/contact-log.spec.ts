import { test, expect, expectAccessible, login } from './fixtures';
import { PLAN_TITLE } from './collab-helpers';

test.describe('@notify the contact log', () => {
	test('@notify three "ikke møtt" in a row raise the flag the coordinator sees on the plan page; /kontakt and /soknader pass axe', async ({
		browser
	}) => {
		// Tone Vik (ACT) writes three missed appointments, plain forms.
		const act = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
		await login(act, 'act');
		await act.getByRole('link', { name: PLAN_TITLE }).click();
		await act.waitForURL(/\/plans\/[^/]+$/);
		const planUrl = new URL(act.url()).pathname;
		await act.goto(`${planUrl}/kontakt`);
		await expect(act.getByRole('heading', { name: 'Kontaktlogg', level: 1 })).toBeVisible();
		await expectAccessible(act);
		for (let n = 1; n <= 3; n++) {
			await act.getByLabel('Ikke møtt', { exact: true }).check();
			await act.getByRole('button', { name: 'Lagre', exact: true }).click();
			await expect(act.locator('ol.entries > li')).toHaveCount(n);
		}
		await expect(act.getByRole('status')).toHaveText('Lagret i kontaktloggen.');
		await expect(act.getByRole('region', { name: 'Et mønster å se på' })).toContainText('3 ganger på rad uten kontakt');
		await expectAccessible(act);

		// The coordinator sees it among the warnings on the plan page, worded as a pattern to look at.
		const coordinator = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
		await login(coordinator, 'koordinator');
		await coordinator.goto(planUrl);
		await expect(coordinator.getByRole('region', { name: 'Å følge opp' })).toContainText(
			'3 ganger på rad uten kontakt'
		);
		// A measure without entries keeps its two lines; the way to its log is under "Endre".
		const measure = coordinator.locator('li.measure').first();
		await expect(measure.getByRole('link', { name: /^Kontaktlogg/ })).toHaveCount(0);
		await measure.getByLabel(/^Endre tiltaket/).click();
		await expect(measure.getByRole('link', { name: 'Kontaktlogg (0)' })).toBeVisible();

		await coordinator.goto(`${planUrl}/soknader`);
		await expect(coordinator.getByRole('heading', { name: 'Søknader og vedtak', level: 1 })).toBeVisible();
		await expectAccessible(coordinator);
	});
});
