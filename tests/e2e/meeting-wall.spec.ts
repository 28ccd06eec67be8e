import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible, login } from './fixtures';
import { PLAN_TITLE, leavePatientView, waitUntilSynced } from './collab-helpers';

/** A fresh context as `who`, with the demo plan open, live and synced. */
async function openPlan(
	browser: Browser,
	who: string,
	viewport: { width: number; height: number },
	phone = false
): Promise<Page> {
	const context = await browser.newContext({
		locale: 'nb-NO',
		viewport,
		...(phone ? { hasTouch: true, isMobile: true } : {})
	});
	const page = await context.newPage();
	await login(page, who);
	await page.getByRole('link', { name: PLAN_TITLE }).click();
	await leavePatientView(page);
	await waitUntilSynced(page);
	return page;
}

const fontSize = (page: Page, selector: string) =>
	page
		.locator(selector)
		.first()
		.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/** Ends the session the way logging out in another tab does: the server closes its live sockets with 4401. */
async function endSession(page: Page): Promise<void> {
	const origin = new URL(page.url()).origin;
	await page.request.post('/logout', { headers: { Origin: origin }, form: {}, maxRedirects: 0 });
}

test('@meeting the wall screen: the coordinator starts the meeting; a goal the patient adds on the phone appears on it; large, keyboard-driven, no edit chrome; signed out shows', async ({
	browser
}) => {
	const wall = await openPlan(browser, 'koordinator', { width: 1920, height: 1080 });
	// The demo group's meeting today: the coordinator opens its wall screen from the plan.
	await wall.getByRole('link', { name: 'Vis på storskjerm' }).click();
	await wall.waitForURL(/\/moter\/[^/]+\/skjerm$/);
	await expect(wall.locator('.wall')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
	await expect(wall.getByText('Møtet er ikke startet')).toBeVisible();
	// No site header on the wall.
	await expect(wall.getByRole('banner')).toHaveCount(0);

	// End and Home jump to the last and first item; starting the meeting keeps the screen where it is.
	await wall.keyboard.press('End');
	await expect(wall.getByRole('heading', { level: 1 })).toHaveText('Neste møte');
	// Once open, the screen asks to stay signed in, and the server agrees.
	const keptAlive = wall.waitForResponse((r) => r.url().endsWith('/skjerm/keep-alive'));
	await wall.getByRole('button', { name: 'Start møtet' }).click();
	await expect(wall.getByText('Møtet pågår')).toBeVisible();
	expect((await keptAlive).status()).toBe(200);
	await expect(wall.getByText('Sak 4 av 4')).toBeVisible();
	await wall.keyboard.press('Home');
	await expect(
		wall.getByText(/Skjermen holdes innlogget til \d\d:\d\d \(4 timer etter at møtet startet\)/)
	).toBeVisible();
	await expect(wall.getByText(/Tilkoblet nå:.*Ingrid Solberg/)).toBeVisible();

	// One item at a time, first the patient's own points.
	await expect(wall.getByRole('heading', { level: 1 })).toHaveText('Jonas sine egne punkter');
	await expect(wall.getByText('Sak 1 av 4')).toBeVisible();
	// No editing on the wall: no field, no button (Start møtet is gone once it has started).
	await expect(wall.locator('input, textarea, select, button, [contenteditable="true"]')).toHaveCount(0);
	expect(await fontSize(wall, '.wall-item p')).toBeGreaterThanOrEqual(32);
	expect(await fontSize(wall, '.wall-item h1')).toBeGreaterThan(await fontSize(wall, '.wall-item p'));
	await expectAccessible(wall);

	// The patient, on a phone, adds a goal of their own on the live plan; the wall shows it without a reload.
	const phone = await openPlan(browser, 'pasient', { width: 390, height: 844 }, true);
	const words = `Gå på kafé med søsteren min hver lørdag (${Date.now()})`;
	await phone.getByRole('textbox', { name: 'Målet mitt, med mine ord' }).fill(words);
	await phone.getByRole('button', { name: 'Legg til målet mitt' }).tap();
	await expect(wall.getByText(words)).toBeVisible({ timeout: 3000 });
	await expect(wall.getByText(/Tilkoblet nå:.*Jonas Berg/)).toBeVisible();

	// A presentation clicker's PageDown: the next item, a goal with its measures, live from the plan.
	await wall.keyboard.press('PageDown');
	await expect(wall.getByRole('heading', { level: 1 })).toHaveText('Flytte til egen leilighet');
	await expect(wall.getByText('Sak 2 av 4')).toBeVisible();
	await expect(wall.getByText('Behandle søknad om kommunal utleiebolig')).toBeVisible();
	await expect(wall).toHaveURL(/\?item=2$/);
	await wall.keyboard.press('PageDown');
	await expect(wall.getByRole('heading', { level: 1 })).toHaveText('Venter på leilighet');
	await expect(
		wall.getByText('Tiltak i mellomtiden: Botrening i nåværende bolig med hjemmetjenesten to ganger i uka.')
	).toBeVisible();
	await wall.keyboard.press('PageUp');
	await expect(wall.getByText('Sak 2 av 4')).toBeVisible();

	// A 1280×720 projector: still at least 24 px.
	await wall.setViewportSize({ width: 1280, height: 720 });
	expect(await fontSize(wall, '.wall-item p')).toBeGreaterThanOrEqual(24);
	await expectAccessible(wall);

	// The patient's session ends: the plan page says so, with a login link, and offers nothing to edit.
	await endSession(phone);
	await expect(phone.getByRole('alert').filter({ hasText: 'Du er logget ut' })).toBeVisible({ timeout: 5000 });
	await expect(phone.getByRole('link', { name: 'Logg inn igjen' })).toBeVisible();
	await expect(phone.getByRole('textbox', { name: 'Målet mitt, med mine ord' })).toHaveCount(0);
	await expect(phone.locator('[contenteditable="true"]')).toHaveCount(0);

	// The wall's session ends: the whole width says it is signed out and no longer live.
	await endSession(wall);
	const out = wall.getByRole('alert').filter({ hasText: 'Skjermen er logget ut' });
	await expect(out).toBeVisible({ timeout: 5000 });
	await expect(out).toContainText('ikke lenger live');
	expect((await out.boundingBox())!.width).toBeGreaterThanOrEqual(1270);
	await expect(wall.locator('.wall')).toHaveAttribute('data-live', 'false');
	await phone.context().close();
	await wall.context().close();
});
