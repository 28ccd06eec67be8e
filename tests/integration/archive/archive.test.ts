/**
 * The plan in the municipality's archive, on both engines with a real collab server, the real job worker, real
 * files in a temporary folder, an HTTP receiver for Fiks Arkiv started here, and Debian's PDF and XML tools: a
 * closed meeting and a closed plan each produce a delivery of PDF/A-2 files and an arkivmelding; the administrator
 * delivers by hand (202); a failing archive is retried with backoff, reaches the administrator's list and is
 * retried from there; retention deletes only what the archive has receipted, and records it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { archiveToolsAvailable, checkPdf, wellFormed, xpath } from '../../helpers/archive-tools';
import { installRuntime, sessionUser } from '../../helpers/runtime';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import {
	archiveDeliveries,
	auditEvents,
	docUpdates,
	jobs,
	meetings,
	plans,
	planVersions
} from '../../../src/lib/server/db/schema';
import { listAllMeasures, listGoals, meetingDocName, MEETING_ROOT, planDocName } from '../../../src/lib/plan';
import { setRichTextFromParagraphs } from '../../../src/lib/plan/rich-text';
import { planAccess } from '../../../src/lib/server/access/plans';
import { closeMeeting, planMeeting, type MeetingForm } from '../../../src/lib/server/meetings';
import { changePlanStatus } from '../../../src/lib/server/plans/lifecycle';
import { JobWorker } from '../../../src/lib/server/jobs/worker';
import {
	archiveJobs,
	fiksArkivAdapter,
	queueDelivery,
	retentionCandidates,
	type ArchiveAdapter
} from '../../../src/lib/server/archive';
import { POST as archivePost, GET as archiveGet } from '../../../src/routes/api/plans/[id]/archive/+server';
import { load as adminLoad, actions as adminActions } from '../../../src/routes/admin/arkiv/+page.server';
import { createPlan } from '../collab/fixtures';
import { cleanup, startNode, silentLog, type TestNode } from '../collab/harness';

const FNR = /\b\d{11}\b/;

const form = (date: string): MeetingForm => ({
	date,
	time: '10:00',
	duration: '60',
	place: 'Møterom 2, Fjordvik helsehus',
	videoLink: ''
});

/** A receiver for Fiks Arkiv: answers `failures` times with 503, then with a receipt; keeps what it was sent. */
function fiksReceiver() {
	const received: { headers: IncomingMessage['headers']; parts: Map<string, Buffer> }[] = [];
	const state = { failures: 0 };
	const server: Server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = new Request('http://receiver', {
			method: 'POST',
			headers: { 'content-type': req.headers['content-type'] ?? '' },
			body: Buffer.concat(chunks)
		});
		const parts = new Map<string, Buffer>();
		for (const [name, value] of await body.formData())
			parts.set(name, Buffer.from(await (value as Blob).arrayBuffer()));
		received.push({ headers: req.headers, parts });
		if (state.failures > 0) {
			state.failures--;
			res.writeHead(503).end();
			return;
		}
		const n = received.length;
		res.writeHead(200, { 'content-type': 'application/xml' }).end(
			`<?xml version="1.0" encoding="UTF-8"?>
<arkivmeldingKvittering xmlns="https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1">
  <mappeKvittering><systemID>00000000-0000-4000-8000-00000000000${n % 10}</systemID><opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende></mappeKvittering>
  <registreringKvittering><systemID>11111111-1111-4111-8111-11111111111${n % 10}</systemID><opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende></registreringKvittering>
</arkivmeldingKvittering>`
		);
	});
	return {
		received,
		state,
		async start() {
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			const { port } = server.address() as { port: number };
			return `http://127.0.0.1:${port}/fiks/arkiv`;
		},
		close: () => new Promise<void>((r) => server.close(() => r()))
	};
}

