import { expect, expectAccessible, test } from './fixtures';
import { freshLogin, openPlanFromList } from './collab-helpers';

/** Issue 12: "a measure I … follow changes status". The toggle sits under the measure's "Endre"; it survives a reload. */
test('@notify the GP follows a measure under "Endre", and stops following it', async ({ browser }) => {
	const title = 'Tett oppfølging de første månedene etter innflytting';
	const page = await freshLogin(browser, 'fastlege');
	await openPlanFromList(page);
	const measure = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
	await measure.getByLabel(`Endre tiltaket «${title}»`).click();
	const toggle = measure.getByRole('button', { name: `Følg tiltaket «${title}»` });
	await expect(toggle).toHaveAttribute('aria-pressed', 'false');
	await toggle.click();
	const pressed = measure.getByRole('button', { name: `Følger tiltaket «${title}»` });
	await expect(pressed).toHaveAttribute('aria-pressed', 'true');
	await expectAccessible(page);

	// Stored on the server: after a reload it is still followed; then the person stops following.
	await page.reload();
	await measure.getByLabel(`Endre tiltaket «${title}»`).click();
	await pressed.click();
	await expect(measure.getByRole('button', { name: `Følg tiltaket «${title}»` })).toHaveAttribute(
		'aria-pressed',
		'false'
	);
});
