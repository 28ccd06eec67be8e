import { expect, expectAccessible, login, test } from './fixtures';
import { freshLogin, openPlanFromList } from './collab-helpers';
import type { Page } from '@playwright/test';

const measureItem = (page: Page, title: string) =>
	page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test.describe('@measures who says yes', () => {
	test('@measures NAV accepts its measure, and the patient reads in plain words who helps and by when', async ({
		browser
	}) => {
		const AFT = 'Søke om arbeidsforberedende trening (AFT) med IPS-veileder';
		// The coordinator's overview: the measure waits for NAV's answer.
		const coordinator = await freshLogin(browser, 'koordinator');
		await coordinator.goto('/oversikt');
		const unanswered = coordinator
			.getByRole('region', { name: 'Ikke besvart av tjenesten ennå' })
			.getByRole('row')
			.filter({ hasText: AFT });
		await expect(unanswered).toHaveCount(1);

		const nav = await freshLogin(browser, 'nav');
		await openPlanFromList(nav);
		const aft = measureItem(nav, AFT);
		await expect(aft.locator('.status')).toHaveText('Foreslått');
		// His own task, marked as his.
		await expect(aft).toContainText('Din oppgave');
		await expect(aft.getByLabel('Hvem gjør det')).toHaveValue(/.+/);
		await expectAccessible(nav);
		await aft.getByRole('button', { name: 'Aksepter tiltaket' }).click();
		await expect(aft.locator('.status')).toHaveText('Akseptert', { timeout: 10_000 });
		await expect(aft.getByRole('button', { name: 'Aksepter tiltaket' })).toHaveCount(0);
		// Now work can start: NAV's next steps are buttons, not a select that saves on every arrow key (under "Endre").
		await aft.getByLabel(`Endre tiltaket «${AFT}»`).click();
		await expect(aft.getByRole('button', { name: 'Start arbeidet' })).toBeVisible();
		await expectAccessible(nav);

		// The coordinator's overview follows (the lists are at most a few seconds behind): as a person would, reload until it has.
		await expect(async () => {
			await coordinator.reload();
			await expect(unanswered).toHaveCount(0, { timeout: 500 });
		}).toPass({ timeout: 15_000 });
		await expectAccessible(coordinator);

		const patient = await freshLogin(browser, 'pasient');
		await openPlanFromList(patient);
		const seen = measureItem(patient, 'Søke om arbeidsforberedende trening (AFT) med IPS-veileder');
		await expect(seen).toContainText(
			'NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 15. mars 2027.'
		);
		// The patient cannot answer for NAV.
		await expect(seen.getByRole('button', { name: 'Aksepter tiltaket' })).toHaveCount(0);
		// Nor does the page hand the patient the directory's staff: Per Olsen (home care, outside the group) is not in it,
		// while staff get him, to name him on a measure for his service.
		expect(await patient.content()).not.toContain('Per Olsen');
		expect(await nav.content()).toContain('Per Olsen');
		await expectAccessible(patient);
		await nav.context().close();
		await patient.context().close();
		await coordinator.context().close();
	});

	test('@measures declining without a reason is refused in the page; with one, everyone sees the reason', async ({
		browser
	}) => {
		const dps = await freshLogin(browser, 'dps');
		await openPlanFromList(dps);
		const review = measureItem(dps, 'Gjennomgang av medisinene sammen med fastlegen');
		await expect(review.locator('.status')).toHaveText('Foreslått');
		await review.getByText('Avslå tiltaket').click();
		const reason = review.getByLabel('Hvorfor sier dere nei?');
		await reason.fill('   ');
		await review.getByRole('button', { name: 'Avslå med denne begrunnelsen' }).click();
		await expect(review.getByRole('alert').filter({ hasText: 'Skriv en begrunnelse først' })).toBeVisible();
		await expect(reason).toBeFocused();
		await expect(review.locator('.status')).toHaveText('Foreslått');
		await expectAccessible(dps);

		await reason.fill('Fastlegen har gått gjennom medisinene i oktober.');
		await review.getByRole('button', { name: 'Avslå med denne begrunnelsen' }).click();
		await expect(review.locator('.status')).toHaveText('Avslått', { timeout: 10_000 });

		// An editor who is not DPS (the GP wrote the measure) sees why.
		const gp = await freshLogin(browser, 'fastlege');
		await openPlanFromList(gp);
		await expect(measureItem(gp, 'Gjennomgang av medisinene sammen med fastlegen')).toContainText(
			'Fastlegen har gått gjennom medisinene i oktober.'
		);
		await expectAccessible(gp);
		await dps.context().close();
		await gp.context().close();
	});

	test('@measures NAV gets no control over a DPS measure or a goal, and a change forced from the console is refused and rolled back', async ({
		browser
	}) => {
		const context = await browser.newContext({ locale: 'nb-NO' });
		await context.addInitScript(() => {
			(window as { __fellesplanHooks?: object }).__fellesplanHooks = {};
		});
		const nav = await context.newPage();
		await login(nav, 'nav');
		await openPlanFromList(nav);

		const title = 'Poliklinisk oppfølging og medisinsk behandling hver fjerde uke';
		const dpsMeasure = measureItem(nav, title);
		await expect(dpsMeasure.locator('.status')).toHaveText('Pågår');
		for (const name of ['Start arbeidet', 'Marker som fullført', 'Aksepter tiltaket', `Slett tiltaket «${title}»`]) {
			await expect(dpsMeasure.getByRole('button', { name })).toHaveCount(0);
		}
		await expect(dpsMeasure.getByText('Sett tiltaket på vent')).toHaveCount(0);
		await expect(dpsMeasure.getByText('Avbryt tiltaket')).toHaveCount(0);
		await expect(nav.getByRole('button', { name: /^Slett målet/ })).toHaveCount(0);
		await expectAccessible(nav);

		// From the console: NAV's own browser writes "completed" into the DPS measure.
		await nav.evaluate((title) => {
			type Live = {
				origin: unknown;
				plan: {
					doc: {
						transact(f: () => void, o: unknown): void;
						getMap(n: string): Map<string, { get(k: string): unknown; set(k: string, v: unknown): void }>;
					};
				};
			};
			const live = (window as unknown as { __fellesplanHooks: { live: Live } }).__fellesplanHooks.live;
			const doc = live.plan.doc;
			const measures = doc.getMap('measures');
			for (const [, m] of measures) {
				const t = m.get('title');
				if (String(t) === title) doc.transact(() => m.set('status', 'completed'), live.origin);
			}
		}, title);
		// The server refuses it: NAV's screen says so and shows the measure as it is.
		await expect(nav.locator('.refusal p[role="alert"]')).toContainText(
			'Bare DPS Fjordvik og koordinatoren kan endre statusen på dette tiltaket.',
			{ timeout: 10_000 }
		);
		await expect(dpsMeasure.locator('.status')).toHaveText('Pågår', { timeout: 10_000 });
		await expectAccessible(nav);
		await context.close();
	});

	test('@measures goals: staff goals default to staff, an agreed level, and dated evaluations with the patient’s rating as a trend', async ({
		browser
	}) => {
		const coordinator = await freshLogin(browser, 'koordinator');
		await openPlanFromList(coordinator);
		await expect(coordinator.getByRole('form', { name: 'Nytt mål' }).getByLabel('Hvem sitt mål')).toHaveValue('staff');

		const goal = coordinator.getByRole('article', { name: 'Redusere cannabisbruken' });
		await goal.getByLabel('Endre målet «Redusere cannabisbruken»').click();
		// A select saves nothing by itself: only the button does.
		await goal.getByLabel('Nivå for målet').selectOption('reduction');
		await expect(goal.locator('.meta')).not.toContainText('Redusert bruk');
		await goal.getByRole('button', { name: 'Lagre' }).click();
		await expect(goal.locator('.meta')).toContainText('Nivå for målet: Redusert bruk');

		const evaluate = goal.getByRole('form', { name: 'Ny evaluering av «Redusere cannabisbruken»' });
		for (const [date, rating, note] of [
			['2026-11-01', '3', 'Røyker hver kveld.'],
			['2026-12-01', '6', 'Bare i helgene nå.']
		]) {
			if (!(await evaluate.isVisible())) await goal.getByText('Legg til evaluering').click();
			await evaluate.getByLabel('Dato').fill(date);
			await evaluate.getByLabel('Pasientens vurdering (1–10)').selectOption(rating);
			await evaluate.getByLabel('Notat').fill(note);
			await evaluate.getByRole('button', { name: 'Lagre evalueringen' }).click();
			await expect(goal.getByRole('listitem').filter({ hasText: note })).toContainText(`vurdering ${rating} av 10`);
		}
		await expect(goal.getByRole('img', { name: 'Pasientens vurdering: 3 → 6' })).toBeVisible();
		await expectAccessible(coordinator);

		// The patient sees the same evaluations and trend.
		const patient = await freshLogin(browser, 'pasient');
		await openPlanFromList(patient);
		await expect(
			patient
				.getByRole('article', { name: 'Redusere cannabisbruken' })
				.getByText('Pasientens vurdering: 3 → 6', { exact: true })
		).toBeVisible();
		await coordinator.context().close();
		await patient.context().close();
	});

	test('@measures without JavaScript: waiting needs a reason and an interim measure; a refusal keeps what was typed', async ({
		browser
	}) => {
		const context = await browser.newContext({ locale: 'nb-NO', javaScriptEnabled: false });
		const nav = await context.newPage();
		await login(nav, 'nav');
		await nav.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		const debt = measureItem(nav, 'Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling');
		await expect(debt.locator('.status')).toHaveText('Pågår');
		// The next steps open on demand, without scripts too.
		await debt
			.getByLabel('Endre tiltaket «Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling»')
			.click();
		await debt.getByText('Sett tiltaket på vent').click();
		await debt.getByLabel('Hva venter tiltaket på?').fill('Svar fra inkassoselskapene');
		await debt.getByRole('button', { name: 'Sett på vent' }).click();
		// The server refuses: the page says why, the form is open again with the reason still in it.
		const again = measureItem(nav, 'Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling');
		await expect(again.getByRole('alert').filter({ hasText: 'Skriv hva som skjer i mellomtiden' })).toBeVisible();
		await expect(again.getByLabel('Hva venter tiltaket på?')).toHaveValue('Svar fra inkassoselskapene');
		// (axe needs scripts: this page is checked with them in the tests above.)
		await expect(again.locator('.status')).toHaveText('Pågår');
		await again.getByLabel('Tiltak i mellomtiden').fill('Veileder ringer kreditorene sammen med Jonas');
		await again.getByRole('button', { name: 'Sett på vent' }).click();
		const held = measureItem(nav, 'Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling');
		await expect(held.locator('.status')).toHaveText('Venter');
		await expect(held).toContainText('Svar fra inkassoselskapene');
		await expect(held).toContainText('Veileder ringer kreditorene sammen med Jonas');
		await context.close();
	});
});
