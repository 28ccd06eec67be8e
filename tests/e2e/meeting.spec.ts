import { expect, expectAccessible, test } from './fixtures';
import { freshLogin } from './collab-helpers';

test.describe('@meeting the responsibility group meets', () => {
	test('@meeting the coordinator plans and runs a meeting, NAV accepts its decision on the spot, and the patient reads what was agreed', async ({ browser }) => {
		const coordinator = await freshLogin(browser, 'koordinator');
		await coordinator.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await coordinator.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: 'Møter' }).click();
		const plan = coordinator.getByRole('region', { name: 'Planlegg et møte' });
		await plan.getByLabel('Dato').fill('2027-01-12');
		await plan.getByLabel('Klokkeslett').fill('10:00');
		await plan.getByLabel('Sted', { exact: true }).fill('Møterom 2, Fjordvik helsehus');
		await plan.getByRole('button', { name: 'Planlegg møtet' }).click();
		await coordinator.waitForURL(/\/moter\/[a-z0-9]+$/);
		const meetingUrl = coordinator.url();
		await expect(coordinator.getByTestId('meeting-status')).toHaveText('Planlagt');
		// The agenda came from the plan.
		await expect(coordinator.getByRole('region', { name: 'Saksliste' }).getByRole('listitem').first()).toBeVisible();

		// The minutes are a live document: typed into, and stored.
		const minutes = coordinator.getByRole('textbox', { name: 'Referat' });
		await expect(minutes).toHaveAttribute('contenteditable', 'true', { timeout: 10_000 });
		await minutes.click();
		await coordinator.keyboard.type('NAV søker om AAP sammen med Jonas.');
		await expect(coordinator.locator('.minutes .connection')).toContainText('Tilkoblet');

		// Vedtak → tiltak: a measure for NAV, in one step.
		const decisions = coordinator.getByRole('region', { name: 'Vedtak' });
		await decisions.getByLabel('Hva skal gjøres').fill('Søknad om arbeidsavklaringspenger');
		await decisions.getByLabel('Tjeneste som eier tiltaket').selectOption({ label: 'NAV Fjordvik' });
		await decisions.getByLabel('Person', { exact: true }).selectOption({ label: 'Ahmed Karimi' });
		await decisions.getByLabel('Frist').fill('2027-02-15');
		await decisions.getByRole('button', { name: 'Lag tiltaket' }).click();
		const decided = decisions.getByRole('listitem').filter({ hasText: 'Søknad om arbeidsavklaringspenger' });
		await expect(decided).toContainText('Foreslått');
		await expectAccessible(coordinator);

		// NAV, from its own browser, accepts on the spot.
		const nav = await freshLogin(browser, 'nav');
		await nav.goto(meetingUrl);
		const navDecided = nav.getByRole('region', { name: 'Vedtak' }).getByRole('listitem').filter({ hasText: 'Søknad om arbeidsavklaringspenger' });
		await navDecided.getByRole('button', { name: 'Godta tiltaket' }).click();
		await expect(navDecided).toContainText('Akseptert');
		await expect(navDecided.getByRole('button', { name: 'Godta tiltaket' })).toHaveCount(0);

		// The coordinator closes the meeting with the next one set.
		await coordinator.reload();
		const close = coordinator.getByRole('region', { name: 'Avslutt møtet' });
		await close.getByLabel('Dato').fill('2027-03-09');
		await close.getByRole('button', { name: 'Avslutt møtet' }).click();
		await coordinator.waitForURL(/\/enige$/);
		await expect(coordinator.getByRole('heading', { name: 'Dette ble vi enige om', level: 1 })).toBeVisible();

		// The minutes are read-only now, with what was written; the adopted version exists.
		await nav.goto(meetingUrl);
		await expect(nav.getByTestId('meeting-status')).toHaveText('Avsluttet');
		await expect(nav.getByTestId('adopted-version')).toBeVisible();
		await expect(nav.getByText('Referatet kan ikke endres.')).toBeVisible();
		const frozen = nav.getByRole('textbox', { name: 'Referat' });
		await expect(frozen).toContainText('NAV søker om AAP sammen med Jonas.', { timeout: 10_000 });
		await expect(frozen).toHaveAttribute('contenteditable', 'false');

		// The patient reads who does what, by when, in plain words.
		const patient = await freshLogin(browser, 'pasient');
		await patient.goto(`${meetingUrl}/enige`);
		const agreed = patient.getByRole('region', { name: 'Bestemt i møtet' });
		await expect(agreed).toContainText('Søknad om arbeidsavklaringspenger');
		await expect(agreed).toContainText('NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 15. februar 2027.');
		await expectAccessible(patient);
		await nav.context().close();
		await coordinator.context().close();
		await patient.context().close();
	});
});
