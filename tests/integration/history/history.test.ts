/**
 * The plan's history (issue 9), on both engines with a real collab server: the attributed log in sessions by
 * person, the plan rebuilt at any point exactly as it stood live, adopted versions, comparisons, restoring as a
 * new change through the socket's gate, and consent deciding which documents' history a person sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, count, desc, eq, inArray, max } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { installRuntime, sessionUser } from '../../helpers/runtime';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, consents, docUpdates } from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import {
	addGoal,
	crisisDocName,
	DOC_KINDS,
	DOC_PREFIX,
	getGoal,
	getMeasure,
	getWhatHelps,
	listAllMeasures,
	planDocName,
	removeGoal,
	removeMeasure,
	renderPlan,
	setRichTextFromParagraphs,
	updateGoal,
	updateMeasure,
	voiceDocName
} from '../../../src/lib/plan';
import { applyAsMember, MemberChangeError } from '../../../src/lib/server/patient-view';
import {
	adoptPlanVersion,
	compareStates,
	destroyDocs,
	docsAtPoint,
	historyKinds,
	lastUpdateAt,
	listPlanVersions,
	loadTimeline,
	restoreFromHistory,
	SESSIONS_PER_PAGE,
	stateAt,
	type HistoryPoint
} from '../../../src/lib/server/history';
import { withdrawConsent } from '../../../src/lib/server/consent/withdraw';
import { load as historyLoad, actions as historyActions } from '../../../src/routes/plans/[id]/historikk/+page.server';
import { cleanup, startNode, type TestNode } from '../collab/harness';

describe.each(engines)('plan history on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let restoreRuntime = () => {};

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		restoreRuntime = installRuntime(node.collab);
	});
	afterAll(async () => {
		restoreRuntime();
		await cleanup();
	});

	const deps = () => ({ db: db(), collab: node.collab });
	const access = (who: string) => planAccess(db(), demo.userIds[who], demo.planId);
	const as = async (who: string, kind: 'plan' | 'crisis' | 'voice', change: (d: Y.Doc) => void) =>
		applyAsMember(deps(), demo.userIds[who], await access(who), demo.planId, kind, change);
	async function liveDocs(): Promise<Record<string, Y.Doc>> {
		const out: Record<string, Y.Doc> = {};
		for (const kind of DOC_KINDS) {
			const d = new Y.Doc();
			Y.applyUpdate(d, await node.collab.readDocState(DOC_PREFIX[kind] + demo.planId));
			out[kind] = d;
		}
		return out;
	}
	/** The last stored update of the plan's documents: the point "now" stands at, once flushed. */
	async function lastId(): Promise<number> {
		await node.collab.flush();
		const names = [planDocName(demo.planId), crisisDocName(demo.planId), voiceDocName(demo.planId)];
		const [row] = await db()
			.select({ id: max(docUpdates.id) })
			.from(docUpdates)
			.where(inArray(docUpdates.docName, names));
		return Number(row.id);
	}
	const render = (docs: Record<string, Y.Doc | undefined>) => JSON.stringify(renderPlan(docs));
	const measureTitled = async (start: string) =>
		listAllMeasures((await liveDocs()).plan).find((x) => x.title.startsWith(start))!;
	const userOf = (who: string) => sessionUser(db(), demo.userIds[who]);

	it('groups the attributed log by person and working session, newest first, and says what each changed', async () => {
		await as('patient', 'plan', (d) =>
			addGoal(d, {
				id: 'histgoalone',
				title: 'Gå tur hver dag',
				lifeArea: 'leisure',
				expressedBy: 'patient',
				createdBy: demo.userIds.patient
			})
		);
		await as('patient', 'plan', (d) => updateGoal(d, 'histgoalone', { title: 'Gå tur hver dag med hunden' }));
		const budget = await measureTitled('Lage månedsbudsjett');
		await as('coordinator', 'plan', (d) => updateMeasure(d, budget.id, { dueDate: '2027-03-31' }));
		await as('coordinator', 'crisis', (d) =>
			setRichTextFromParagraphs(getWhatHelps(d), ['Rolig musikk og en kopp te hjelper meg.'])
		);
		// A change with nobody behind it is the server's own.
		await node.collab.applyServerChange(
			planDocName(demo.planId),
			(d) => updateGoal(d, 'histgoalone', { level: 'reduction' }),
			null
		);
		await node.collab.flush();

		const { sessions } = await loadTimeline(db(), demo.planId, DOC_KINDS);
		expect(sessions[0]).toMatchObject({ userId: null, kinds: ['plan'] });
		expect(sessions[0].diff.goals).toEqual([
			{
				id: 'histgoalone',
				change: 'changed',
				title: 'Gå tur hver dag med hunden',
				fields: [{ field: 'level', before: null, after: 'reduction' }]
			}
		]);
		const coordinator = sessions[1];
		expect(coordinator).toMatchObject({ userId: demo.userIds.coordinator, updates: 2 });
		expect(coordinator.kinds.sort()).toEqual(['crisis', 'plan']);
		expect(coordinator.diff.measures).toEqual([
			{
				id: budget.id,
				change: 'changed',
				title: budget.title,
				fields: [{ field: 'dueDate', before: budget.dueDate, after: '2027-03-31' }]
			}
		]);
		expect(coordinator.diff.texts.map((t) => t.field)).toEqual(['whatHelps']);
		expect(coordinator.diff.goals).toEqual([]);
		// The patient's two updates are one session (the seeded voice, written by the patient just before, joins it).
		const patient = sessions[2];
		expect(patient.userId).toBe(demo.userIds.patient);
		expect(patient.diff.goals).toEqual([
			{ id: 'histgoalone', change: 'added', title: 'Gå tur hver dag med hunden', fields: [] }
		]);
		expect(patient.updates).toBeGreaterThanOrEqual(2);
		// Sessions follow each other without gaps or overlaps, newest first.
		for (let i = 1; i < sessions.length; i++) expect(sessions[i].lastId).toBeLessThan(sessions[i - 1].firstId);
	});

	it('pages the timeline by sessions: the older page continues where the newer one ends, each session told from its own edges', async () => {
		// Alternating people: every update is its own session.
		for (let i = 0; i < 24; i++) {
			const who = i % 2 === 0 ? 'patient' : 'coordinator';
			await as(who, 'plan', (d) =>
				addGoal(d, {
					id: `histpage${i}`,
					title: `Mål nummer ${i}`,
					lifeArea: 'other',
					expressedBy: who === 'patient' ? 'patient' : 'staff',
					createdBy: demo.userIds[who]
				})
			);
		}
		await node.collab.flush();
		const first = await loadTimeline(db(), demo.planId, DOC_KINDS, 1);
		const second = await loadTimeline(db(), demo.planId, DOC_KINDS, 2);
		expect(first.sessions).toHaveLength(SESSIONS_PER_PAGE);
		expect(first.hasMore).toBe(true);
		expect(first.sessions.map((s) => s.diff.goals[0]?.title)).toEqual(
			Array.from({ length: SESSIONS_PER_PAGE }, (_, i) => `Mål nummer ${23 - i}`)
		);
		expect(second.sessions[0].lastId).toBeLessThan(first.sessions.at(-1)!.firstId);
		expect(second.sessions.slice(0, 4).map((s) => s.diff.goals)).toEqual(
			[3, 2, 1, 0].map((i) => [{ id: `histpage${i}`, change: 'added', title: `Mål nummer ${i}`, fields: [] }])
		);
		expect(second.total).toBe(first.total);
		// A page past the end shows the last one.
		expect((await loadTimeline(db(), demo.planId, DOC_KINDS, 10_000)).page).toBe(
			Math.ceil(first.total / SESSIONS_PER_PAGE)
		);
	});

	it('rebuilds the plan at any point exactly as it stood live then, and finds the point for a date and time', async () => {
		const points: { id: number; rendered: string; at: Date }[] = [];
		const record = async () => {
			const id = await lastId();
			const docs = await liveDocs();
			points.push({ id, rendered: render(docs), at: new Date() });
			Object.values(docs).forEach((d) => d.destroy());
		};
		await record();
		await as('coordinator', 'plan', (d) =>
			addGoal(d, {
				id: 'histgoaltwo',
				title: 'Ha en fast lege jeg stoler på',
				lifeArea: 'physical_health',
				expressedBy: 'staff',
				createdBy: demo.userIds.coordinator
			})
		);
		await record();
		await as('coordinator', 'crisis', (d) =>
			setRichTextFromParagraphs(getWhatHelps(d), ['Å gå en tur ute hjelper.', 'Å snakke med søsteren min.'])
		);
		await record();
		await as('coordinator', 'plan', (d) => removeGoal(d, 'histgoaltwo'));
		await record();
		for (const p of points) {
			const docs = await docsAtPoint(deps(), demo.planId, DOC_KINDS, { kind: 'update', id: p.id });
			expect(render(docs!)).toBe(p.rendered);
			destroyDocs(docs);
		}
		// "Now" is the live plan.
		const now = await docsAtPoint(deps(), demo.planId, DOC_KINDS, { kind: 'now' });
		expect(render(now!)).toBe(points.at(-1)!.rendered);
		destroyDocs(now);
		// A moment in time is the last update stored by then.
		expect(await lastUpdateAt(db(), demo.planId, DOC_KINDS, new Date())).toBe(points.at(-1)!.id);
		expect(await lastUpdateAt(db(), demo.planId, DOC_KINDS, new Date('2000-01-01T00:00:00Z'))).toBe(0);
	});

	it('shows an adopted version as it was adopted, and compares it with now: an added goal, a changed measure field and a text change', async () => {
		await node.collab.flush();
		const versionId = await adoptPlanVersion(db(), {
			planId: demo.planId,
			meetingId: null,
			adoptedBy: demo.userIds.coordinator
		});
		const adopted = await liveDocs();
		const adoptedRender = render(adopted);
		Object.values(adopted).forEach((d) => d.destroy());

		await as('coordinator', 'plan', (d) =>
			addGoal(d, {
				id: 'histgoalthree',
				title: 'Komme i jobb på sikt',
				lifeArea: 'work_activity',
				expressedBy: 'staff',
				createdBy: demo.userIds.coordinator
			})
		);
		const budget = await measureTitled('Lage månedsbudsjett');
		await as('coordinator', 'plan', (d) => updateMeasure(d, budget.id, { dueDate: '2027-04-30' }));
		await as('coordinator', 'crisis', (d) =>
			setRichTextFromParagraphs(getWhatHelps(d), ['Å gå en lang tur ute hjelper.', 'Å snakke med søsteren min.'])
		);

		expect((await listPlanVersions(db(), demo.planId)).map((v) => v.id)).toContain(versionId);
		const version: HistoryPoint = { kind: 'version', id: versionId };
		const docs = await docsAtPoint(deps(), demo.planId, DOC_KINDS, version);
		expect(render(docs!)).toBe(adoptedRender);
		destroyDocs(docs);

		const changes = await compareStates(
			db(),
			(await stateAt(deps(), demo.planId, DOC_KINDS, version))!,
			(await stateAt(deps(), demo.planId, DOC_KINDS, { kind: 'now' }))!
		);
		expect(changes.goals).toEqual([
			expect.objectContaining({ id: 'histgoalthree', change: 'added', title: 'Komme i jobb på sikt' })
		]);
		expect(changes.measures).toEqual([
			expect.objectContaining({
				id: budget.id,
				change: 'changed',
				fields: [{ field: 'dueDate', before: '2027-03-31', after: '2027-04-30', diff: null }]
			})
		]);
		const helps = changes.texts.find((t) => t.field === 'whatHelps')!;
		expect(helps.diff.filter((p) => p.op === 'ins').map((p) => p.text.trim())).toEqual(['lang']);
		expect(helps.diff.filter((p) => p.op === 'del')).toEqual([]);
		expect(helps.diff.map((p) => p.text).join('')).toBe('Å gå en lang tur ute hjelper.\nÅ snakke med søsteren min.');
		// Another plan's version is not this plan's.
		expect(await docsAtPoint(deps(), demo.secondPlanId, DOC_KINDS, version)).toBeNull();
	});

	it('restores an earlier goal, measure or text as a new change attributed to the restorer; refuses whoever may not change it', async () => {
		const budget = await measureTitled('Lage månedsbudsjett');
		const before = await lastId();
		const rowsBefore = await db()
			.select({ n: count() })
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)));
		const oldest = await db()
			.select()
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)))
			.orderBy(docUpdates.id)
			.limit(3);
		await as('coordinator', 'plan', (d) => updateMeasure(d, budget.id, { title: 'Budsjett', dueDate: '2027-06-30' }));
		await as('patient', 'plan', (d) =>
			addGoal(d, {
				id: 'histgoalfour',
				title: 'Lære å sykle',
				lifeArea: 'leisure',
				expressedBy: 'patient',
				createdBy: demo.userIds.patient
			})
		);
		const withGoal = await lastId();
		await as('patient', 'plan', (d) => updateGoal(d, 'histgoalfour', { title: 'Lære å sykle til jobben' }));
		await as('coordinator', 'crisis', (d) => setRichTextFromParagraphs(getWhatHelps(d), ['Noe helt annet.']));

		// The coordinator puts the measure back as it was: a new update by the coordinator, audited.
		await restoreFromHistory(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			{ kind: 'update', id: before },
			{ what: 'measure', id: budget.id }
		);
		await node.collab.flush();
		expect(getMeasure((await liveDocs()).plan, budget.id)).toMatchObject({
			title: budget.title,
			dueDate: budget.dueDate
		});
		const [last] = await db()
			.select()
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)))
			.orderBy(desc(docUpdates.id))
			.limit(1);
		expect(last.userId).toBe(demo.userIds.coordinator);
		expect(last.id).toBeGreaterThan(withGoal);
		const audit = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'history.restored'), eq(auditEvents.actorId, demo.userIds.coordinator)));
		expect(audit.at(-1)).toMatchObject({
			planId: demo.planId,
			target: planDocName(demo.planId),
			detail: { what: 'measure', id: budget.id, from: String(before) }
		});

		// NAV may not reword the patient's goal, so may not restore its wording either; nothing is written.
		const beforeRefusal = await lastId();
		const refused = await restoreFromHistory(
			deps(),
			demo.userIds.nav,
			await access('nav'),
			demo.planId,
			{ kind: 'update', id: withGoal },
			{ what: 'goal', id: 'histgoalfour' }
		).then(
			() => null,
			(e: unknown) => e
		);
		expect(refused).toBeInstanceOf(MemberChangeError);
		expect(refused).toMatchObject({ status: 403, code: 'not_allowed' });
		// The sister reads the crisis plan only: she restores nothing there.
		await expect(
			restoreFromHistory(
				deps(),
				demo.userIds.sister,
				await access('sister'),
				demo.planId,
				{ kind: 'update', id: before },
				{ what: 'text', field: 'whatHelps' }
			)
		).rejects.toMatchObject({ status: 403 });
		expect(await lastId()).toBe(beforeRefusal);
		// The patient may: their own goal's words come back.
		await restoreFromHistory(
			deps(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			{ kind: 'update', id: withGoal },
			{ what: 'goal', id: 'histgoalfour' }
		);
		expect(getGoal((await liveDocs()).plan, 'histgoalfour')?.title).toBe('Lære å sykle');

		// A removed goal comes back with its id; the coordinator restores the crisis text.
		await as('coordinator', 'plan', (d) => removeGoal(d, 'histgoalfour'));
		expect(getGoal((await liveDocs()).plan, 'histgoalfour')).toBeNull();
		await restoreFromHistory(
			deps(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			{ kind: 'update', id: withGoal },
			{ what: 'goal', id: 'histgoalfour' }
		);
		expect(getGoal((await liveDocs()).plan, 'histgoalfour')).toMatchObject({
			title: 'Lære å sykle',
			expressedBy: 'patient',
			createdBy: demo.userIds.patient
		});
		await restoreFromHistory(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			{ kind: 'update', id: before },
			{ what: 'text', field: 'whatHelps' }
		);
		const [beforeDocs, nowDocs] = [
			await docsAtPoint(deps(), demo.planId, ['crisis'], { kind: 'update', id: before }),
			await liveDocs()
		];
		expect(JSON.stringify(renderPlan({ crisis: nowDocs.crisis }))).toBe(
			JSON.stringify(renderPlan({ crisis: beforeDocs!.crisis }))
		);
		destroyDocs(beforeDocs);

		// A removed measure comes back as a new request to its service (answers are the service's to give).
		await as('coordinator', 'plan', (d) => removeMeasure(d, budget.id));
		expect(getMeasure((await liveDocs()).plan, budget.id)).toBeNull();
		await restoreFromHistory(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			{ kind: 'update', id: before },
			{ what: 'measure', id: budget.id }
		);
		expect(getMeasure((await liveDocs()).plan, budget.id)).toMatchObject({
			title: budget.title,
			dueDate: budget.dueDate,
			goalId: budget.goalId,
			status: 'requested'
		});

		// History is never rewritten: the rows there before are all still there, unchanged.
		const rowsAfter = await db()
			.select({ n: count() })
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)));
		expect(rowsAfter[0].n).toBeGreaterThan(rowsBefore[0].n);
		const oldestAfter = await db()
			.select()
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)))
			.orderBy(docUpdates.id)
			.limit(3);
		expect(oldestAfter).toEqual(oldest);
	});

	it('the page and its restore form: read is audited, the restore goes through the gate as the person', async () => {
		const before = await lastId();
		const budget = await measureTitled('Lage månedsbudsjett');
		await as('coordinator', 'plan', (d) => updateMeasure(d, budget.id, { title: 'Budsjett igjen' }));
		const coordinator = await userOf('coordinator');
		const url = new URL(`http://localhost/plans/${demo.planId}/historikk?at=${before}&compare=now`);
		const data = (await historyLoad({
			params: { id: demo.planId },
			url,
			locals: { db: db(), user: coordinator, engine, session: null }
		} as never)) as Record<string, unknown> & {
			comparison: { changes: { measures: { id: string; fields: { field: string }[] }[] } };
			timeline: { sessions: { userId: string | null }[] };
		};
		expect(data.comparison.changes.measures).toEqual([
			expect.objectContaining({ id: budget.id, fields: [expect.objectContaining({ field: 'title' })] })
		]);
		expect(data.timeline.sessions[0].userId).toBe(demo.userIds.coordinator);
		const read = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'history.read'), eq(auditEvents.actorId, coordinator.id)));
		expect(read.at(-1)?.detail).toMatchObject({
			parts: ['plan', 'crisis', 'voice'],
			at: String(before),
			compare: 'now'
		});

		// A date and time asked for becomes the log's point at that moment, in the address.
		const asked = new URL(`http://localhost/plans/${demo.planId}/historikk?when=2000-01-01T12:00&compare=now`);
		const redirected = await Promise.resolve(
			historyLoad({
				params: { id: demo.planId },
				url: asked,
				locals: { db: db(), user: coordinator, engine, session: null }
			} as never)
		).then(
			() => null,
			(e: unknown) => e
		);
		expect(redirected).toMatchObject({ status: 303, location: `/plans/${demo.planId}/historikk?compare=now&at=0` });

		const form = new FormData();
		form.set('from', String(before));
		form.set('what', 'measure');
		form.set('id', budget.id);
		const request = new Request(`http://localhost/plans/${demo.planId}/historikk?/restore`, {
			method: 'POST',
			body: form
		});
		const sister = await userOf('sister');
		const refused = await historyActions.restore({
			params: { id: demo.planId },
			request: request.clone(),
			url,
			locals: { db: db(), user: sister, engine, session: null }
		} as never);
		expect(refused).toMatchObject({ status: 403, data: { restore: { error: 'forbidden' } } });
		const done = await historyActions.restore({
			params: { id: demo.planId },
			request,
			url,
			locals: { db: db(), user: coordinator, engine, session: null }
		} as never);
		expect(done).toMatchObject({ restore: { done: true } });
		expect(getMeasure((await liveDocs()).plan, budget.id)?.title).toBe(budget.title);
	});

	it('shows only the documents a person may see now: the sister sees crisis history only, without it nothing; outsiders get 403', async () => {
		expect(historyKinds((await access('sister'))!)).toEqual(['crisis']);
		const sister = await userOf('sister');
		const url = new URL(`http://localhost/plans/${demo.planId}/historikk`);
		const call = async (user: unknown) =>
			Promise.resolve(
				historyLoad({ params: { id: demo.planId }, url, locals: { db: db(), user, engine, session: null } } as never)
			).then(
				(d: unknown) => ({
					status: 200,
					data: d as {
						kinds: string[];
						timeline: { sessions: { kinds: string[]; goals: unknown[]; measures: unknown[]; texts: string[] }[] };
					}
				}),
				(e: { status?: number }) => ({ status: e.status ?? 500, data: null })
			);
		const seen = await call(sister);
		expect(seen.status).toBe(200);
		expect(seen.data!.kinds).toEqual(['crisis']);
		expect(seen.data!.timeline.sessions.length).toBeGreaterThan(0);
		for (const s of seen.data!.timeline.sessions) {
			expect(s.kinds).toEqual(['crisis']);
			expect(s.goals).toEqual([]);
			expect(s.measures).toEqual([]);
			for (const t of s.texts) expect(['warningSigns', 'whatHelps', 'wishes', 'contacts', 'openReturn']).toContain(t);
		}
		expect((await call(await userOf('outsider'))).status).toBe(403);

		// Without the crisis scope (she keeps the meetings), the sister sees no history at all.
		const [grant] = await db()
			.select()
			.from(consents)
			.where(and(eq(consents.planId, demo.planId), eq(consents.granteeUserId, demo.userIds.sister)));
		await withdrawConsent(db(), demo.planId, grant.id, demo.userIds.patient);
		await db()
			.insert(consents)
			.values({
				planId: demo.planId,
				kind: 'access',
				granteeUserId: demo.userIds.sister,
				scopes: ['meetings'],
				validFrom: new Date(Date.now() - 60_000),
				givenBy: 'patient',
				recordedBy: demo.userIds.coordinator
			});
		const after = await access('sister');
		expect([...after!.scopes]).toEqual(['meetings']);
		expect(historyKinds(after!)).toEqual([]);
		expect((await call(sister)).status).toBe(403);
		await expect(
			restoreFromHistory(
				deps(),
				demo.userIds.sister,
				after,
				demo.planId,
				{ kind: 'update', id: 1 },
				{ what: 'text', field: 'whatHelps' }
			)
		).rejects.toMatchObject({ status: 403 });
	});
});
