/**
 * The patient's view changes the live plan through plain forms (issue 10). On both engines with a real collab
 * server: a goal the patient adds is a plan goal marked as theirs, reaches a connected page at once, is stored
 * attributed to the patient and audited; whatever the rights table (via the gate) or the seat refuses writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, desc, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, docUpdates } from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import { createSession } from '../../../src/lib/server/auth/session';
import {
	getGoal,
	listGoals,
	listOwnResources,
	planDocName,
	proposeGoalTitle,
	updateGoal,
	voiceDocName
} from '../../../src/lib/plan';
import {
	addPatientGoal,
	addPatientResource,
	answerGoalProposal,
	applyAsMember,
	FORM_CHANGES,
	MemberChangeError,
	ratePatientGoal,
	rewordPatientGoal,
	rewordPatientResource
} from '../../../src/lib/server/patient-view';
import { KeyedBuckets } from '../../../src/lib/server/collab/limits';
import { cleanup, connectSynced, startNode, storedDoc, waitFor, type TestNode } from '../collab/harness';

describe.each(engines)("the patient's view on %s", (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
	});
	afterAll(cleanup);

	const deps = () => ({ db: db(), collab: node.collab });
	const access = (who: string) => planAccess(db(), demo.userIds[who], demo.planId);
	async function doc(name: string): Promise<Y.Doc> {
		const d = new Y.Doc();
		Y.applyUpdate(d, await node.collab.readDocState(name));
		return d;
	}
	const refusal = async (p: Promise<unknown>) => {
		const err = await p.then(
			() => null,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(MemberChangeError);
		return err as MemberChangeError;
	};

	it('adds a goal as a plan goal marked as the patient’s, seen at once by a connected page, stored as the patient’s and audited', async () => {
		const { token } = await createSession(db(), demo.userIds.coordinator);
		const watcher = await connectSynced(node, planDocName(demo.planId), {
			id: demo.userIds.coordinator,
			name: 'coordinator',
			token,
			cookie: `session=${token}`
		});
		const id = await addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
			title: '  Se  søsteren min hver måned ',
			lifeArea: 'social_family'
		});

		await waitFor(() => getGoal(watcher.doc, id) !== null, { what: 'the goal to reach the coordinator' });
		expect(getGoal(watcher.doc, id)).toMatchObject({
			title: 'Se søsteren min hver måned',
			expressedBy: 'patient',
			lifeArea: 'social_family',
			status: 'proposed',
			createdBy: demo.userIds.patient
		});
		await node.collab.flush();
		expect(getGoal(await storedDoc(db(), planDocName(demo.planId)), id)?.title).toBe('Se søsteren min hver måned');
		const [last] = await db()
			.select()
			.from(docUpdates)
			.where(eq(docUpdates.docName, planDocName(demo.planId)))
			.orderBy(desc(docUpdates.id))
			.limit(1);
		expect(last.userId).toBe(demo.userIds.patient);
		const events = await db()
			.select()
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.action, 'doc.change'),
					eq(auditEvents.actorId, demo.userIds.patient),
					eq(auditEvents.planId, demo.planId)
				)
			);
		expect(events.map((e) => e.target)).toContain(planDocName(demo.planId));
	});

	it('rewords the patient’s own goal and rates it; refuses staff goals, bad ratings and empty words, writing nothing', async () => {
		const own = await addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
			title: 'Lage middag selv',
			lifeArea: 'leisure'
		});
		await rewordPatientGoal(
			deps(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			own,
			'Lage middag selv to ganger i uka'
		);
		await ratePatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, '7');
		const goal = getGoal(await doc(planDocName(demo.planId)), own)!;
		expect(goal.title).toBe('Lage middag selv to ganger i uka');
		expect(goal.evaluations).toHaveLength(1);
		expect(goal.evaluations[0]).toMatchObject({ rating: 7, by: demo.userIds.patient, status: 'proposed' });

		const before = Y.encodeStateVector(await doc(planDocName(demo.planId)));
		const staffGoal = listGoals(await doc(planDocName(demo.planId))).find((g) => g.expressedBy === 'staff')!;
		expect(
			await refusal(
				rewordPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, staffGoal.id, 'Andre ord')
			)
		).toMatchObject({ status: 403 });
		expect(
			await refusal(ratePatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, '11'))
		).toMatchObject({ status: 400, field: 'rating' });
		expect(
			await refusal(
				ratePatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, 'no-such-goal', '5')
			)
		).toMatchObject({ status: 404 });
		expect(
			await refusal(rewordPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, '   '))
		).toMatchObject({ status: 400, field: 'title' });
		expect(
			await refusal(
				addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
					title: 'x'.repeat(301),
					lifeArea: 'housing'
				})
			)
		).toMatchObject({ status: 400, field: 'title' });
		expect(
			await refusal(
				addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
					title: 'Et mål',
					lifeArea: 'moon'
				})
			)
		).toMatchObject({ status: 400, field: 'lifeArea' });
		expect(Y.encodeStateVector(await doc(planDocName(demo.planId)))).toEqual(before);
	});

	it('lets only the patient add goals here: staff, the reading sister and an outsider are refused', async () => {
		const before = listGoals(await doc(planDocName(demo.planId))).length;
		for (const who of ['coordinator', 'nav', 'sister', 'outsider']) {
			expect(
				await refusal(
					addPatientGoal(deps(), demo.userIds[who], await access(who), demo.planId, {
						title: 'Ikke mitt',
						lifeArea: 'housing'
					})
				)
			).toMatchObject({ status: 403 });
		}
		expect(listGoals(await doc(planDocName(demo.planId)))).toHaveLength(before);
	});

	it('checks each change against the rights table as the gate checks a socket update: NAV may not reword the patient’s goal', async () => {
		const own = await addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
			title: 'Bo i egen leilighet',
			lifeArea: 'housing'
		});
		const err = await refusal(
			applyAsMember(deps(), demo.userIds.nav, await access('nav'), demo.planId, 'plan', (d) =>
				updateGoal(d, own, { title: 'Bo i bolig med bemanning' })
			)
		);
		expect(err).toMatchObject({ status: 403, code: 'not_allowed' });
		expect(err.message).toContain('goal/title');
		expect(getGoal(await doc(planDocName(demo.planId)), own)!.title).toBe('Bo i egen leilighet');
		// Nor may the coordinator (issue 10: staff propose a wording, the patient decides); the same path lets
		// through what the table allows: the proposal.
		expect(
			await refusal(
				applyAsMember(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, 'plan', (d) =>
					updateGoal(d, own, { title: 'Bo i egen leilighet innen sommeren' })
				)
			)
		).toMatchObject({ status: 403, code: 'not_allowed' });
		await applyAsMember(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, 'plan', (d) =>
			proposeGoalTitle(d, own, 'Bo i egen leilighet innen sommeren', demo.userIds.coordinator)
		);
		expect(getGoal(await doc(planDocName(demo.planId)), own)).toMatchObject({
			title: 'Bo i egen leilighet',
			proposal: { title: 'Bo i egen leilighet innen sommeren', by: demo.userIds.coordinator }
		});
	});

	it('the patient answers a proposed wording in their view: only they may, and an answered proposal is gone', async () => {
		const own = await addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
			title: 'Få meg en hund',
			lifeArea: 'leisure'
		});
		await applyAsMember(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, 'plan', (d) =>
			proposeGoalTitle(d, own, 'Skaffe meg en hund i løpet av året', demo.userIds.coordinator)
		);
		expect(
			await refusal(
				answerGoalProposal(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, own, 'accept')
			)
		).toMatchObject({ status: 403 });
		expect(
			await refusal(
				answerGoalProposal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, 'maybe')
			)
		).toMatchObject({ status: 400, field: 'answer' });
		await answerGoalProposal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, 'accept');
		expect(getGoal(await doc(planDocName(demo.planId)), own)).toMatchObject({
			title: 'Skaffe meg en hund i løpet av året',
			proposal: null
		});
		expect(
			await refusal(answerGoalProposal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, 'keep'))
		).toMatchObject({ status: 404, code: 'not_found' });
		// Keeping their own words clears the proposal and leaves the title.
		await applyAsMember(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, 'plan', (d) =>
			proposeGoalTitle(d, own, 'Hund', demo.userIds.coordinator)
		);
		await answerGoalProposal(deps(), demo.userIds.patient, await access('patient'), demo.planId, own, 'keep');
		expect(getGoal(await doc(planDocName(demo.planId)), own)).toMatchObject({
			title: 'Skaffe meg en hund i løpet av året',
			proposal: null
		});
	});

	it('adds and rewords own resources in the voice document; others may not write it', async () => {
		const id = await addPatientResource(
			deps(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			'Jeg er flink med dyr'
		);
		await rewordPatientResource(
			deps(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			id,
			'Jeg er flink med hunder og katter'
		);
		expect(listOwnResources(await doc(voiceDocName(demo.planId))).find((r) => r.id === id)?.text).toBe(
			'Jeg er flink med hunder og katter'
		);
		expect(
			await refusal(
				addPatientResource(
					deps(),
					demo.userIds.coordinator,
					await access('coordinator'),
					demo.planId,
					'Skrevet av andre'
				)
			)
		).toMatchObject({ status: 403 });
		// Even through the general path, the voice is the patient's alone: the coordinator's seat reads it.
		expect(
			await refusal(
				applyAsMember(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, 'voice', () => {})
			)
		).toMatchObject({ status: 403, code: 'forbidden' });
		expect(listOwnResources(await doc(voiceDocName(demo.planId))).map((r) => r.text)).not.toContain('Skrevet av andre');
	});

	it('refuses a burst of form changes past the budget with 429 "busy" and stores nothing of the refused ones', async () => {
		const goalId = await addPatientGoal(deps(), demo.userIds.patient, await access('patient'), demo.planId, {
			title: 'Gå tur hver dag',
			lifeArea: 'physical_health'
		});
		const budgeted = { ...deps(), budget: new KeyedBuckets(FORM_CHANGES) };
		const outcomes: (number | 'ok')[] = [];
		for (let i = 0; i < FORM_CHANGES.burst + 5; i++) {
			const title = `Gå tur ${i} ganger`;
			const result = await rewordPatientGoal(
				budgeted,
				demo.userIds.patient,
				await access('patient'),
				demo.planId,
				goalId,
				title
			).then(
				() => 'ok' as const,
				(e: unknown) => (e instanceof MemberChangeError ? e.status : Promise.reject(e))
			);
			outcomes.push(result);
		}
		expect(outcomes).toContain(429);
		const lastOk = outcomes.lastIndexOf('ok');
		expect(lastOk).toBeGreaterThanOrEqual(0);
		// The stored title is the last one let through, not a refused one.
		expect(getGoal(await doc(planDocName(demo.planId)), goalId)?.title).toBe(`Gå tur ${lastOk} ganger`);
		expect(outcomes.slice(lastOk + 1).every((o) => o === 429)).toBe(true);
	});
});
