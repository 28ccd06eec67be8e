import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { freshLogin, openPlanFromList } from './collab-helpers';

const fontSize = (page: Page, selector: string) =>
	page
		.locator(selector)
		.first()
		.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/**
 * The meeting the product is for (issue 9): the coordinator's laptop on a 1920×1080 wall screen, the patient on a
 * phone, NAV on a laptop. The patient's goal reaches the wall as it is added, a decision becomes NAV's measure and
 * NAV accepts it, the meeting closes; then the record holds: read-only minutes, the adopted version, the patient's
 * summary, and history that names who did what and what changed since.
 */
test.describe('@meeting the responsibility group meets', () => {
	test('@meeting a meeting on the wall screen, with the patient on a phone and NAV on a laptop, closed into a record everyone shares', async ({
		browser
	}) => {
		const coordinator = await freshLogin(browser, 'koordinator', { viewport: { width: 1920, height: 1080 } });
		await coordinator.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await coordinator.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: 'Møter' }).click();
		const planning = coordinator.getByRole('region', { name: 'Planlegg et møte' });
		await planning.getByLabel('Dato').fill('2027-01-12');
		await planning.getByLabel('Klokkeslett').fill('10:00');
		await planning.getByLabel('Sted', { exact: true }).fill('Møterom 2, Fjordvik helsehus');
		await planning.getByRole('button', { name: 'Planlegg møtet' }).click();
		await coordinator.waitForURL(/\/moter\/[a-z0-9]+$/);
		const meetingUrl = coordinator.url();
		const planUrl = meetingUrl.replace(/\/moter\/[a-z0-9]+$/, '');
		await expect(coordinator.getByTestId('meeting-status')).toHaveText('Planlagt');
		// The agenda came from the plan, the patient's own points first.
		await expect(coordinator.getByRole('region', { name: 'Saksliste' }).getByRole('listitem').first()).toContainText(
			'Det Jonas vil ta opp'
		);

		// The minutes are a live document: typed into, and stored.
		const minutes = coordinator.getByRole('textbox', { name: 'Referat' });
		await expect(minutes).toHaveAttribute('contenteditable', 'true', { timeout: 10_000 });
		await minutes.click();
		await coordinator.keyboard.type('NAV søker om AAP sammen med Jonas.');
		await expect(coordinator.locator('.minutes .connection')).toContainText('Tilkoblet');

		// The wall screen, in a second tab of the coordinator's laptop: started, live, readable from three metres.
		const wall = await coordinator.context().newPage();
		await wall.goto((await coordinator.getByRole('link', { name: 'Vis på storskjerm' }).getAttribute('href'))!);
		await expect(wall.locator('.wall')).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
		await wall.getByRole('button', { name: 'Start møtet' }).click();
		await expect(wall.getByText('Møtet pågår')).toBeVisible();
		await expect(wall.getByRole('heading', { level: 1 })).toHaveText('Det Jonas vil ta opp');
		expect(await fontSize(wall, '.wall-item p')).toBeGreaterThanOrEqual(32);
		await expect(wall.locator('input, textarea, select, button, [contenteditable="true"]')).toHaveCount(0);

		// The patient, on a phone, adds a goal on the live plan: it appears on the wall without anyone reloading.
		const phone = await freshLogin(browser, 'pasient', {
			viewport: { width: 390, height: 844 },
			hasTouch: true,
			isMobile: true
		});
		await openPlanFromList(phone);
		const goal = `Gå på kafé med søsteren min hver lørdag (${Date.now()})`;
		await phone.getByRole('textbox', { name: 'Målet mitt, med mine ord' }).fill(goal);
		await phone.getByRole('button', { name: 'Legg til målet mitt' }).tap();
		await expect(wall.getByText(goal)).toBeVisible();
		await expect(wall.getByText(/Tilkoblet nå:.*Jonas Berg/)).toBeVisible();

		// Back on the meeting page: a decision becomes NAV's measure in one step.
		const desk = coordinator;
		await desk.reload();
		await expect(desk.getByTestId('meeting-status')).toHaveText('Pågår');
		const decisions = desk.getByRole('region', { name: 'Vedtak' });
		await decisions.getByLabel('Hva skal gjøres').fill('Søknad om arbeidsavklaringspenger');
		await decisions.getByLabel('Tjeneste som eier tiltaket').selectOption({ label: 'NAV Fjordvik' });
		await decisions.getByLabel('Person', { exact: true }).selectOption({ label: 'Ahmed Karimi' });
		await decisions.getByLabel('Frist').fill('2027-02-15');
		await decisions.getByRole('button', { name: 'Lag tiltaket' }).click();
		await expect(
			decisions.getByRole('listitem').filter({ hasText: 'Søknad om arbeidsavklaringspenger' })
		).toContainText('Foreslått');
		await expectAccessible(desk);

		// NAV, from its own laptop, accepts on the spot.
		const nav = await freshLogin(browser, 'nav', { viewport: { width: 1366, height: 768 } });
		await nav.goto(meetingUrl);
		const navDecided = nav
			.getByRole('region', { name: 'Vedtak' })
			.getByRole('listitem')
			.filter({ hasText: 'Søknad om arbeidsavklaringspenger' });
		await navDecided.getByRole('button', { name: 'Godta tiltaket' }).click();
		await expect(navDecided).toContainText('Akseptert');
		await expect(navDecided.getByRole('button', { name: 'Godta tiltaket' })).toHaveCount(0);

		// The coordinator closes the meeting with the next one set.
		await desk.reload();
		const close = desk.getByRole('region', { name: 'Avslutt møtet' });
		await close.getByLabel('Dato').fill('2027-03-09');
		await close.getByRole('button', { name: 'Avslutt møtet' }).click();
		await desk.waitForURL(/\/enige$/);
		await expect(desk.getByRole('heading', { name: 'Dette ble vi enige om', level: 1 })).toBeVisible();

		// The minutes are read-only now, with what was written; the adopted version exists.
		await nav.goto(meetingUrl);
		await expect(nav.getByTestId('meeting-status')).toHaveText('Avsluttet');
		await expect(nav.getByTestId('adopted-version')).toBeVisible();
		await expect(nav.getByText('Referatet kan ikke endres.')).toBeVisible();
		const frozen = nav.getByRole('textbox', { name: 'Referat' });
		await expect(frozen).toContainText('NAV søker om AAP sammen med Jonas.', { timeout: 10_000 });
		await expect(frozen).toHaveAttribute('contenteditable', 'false');

		// The patient reads on the phone who does what, by when, in plain words.
		await phone.goto(`${meetingUrl}/enige`);
		const agreed = phone.getByRole('region', { name: 'Bestemt i møtet' });
		await expect(agreed).toContainText('Søknad om arbeidsavklaringspenger');
		await expect(agreed).toContainText(
			'NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 15. februar 2027.'
		);
		await expectAccessible(phone);

		// After the meeting the patient adds another goal.
		await phone.goto(planUrl);
		const later = `Lære å lage middag selv (${Date.now()})`;
		await phone.getByRole('textbox', { name: 'Målet mitt, med mine ord' }).fill(later);
		await phone.getByRole('button', { name: 'Legg til målet mitt' }).tap();
		await expect(phone.getByRole('article', { name: later })).toBeVisible();

		// History: the goal added in the meeting is the patient's; the adopted version against now shows only the later one.
		await desk.goto(`${planUrl}/historikk`);
		const session = desk
			.getByRole('listitem')
			.filter({ has: desk.getByRole('heading', { level: 3 }) })
			.filter({ hasText: `La til målet «${goal}»` });
		await expect(session.getByRole('heading', { level: 3 })).toHaveText('Jonas Berg');
		await desk
			.getByRole('region', { name: 'Vedtatte versjoner' })
			.getByRole('link', { name: 'Sammenlign med nå' })
			.first()
			.click();
		const differences = desk.getByRole('region', { name: 'Forskjeller' });
		await expect(differences.getByRole('listitem').filter({ hasText: later })).toContainText('Lagt til:');
		await expect(differences.getByText(goal)).toHaveCount(0);
		await expectAccessible(desk);

		await nav.context().close();
		await phone.context().close();
		await coordinator.context().close();
	});
});
