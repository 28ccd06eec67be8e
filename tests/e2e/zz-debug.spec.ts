import { test } from './fixtures';
import { freshLogin, openPlanFromList } from './collab-helpers';
test('debug shots', async ({ browser }) => {
	const page = await freshLogin(browser, 'koordinator');
	await page.setViewportSize({ width: 1280, height: 800 });
	await openPlanFromList(page);
	const measure = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Behandle søknad om kommunal utleiebolig', exact: true }) });
	await measure.scrollIntoViewIfNeeded();
	await page.screenshot({ path: '/tmp/shot-measure.png' });
	const goal = page.getByRole('article', { name: 'Flytte til egen leilighet' });
	await goal.screenshot({ path: '/tmp/shot-goal.png' });
	console.log('heights', await page.evaluate(() => [...document.querySelectorAll('li.measure')].map((e) => Math.round(e.getBoundingClientRect().height)).join(',')));
	console.log('doc height', await page.evaluate(() => document.documentElement.scrollHeight));
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: '/tmp/shot-top.png' });
	await page.emulateMedia({ media: 'print' });
	await page.pdf({ path: '/tmp/plan-editor.pdf', format: 'A4' });
	await page.context().close();
});
