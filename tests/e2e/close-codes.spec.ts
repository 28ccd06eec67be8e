import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import {
	carriesContent,
	freshLogin,
	offlineCopyName,
	openPlanFromList,
	readOfflineCopy,
	routeCollab,
	waitUntilSynced
} from './collab-helpers';
import { getWhatHelps, richTextToPlainText, fragmentToRichText } from '../../src/lib/plan';
import { CLOSE, REFUSAL } from '../../src/lib/sync/close-codes';
import { encodeSavingMessage } from '../../src/lib/sync/saving';

/**
 * What the browser does with each close code of the sync server (src/lib/sync/close-codes.ts). Here the test
 * plays the server's part on a real connection: it routes the page's collab sockets and closes them with the
 * code under test, so the browser's side is proven whatever the server currently sends.
 */

const whatHelps = (page: Page) => page.getByRole('textbox', { name: 'Dette hjelper meg' });
const connection = (page: Page) => page.getByRole('region', { name: 'Tilkobling' }).getByRole('status');

async function typeAtEnd(page: Page, text: string): Promise<void> {
	await whatHelps(page).click();
	await page.keyboard.press('Control+End');
	await page.keyboard.press('Enter');
	await page.keyboard.type(text);
}

test('@live a refused update: the browser drops its copy of the document, resyncs from the server and says why', async ({
	browser
}) => {
	const page = await freshLogin(browser, 'koordinator');
	const gate = await routeCollab(page, false);
	await openPlanFromList(page);
	const copy = await offlineCopyName(page, 'crisis');

	// The next change this browser sends to the crisis plan is refused, the way the server refuses one.
	let refused = 0;
	gate.inspect = (message, close, url) => {
		if (!url.includes('/collab/crisis:') || !carriesContent(message) || refused > 0) return true;
		refused++;
		close(CLOSE.refused, REFUSAL.tooDeep);
		return false;
	};
	const lost = `Ikke lagret ${Date.now()}`;
	await typeAtEnd(page, lost);

	const notice = page.getByRole('alert').filter({
		hasText:
			'Endringen din ble ikke lagret fordi innholdet hadde for mange nivåer inni hverandre. Planen er hentet på nytt fra serveren.'
	});
	await expect(notice).toBeVisible({ timeout: 10_000 });
	expect(refused).toBe(1);
	await waitUntilSynced(page);
	// The refused text is gone from the page and from the offline copy: both now hold what the server has.
	await expect(whatHelps(page)).toHaveAttribute('contenteditable', 'true');
	await expect(whatHelps(page)).not.toContainText(lost);
	await expect
		.poll(async () => richTextToPlainText(fragmentToRichText(getWhatHelps(await readOfflineCopy(page, copy)))))
		.not.toContain('Ikke lagret');
	await expect
		.poll(async () => richTextToPlainText(fragmentToRichText(getWhatHelps(await readOfflineCopy(page, copy)))))
		.toContain('Rolig prat med noen jeg kjenner');

	// Everything is bound to the new document: presence, editing, and undo of my own changes.
	await expect(page.getByRole('list', { name: 'Til stede nå' })).toContainText('Ingrid Solberg (deg)');
	const kept = `Lagret etterpå ${Date.now()}`;
	await typeAtEnd(page, kept);
	const sign = `Trekker seg unna ${Date.now()}`;
	await page.getByLabel('Ny linje i «Tegn på at det går dårlig»').fill(sign);
	await page.getByLabel('Ny linje i «Tegn på at det går dårlig»').press('Enter');
	const signs = page.getByRole('region', { name: 'Tegn på at det går dårlig' }).locator('li textarea');
	await expect
		.poll(() => signs.evaluateAll((inputs) => inputs.map((i) => (i as HTMLTextAreaElement).value)))
		.toContain(sign);
	await page.getByRole('button', { name: 'Angre' }).click();
	await expect
		.poll(() => signs.evaluateAll((inputs) => inputs.map((i) => (i as HTMLTextAreaElement).value)))
		.not.toContain(sign);
	// And what was typed after the resync reached the server: a colleague sees it.
	const nav = await freshLogin(browser, 'nav');
	await openPlanFromList(nav);
	await expect(whatHelps(nav)).toContainText(kept, { timeout: 5000 });
	await expect(whatHelps(nav)).not.toContainText(lost);
	await expectAccessible(nav);
	await nav.context().close();

	await expectAccessible(page);
	await page.getByRole('button', { name: 'Lukk meldingen' }).click();
	await expect(notice).toHaveCount(0);
	await page.context().close();
});

