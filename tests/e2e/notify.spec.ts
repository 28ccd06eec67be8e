import type { Page } from '@playwright/test';
import { expect, expectAccessible, login, test } from './fixtures';
import { freshLogin, openPlanFromList, waitUntilSynced } from './collab-helpers';

const measureItem = (page: Page, title: string) =>
	page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const liveBell = (page: Page) => page.locator('[data-testid="notice-bell"][data-live="true"]');

test('@notify NAV sees an assigned measure arrive live in /varsler, and the coordinator is told when NAV accepts', async ({
	browser
}) => {
	// Two people in two browsers, each with the page a person would keep open.
	test.setTimeout(60_000);
	const title = `Søke om fritidskort ${Date.now()}`;
	// NAV has its notices open, in its own browser.
	const nav = await freshLogin(browser, 'nav');
	await nav.goto('/varsler');
	await expect(nav.getByRole('heading', { name: 'Varsler', level: 1 })).toBeVisible();
	await expect(liveBell(nav)).toBeVisible({ timeout: 10_000 });

	// The coordinator gives a measure to NAV, to Ahmed Karimi.
	const coordinator = await freshLogin(browser, 'koordinator');
	await openPlanFromList(coordinator);
	const newMeasure = coordinator.getByRole('form', { name: /^Nytt tiltak for/ }).first();
	await newMeasure.getByLabel('Tiltak', { exact: true }).fill(title);
	await newMeasure.getByLabel('Ansvarlig tjeneste').selectOption({ label: 'NAV Fjordvik' });
	await newMeasure.getByLabel('Ansvarlig person').selectOption({ label: 'Ahmed Karimi' });
	await newMeasure.getByRole('button', { name: 'Legg til tiltak' }).click();
	await expect(measureItem(coordinator, title)).toBeVisible();

	// It appears in NAV's list without a reload, marked new, and the header counts it.
	const notice = nav.getByRole('link', { name: `Du har fått tiltaket «${title}».` });
	await expect(notice).toBeVisible({ timeout: 10_000 });
	await expect(nav.getByRole('listitem').filter({ has: notice })).toContainText('Ny');
	await expectAccessible(nav);

	// The coordinator waits on its own list, live too.
	await coordinator.goto('/varsler');
	await expect(liveBell(coordinator)).toBeVisible({ timeout: 10_000 });

	// The notice leads to the measure in the plan; NAV accepts it there.
	await notice.click();
	await nav.waitForURL(/\/plans\/[^/]+#measure-[^#]+-title$/);
	await waitUntilSynced(nav);
	const item = measureItem(nav, title);
	await item.getByRole('button', { name: 'Aksepter tiltaket' }).click();
	await expect(item.locator('.status')).toHaveText('Akseptert', { timeout: 10_000 });

	await expect(coordinator.getByRole('link', { name: `Tjenesten har svart på tiltaket «${title}».` })).toBeVisible({
		timeout: 10_000
	});
	await expectAccessible(coordinator);
	await nav.context().close();
});

test('@notify preferences are a plain form, and the administrator sees delivery failures and recorded SMS', async ({
	page
}) => {
	await login(page, 'admin');
	await page.goto('/account/varsler');
	const meetings = page.getByRole('group', { name: 'Jeg blir invitert til et møte' });
	await meetings.getByLabel('SMS').selectOption('now');
	await meetings.getByLabel('E-post').selectOption('digest');
	await page.getByRole('button', { name: 'Lagre valgene' }).click();
	await expect(page.getByRole('status')).toHaveText('Valgene er lagret.');
	await expect(page.getByRole('group', { name: 'Jeg blir invitert til et møte' }).getByLabel('E-post')).toHaveValue(
		'digest'
	);
	await expectAccessible(page);
	await page.goto('/admin/varsler');
	await expect(page.getByRole('heading', { name: 'Mislykte sendinger' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Lagrede SMS' })).toBeVisible();
});