// Rendering three PDF/A files and running the Debian checks on each takes seconds, more on a busy machine.
describe.skipIf(!archiveToolsAvailable).each(engines)('the archive on %s', { timeout: 120_000 }, (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let dir: string;
	let restoreRuntime: () => void;
	/** The worker's clock: each pass moves it on a second, so backoff waits pass without sleeping. */
	let clock = Date.now();

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		dir = await mkdtemp(path.join(os.tmpdir(), 'fellesplan-archive-'));
		restoreRuntime = installRuntime(node.collab);
	});
	afterAll(async () => {
		restoreRuntime();
		await cleanup();
		await rm(dir, { recursive: true, force: true });
	});

	function worker(adapter?: ArchiveAdapter, retentionYears = 10) {
		const { handlers, schedules } = archiveJobs({
			db: db(),
			config: { archiveAdapter: 'folder', archiveDir: dir, fiksArkiv: null, retentionYears },
			log: silentLog,
			collab: node.collab,
			adapter,
			retentionEveryMs: 0
		});
		return new JobWorker({
			db: db(),
			log: silentLog,
			handlers,
			schedules,
			backoff: { baseMs: 60_000, maxMs: 600_000 },
			now: () => new Date((clock += 1000))
		});
	}
	/** Runs passes until no delivery waits, moving the clock on a minute whenever the next one waits for its backoff. */
	async function drain(w: JobWorker) {
		for (let i = 0; i < 2000; i++) {
			if ((await w.runOnce()) > 0) continue;
			const waiting = await db()
				.select({ id: jobs.id })
				.from(jobs)
				.where(and(eq(jobs.type, 'archive.deliver'), inArray(jobs.state, ['pending', 'running'])))
				.limit(1);
			if (waiting.length === 0) return;
			clock += 60_000;
		}
		throw new Error('the queue did not drain');
	}
	const delivery = async (id: string) =>
		(await db().select().from(archiveDeliveries).where(eq(archiveDeliveries.id, id)))[0];
	const folderOf = async (id: string) => {
		const name = (await readdir(dir)).find((n) => n.endsWith(id));
		expect(name, `a folder for delivery ${id}`).toBeTruthy();
		return path.join(dir, name!);
	};
	const admin = () => sessionUser(db(), demo.userIds.admin);

	/** The PDF checks the archive asks for; returns the text. */
	async function expectPdfA(file: string): Promise<string> {
		const check = await checkPdf(file);
		expect(check.qpdfOk, `qpdf --check ${path.basename(file)}`).toBe(true);
		expect(check.rendersOk, `ghostscript renders ${path.basename(file)}`).toBe(true);
		expect(check.xmp).toContain('<pdfaid:part>2</pdfaid:part>');
		expect(check.xmp).toMatch(/<pdfaid:conformance>[AB]<\/pdfaid:conformance>/);
		expect(check.fonts.length).toBeGreaterThan(0);
		expect(check.fonts.filter((f) => !f.embedded)).toEqual([]);
		return check.text;
	}

	/** The arkivmelding's shape: one case file, one registry entry, one document description per file, each named. */
	async function expectArkivmelding(folder: string, files: string[]) {
		const xml = path.join(folder, 'arkivmelding.xml');
		expect(await wellFormed(xml)).toBe(true);
		const count = (expr: string) => xpath(xml, `count(${expr})`);
		expect(
			await count("/*[local-name()='arkivmelding']/*[local-name()='mappe'][@*[local-name()='type']='saksmappe']")
		).toBe('1');
		expect(await count("//*[local-name()='registrering'][@*[local-name()='type']='journalpost']")).toBe('1');
		expect(await count("//*[local-name()='registrering']/*[local-name()='dokumentbeskrivelse']")).toBe(
			String(files.length)
		);
		expect(await xpath(xml, "string(//*[local-name()='antallFiler'])")).toBe(String(files.length));
		expect(
			await xpath(
				xml,
				"string(//*[local-name()='mappe']/*[local-name()='referanseEksternNoekkel']/*[local-name()='noekkel'])"
			)
		).toBe(demo.planId);
		for (const [i, name] of files.entries()) {
			const object = `//*[local-name()='dokumentbeskrivelse'][${i + 1}]/*[local-name()='dokumentobjekt']`;
			expect(await xpath(xml, `string(${object}/*[local-name()='filnavn'])`)).toBe(name);
			const bytes = await readFile(path.join(folder, name));
			expect(await xpath(xml, `string(${object}/*[local-name()='sjekksum'])`)).toBe(
				createHash('sha256').update(bytes).digest('hex')
			);
			expect(await xpath(xml, `string(${object}/*[local-name()='filstoerrelse'])`)).toBe(String(bytes.length));
		}
		const text = await readFile(xml, 'utf8');
		expect(text).not.toMatch(FNR);
		return text;
	}

	it('[AR1][AR2][AR3][AR8] a closed meeting produces a delivery: the adopted version, the minutes and the consents as PDF/A-2, with an arkivmelding naming each file', async () => {
		const coordinator = demo.userIds.coordinator;
		const access = await planAccess(db(), coordinator, demo.planId);
		const meetingId = await planMeeting(
			{ db: db(), collab: node.collab },
			coordinator,
			access,
			demo.planId,
			form('2027-01-12')
		);
		await node.collab.applyServerChange(
			meetingDocName(meetingId),
			(doc) =>
				setRichTextFromParagraphs(doc.getXmlFragment(MEETING_ROOT.minutes), ['NAV søker om AAP sammen med Jonas.']),
			coordinator
		);
		const { versionId } = await closeMeeting(
			{ db: db(), collab: node.collab },
			coordinator,
			access,
			demo.planId,
			meetingId,
			form('2027-03-09')
		);
		const [queued] = await db()
			.select()
			.from(archiveDeliveries)
			.where(and(eq(archiveDeliveries.planId, demo.planId), eq(archiveDeliveries.reason, 'meeting_closed')));
		expect(queued).toMatchObject({ versionId, meetingId, state: 'pending', requestedBy: coordinator });

		await drain(worker());
		const done = await delivery(queued.id);
		expect(done.state).toBe('delivered');
		expect(done.receipt).toMatchObject({ adapter: 'folder' });
		const folder = await folderOf(queued.id);
		expect(path.basename(folder)).toMatch(/^fellesplan-\d{8}-\d{6}-[a-z0-9]+$/);
		expect((await readdir(folder)).sort()).toEqual(['arkivmelding.xml', 'plan.pdf', 'referat.pdf', 'samtykker.pdf']);
		expect(done.files?.map((f) => f.name)).toEqual(['plan.pdf', 'referat.pdf', 'samtykker.pdf']);

		// The plan's goals and measures, as the version holds them, can be read out of the PDF.
		const planText = await expectPdfA(path.join(folder, 'plan.pdf'));
		const planDoc = (await import('yjs')).Doc;
		const doc = new planDoc();
		(await import('yjs')).applyUpdate(doc, await node.collab.readDocState(planDocName(demo.planId)));
		const goals = listGoals(doc);
		expect(goals.length).toBeGreaterThan(2);
		const flat = planText.replace(/\s+/g, ' ');
		for (const goal of goals) expect(flat).toContain(goal.title);
		for (const measure of listAllMeasures(doc).slice(0, 5)) expect(flat).toContain(measure.title);
		doc.destroy();
		expect(flat).toContain('Jonas Berg');
		expect(flat).toContain('Vedtatt versjon');
		expect(flat).not.toContain('IKKE VEDTATT');

		const minutesText = (await expectPdfA(path.join(folder, 'referat.pdf'))).replace(/\s+/g, ' ');
		expect(minutesText).toContain('NAV søker om AAP sammen med Jonas.');
		expect(minutesText).toContain('Ingrid Solberg');
		const consentText = (await expectPdfA(path.join(folder, 'samtykker.pdf'))).replace(/\s+/g, ' ');
		expect(consentText).toContain('Ahmed Karimi');

		const xml = await expectArkivmelding(folder, ['plan.pdf', 'referat.pdf', 'samtykker.pdf']);
		expect(xml).toContain('<offentligTittel>Individuell plan</offentligTittel>');
		expect(xml).toContain('<partNavn>Jonas Berg</partNavn>');
		expect(xml).toContain('<n5mdk:noekkel>' + queued.id + '</n5mdk:noekkel>');
		// The delivery is in the plan's access log, and nothing of the person is in the folder's name.
		expect(path.basename(folder)).not.toMatch(/jonas|berg/i);
		const [logged] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'archive.delivered'), eq(auditEvents.target, queued.id)));
		expect(logged).toMatchObject({ planId: demo.planId, actorId: null });
	});

	it('[AR3] a closed plan is delivered at its latest adopted version; a plan no meeting adopted goes as it stands, marked not adopted', async () => {
		await db().update(plans).set({ status: 'active' }).where(eq(plans.id, demo.planId));
		await changePlanStatus(db(), demo.planId, 'close', demo.userIds.coordinator);
		const [closedRow] = await db().select().from(plans).where(eq(plans.id, demo.planId));
		expect(closedRow.closedAt).toBeInstanceOf(Date);
		const [latest] = await db()
			.select({ id: planVersions.id })
			.from(planVersions)
			.where(eq(planVersions.planId, demo.planId));
		const [queued] = await db()
			.select()
			.from(archiveDeliveries)
			.where(and(eq(archiveDeliveries.planId, demo.planId), eq(archiveDeliveries.reason, 'plan_closed')));
		expect(queued).toMatchObject({ versionId: latest.id, state: 'pending' });

		const fresh = await createPlan(db());
		await changePlanStatus(db(), fresh.planId, 'close', fresh.coordinator.id);
		await drain(worker());
		const closedFolder = await folderOf(queued.id);
		const xml = await expectArkivmelding(closedFolder, ['plan.pdf', 'referat.pdf', 'samtykker.pdf']);
		expect(xml).toMatch(/<saksstatus>\s*<n5mdk:kode>A<\/n5mdk:kode>/);
		expect(xml).toContain('<avsluttetDato>');

		const [notAdopted] = await db().select().from(archiveDeliveries).where(eq(archiveDeliveries.planId, fresh.planId));
		expect(notAdopted).toMatchObject({ versionId: null, state: 'delivered' });
		const folder = await folderOf(notAdopted.id);
		expect((await readdir(folder)).sort()).toEqual(['arkivmelding.xml', 'plan.pdf', 'samtykker.pdf']);
		const text = (await expectPdfA(path.join(folder, 'plan.pdf'))).replace(/\s+/g, ' ');
		expect(text).toContain('IKKE VEDTATT');
		const freshXml = await readFile(path.join(folder, 'arkivmelding.xml'), 'utf8');
		expect(freshXml).toContain('(ikke vedtatt)');
	});

	it('[AR4] POST /api/plans/<id>/archive: 202 and a delivery for an administrator; 403 for anyone else, 404 for no plan; logged', async () => {
		const call = async (
			handler: typeof archivePost,
			user: Awaited<ReturnType<typeof admin>> | null,
			planId: string
		) => {
			const request = new Request(`http://app.test/api/plans/${planId}/archive`, {
				method: handler === archivePost ? 'POST' : 'GET'
			});
			const response = await handler({
				request,
				params: { id: planId },
				locals: { db: db(), user, session: null, engine }
			} as never);
			return {
				status: response.status,
				body: (await response.json()) as Record<string, unknown> & Record<string, unknown>[]
			};
		};
		const coordinator = await sessionUser(db(), demo.userIds.coordinator);
		expect((await call(archivePost, null, demo.secondPlanId)).status).toBe(401);
		expect((await call(archivePost, coordinator, demo.secondPlanId)).status).toBe(403);
		expect((await call(archivePost, await admin(), 'no-such-plan')).status).toBe(404);

		const res = await call(archivePost, await admin(), demo.secondPlanId);
		expect(res.status).toBe(202);
		expect(res.body).toMatchObject({ state: 'pending', reason: 'requested', adopted: false });
		await drain(worker());
		const list = await call(archiveGet, await admin(), demo.secondPlanId);
		expect(list.status).toBe(200);
		expect(list.body[0]).toMatchObject({ id: res.body.id, state: 'delivered', receipt: { adapter: 'folder' } });
		expect(await readdir(await folderOf(String(res.body.id)))).toContain('arkivmelding.xml');
		const events = await db()
			.select({ action: auditEvents.action, actorId: auditEvents.actorId })
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.planId, demo.secondPlanId),
					inArray(auditEvents.action, ['archive.requested', 'archive.delivered'])
				)
			);
		expect(events).toEqual(
			expect.arrayContaining([
				{ action: 'archive.requested', actorId: demo.userIds.admin },
				{ action: 'archive.delivered', actorId: null }
			])
		);
	});

	it('[AR5][J3] Fiks Arkiv over HTTP: a failing archive is retried with backoff, reaches the administrator, whose retry delivers it with the receipt', async () => {
		const receiver = fiksReceiver();
		const url = await receiver.start();
		try {
			const adapter = fiksArkivAdapter({
				url,
				account: 'a1b2c3d4-0000-4000-8000-000000000001',
				token: 'test-token',
				integrationId: 'integrasjon-1',
				integrationPassword: 'passord-1'
			});
			receiver.state.failures = 1_000;
			const queued = await queueDelivery(db(), {
				planId: demo.secondPlanId,
				reason: 'requested',
				requestedBy: demo.userIds.admin
			});
			const w = worker(adapter);
			await w.runOnce();
			const [job] = await db()
				.select()
				.from(jobs)
				.where(eq(jobs.dedupeKey, `archive.deliver:${queued.id}`));
			expect(job).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP_503' });
			// Backoff: the next attempt waits a minute (and doubles after that).
			expect(job.runAt.getTime() - clock).toBeGreaterThanOrEqual(55_000);
			expect(await delivery(queued.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP_503' });

			await drain(w);
			expect(await delivery(queued.id)).toMatchObject({ state: 'failed', attempts: 10, lastError: 'HTTP_503' });
			expect(receiver.received.length).toBe(10);
			// What was sent: the Fiks message, the arkivmelding and every file, with the settings' credentials.
			const sent = receiver.received[0];
			expect(sent.headers.authorization).toBe('Bearer test-token');
			expect(sent.headers.integrasjonid).toBe('integrasjon-1');
			expect(JSON.parse(sent.parts.get('melding')!.toString())).toEqual({
				meldingType: 'no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett',
				mottakerKontoId: 'a1b2c3d4-0000-4000-8000-000000000001',
				klientMeldingId: queued.id
			});
			expect([...sent.parts.keys()].sort()).toEqual(['arkivmelding.xml', 'melding', 'plan.pdf', 'samtykker.pdf']);
			expect(sent.parts.get('plan.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');

			// The administrator sees it, with the error, and tries again once the archive is back.
			const page = (await adminLoad({ locals: { db: db(), user: await admin() } } as never)) as {
				unreceipted: { id: string; state: string; lastError: string }[];
			};
			expect(page.unreceipted.find((d) => d.id === queued.id)).toMatchObject({
				state: 'failed',
				lastError: 'HTTP_503'
			});
			await expect(
				adminLoad({ locals: { db: db(), user: await sessionUser(db(), demo.userIds.coordinator) } } as never)
			).rejects.toMatchObject({ status: 403 });
			receiver.state.failures = 0;
			const body = new FormData();
			body.set('id', queued.id);
			expect(
				await adminActions.retry({
					locals: { db: db(), user: await admin() },
					request: new Request('http://x/admin/arkiv', { method: 'POST', body })
				} as never)
			).toEqual({ retried: queued.id });
			await drain(w);
			const done = await delivery(queued.id);
			expect(done).toMatchObject({ state: 'delivered', lastError: null });
			expect(done.receipt).toMatchObject({
				adapter: 'fiks',
				caseSystemId: expect.stringMatching(/^00000000-/),
				recordSystemId: expect.stringMatching(/^11111111-/),
				reference: done.receipt!.recordSystemId
			});
		} finally {
			await receiver.close();
		}
	});

	it('[AR6][AR7] retention deletes a closed plan only once the archive has receipted its last adopted version, records it, and shows the administrator why the rest are kept', async () => {
		const longAgo = new Date(Date.now() - 11 * 365.25 * 86_400_000);
		const recently = new Date(Date.now() - 5 * 365.25 * 86_400_000);
		// The demo plan: closed, its last version receipted above.
		await db().update(plans).set({ closedAt: longAgo }).where(eq(plans.id, demo.planId));
		// A plan never adopted, closed and delivered as it stood: may go too.
		const delivered = await createPlan(db());
		await changePlanStatus(db(), delivered.planId, 'close');
		// Closed long ago, never delivered: kept.
		const undelivered = await createPlan(db());
		await db().update(plans).set({ status: 'closed', closedAt: longAgo }).where(eq(plans.id, undelivered.planId));
		// Closed long ago, its delivery failed: kept.
		const failed = await createPlan(db());
		await changePlanStatus(db(), failed.planId, 'close');
		// Receipted, but closed only five years ago: not due.
		const young = await createPlan(db());
		await changePlanStatus(db(), young.planId, 'close');
		await drain(worker());
		await db()
			.update(archiveDeliveries)
			.set({ state: 'failed', receipt: null })
			.where(eq(archiveDeliveries.planId, failed.planId));
		for (const id of [delivered.planId, failed.planId])
			await db().update(plans).set({ closedAt: longAgo }).where(eq(plans.id, id));
		await db().update(plans).set({ closedAt: recently }).where(eq(plans.id, young.planId));
		// The second plan's receipt is for the plan not adopted: once a version is adopted, it no longer counts.
		const [{ id: meetingId }] = await db()
			.select({ id: meetings.id })
			.from(meetings)
			.where(eq(meetings.planId, demo.planId))
			.limit(1);
		const [newer] = await db()
			.insert(planVersions)
			.values({ planId: demo.secondPlanId, meetingId: null, adoptedBy: demo.userIds.coordinator })
			.returning();
		await db().update(plans).set({ status: 'closed', closedAt: longAgo }).where(eq(plans.id, demo.secondPlanId));
		expect(meetingId).toBeTruthy();

		const before = await retentionCandidates(db(), new Date(), 10);
		const reasons = Object.fromEntries(before.map((c) => [c.planId, c.kept]));
		expect(reasons).toEqual({
			[demo.planId]: null,
			[delivered.planId]: null,
			[undelivered.planId]: 'no_delivery',
			[failed.planId]: 'failed',
			[demo.secondPlanId]: 'no_delivery'
		});
		const page = (await adminLoad({ locals: { db: db(), user: await admin() } } as never)) as {
			kept: { planId: string; kept: string }[];
		};
		expect(page.kept.map((k) => k.planId).sort()).toEqual(
			[undelivered.planId, failed.planId, demo.secondPlanId].sort()
		);
		expect(newer.planId).toBe(demo.secondPlanId);

		// The hourly pass (a schedule of its own) deletes the two receipted plans and nothing else.
		const { handlers } = archiveJobs({
			db: db(),
			config: { archiveAdapter: 'folder', archiveDir: dir, fiksArkiv: null, retentionYears: 10 },
			log: silentLog,
			collab: node.collab
		});
		const pass = new JobWorker({
			db: db(),
			log: silentLog,
			handlers,
			schedules: [{ type: 'archive.retention', everyMs: 1 }]
		});
		await pass.runOnce();
		const left = (await db().select({ id: plans.id }).from(plans)).map((p) => p.id);
		expect(left).not.toContain(demo.planId);
		expect(left).not.toContain(delivered.planId);
		for (const kept of [undelivered.planId, failed.planId, demo.secondPlanId, young.planId])
			expect(left).toContain(kept);
		expect(
			await db()
				.select()
				.from(docUpdates)
				.where(eq(docUpdates.docName, planDocName(demo.planId)))
		).toEqual([]);
		expect(
			await db()
				.select()
				.from(docUpdates)
				.where(eq(docUpdates.docName, meetingDocName(meetingId)))
		).toEqual([]);
		const [recorded] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.deleted'), eq(auditEvents.planId, demo.planId)));
		expect(recorded.detail).toMatchObject({ reason: 'retention', retentionYears: 10 });
		// The receipt outlives the plan: where it went stays known.
		const [proof] = await db().select().from(archiveDeliveries).where(eq(archiveDeliveries.id, recorded.target!));
		expect(proof).toMatchObject({ planId: demo.planId, state: 'delivered' });
	});
});