test('@live after the server reloads a document (1012) the page says it is reconnecting, not that something failed', async ({
	browser
}) => {
	const page = await freshLogin(browser, 'koordinator');
	const gate = await routeCollab(page, false);
	await openPlanFromList(page);

	// The server reloads: it closes with 1012, and new connections wait a moment before they are answered.
	let answer!: () => void;
	gate.wait = new Promise<void>((resolve) => (answer = resolve));
	expect(gate.closeConnected(CLOSE.reloaded)).toBeGreaterThan(0);
	await expect(connection(page)).toHaveText('Kobler til igjen …');
	await expect(connection(page)).toHaveAttribute('data-state', 'reconnecting');
	await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
	// The plan stays live meanwhile: its editors are still there.
	await expect(whatHelps(page)).toHaveAttribute('contenteditable', 'true');
	await expectAccessible(page);

	gate.wait = null;
	answer();
	await waitUntilSynced(page);
	await page.context().close();
});

test('@live a server too busy for us (4429): the page says so and comes back by itself after a jittered pause', async ({
	browser
}) => {
	const page = await freshLogin(browser, 'koordinator');
	await page.clock.install(); // time runs as usual; the test can jump ahead over the pause
	const gate = await routeCollab(page, false);
	await openPlanFromList(page);

	expect(gate.closeConnected(CLOSE.rateLimited, 'busy')).toBeGreaterThan(0);
	await expect(connection(page)).toContainText('Serveren har mye å gjøre akkurat nå. Vi prøver igjen om litt');
	await expect(connection(page)).toHaveAttribute('data-state', 'busy');
	await expectAccessible(page);
	// Reopenings of the documents told to go away (a document still connecting then was not told, and may open).
	const busy = new Set(gate.closedByTest);
	const reopened = () => gate.opened.filter((url) => busy.has(url)).length;
	const opened = gate.opened.length;
	const before = reopened();

	// Not before ten seconds: a crowd of clients turned away together must not come back together.
	await page.clock.fastForward(9_000);
	await expect(connection(page)).toHaveAttribute('data-state', 'busy');
	expect(reopened()).toBe(before);

	// By thirty seconds it has tried again, and is back.
	await page.clock.fastForward(21_000);
	await waitUntilSynced(page);
	expect(reopened()).toBeGreaterThan(before);
	expect(gate.opened.length).toBeGreaterThan(opened);
	await page.context().close();
});

test('@live saving delayed: while the server cannot store what we send, the bar says so; once it has, it is online again', async ({
	browser
}) => {
	const page = await freshLogin(browser, 'koordinator');
	const gate = await routeCollab(page, false);
	await openPlanFromList(page);

	// What the sync server sends while the database does not take its writes (it retries and forwards nothing).
	gate.sendToPage('/collab/plan:', encodeSavingMessage(true));
	await expect(connection(page)).toHaveAttribute('data-state', 'delayed');
	await expect(connection(page)).toContainText('Tilkoblet, men lagringen er forsinket');
	await expect(connection(page)).toContainText('endringene dine ligger trygt på enheten');
	await expectAccessible(page);

	gate.sendToPage('/collab/plan:', encodeSavingMessage(false));
	await expect(connection(page)).toHaveAttribute('data-state', 'online');
	await expect(connection(page)).toContainText('Tilkoblet – endringer deles med en gang');
	await page.context().close();
});
