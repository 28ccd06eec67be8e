import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, expectAccessible, login, test } from './fixtures';
import { freshLogin } from './collab-helpers';
import { ARCHIVE_DIR } from '../../playwright.config';

/** The deliveries in the server's archive folder that are whole (their arkivmelding is written last). */
async function deliveries(): Promise<string[]> {
	const names = await readdir(ARCHIVE_DIR).catch(() => [] as string[]);
	const whole: string[] = [];
	for (const name of names.filter((n) => !n.startsWith('.'))) {
		const files = await readdir(path.join(ARCHIVE_DIR, name)).catch(() => [] as string[]);
		if (files.includes('arkivmelding.xml')) whole.push(name);
	}
	return whole;
}

/**
 * Issue 25: the coordinator closes a meeting in the browser, and the municipality's archive (a folder by default)
 * receives the adopted version, the minutes and the consents as PDF/A with an arkivmelding; the administrator sees
 * the delivery and its receipt.
 */
test.describe('@archive the plan in the municipality archive', () => {
	test('@archive a meeting closed in the browser is delivered to the archive folder, and the administrator sees it', async ({
		browser
	}) => {
		const before = new Set(await deliveries());
		const coordinator = await freshLogin(browser, 'koordinator');
		await coordinator.getByRole('link', { name: 'Individuell plan for Jonas' }).click();
		await coordinator.getByRole('navigation', { name: 'Planens sider' }).getByRole('link', { name: 'Møter' }).click();
		const planning = coordinator.getByRole('region', { name: 'Planlegg et møte' });
		await planning.getByLabel('Dato').fill('2027-05-04');
		await planning.getByLabel('Klokkeslett').fill('13:00');
		await planning.getByLabel('Sted', { exact: true }).fill('Møterom 1, Fjordvik helsehus');
		await planning.getByRole('button', { name: 'Planlegg møtet' }).click();
		await coordinator.waitForURL(/\/moter\/[a-z0-9]+$/);

		const close = coordinator.getByRole('region', { name: 'Avslutt møtet' });
		await close.getByLabel('Dato').fill('2027-06-15');
		await close.getByRole('button', { name: 'Avslutt møtet' }).click();
		await coordinator.waitForURL(/\/enige$/);
		await expectAccessible(coordinator);

		// The delivery arrives in the archive folder as soon as the node's job worker has sent it.
		let added: string[] = [];
		await expect
			.poll(async () => (added = (await deliveries()).filter((d) => !before.has(d))).length, { timeout: 20_000 })
			.toBe(1);
		const folder = path.join(ARCHIVE_DIR, added[0]);
		expect((await readdir(folder)).sort()).toEqual(['arkivmelding.xml', 'plan.pdf', 'referat.pdf', 'samtykker.pdf']);
		for (const pdf of ['plan.pdf', 'referat.pdf', 'samtykker.pdf'])
			expect((await readFile(path.join(folder, pdf))).subarray(0, 8).toString()).toMatch(/^%PDF-1\.7/);
		const xml = await readFile(path.join(folder, 'arkivmelding.xml'), 'utf8');
		expect(xml).toContain('xsi:type="saksmappe"');
		expect(xml).toContain('xsi:type="journalpost"');
		expect(xml.match(/<dokumentbeskrivelse>/g)).toHaveLength(3);
		expect(added[0]).not.toMatch(/\d{11}|jonas/i);
		const deliveryId = added[0].split('-').at(-1)!;

		// The administrator finds it delivered, with the folder as its receipt.
		const admin = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
		await login(admin, 'admin');
		await admin.waitForURL((url) => !url.pathname.startsWith('/login'));
		await admin.goto('/admin');
		await admin.getByRole('link', { name: 'Arkiv' }).click();
		await expect(admin.getByRole('heading', { name: 'Arkiv', level: 1 })).toBeVisible();
		const row = admin.locator(`[data-testid="recent-delivery"][data-delivery="${deliveryId}"]`);
		await expect(row).toContainText('Møte avsluttet');
		await expect(row).toContainText('Vedtatt versjon');
		await expect(row).toContainText('Levert');
		await expect(row).toContainText(added[0]);
		await expectAccessible(admin);
		await admin.context().close();
		await coordinator.context().close();
	});
});
