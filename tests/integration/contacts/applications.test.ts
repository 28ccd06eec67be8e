/**
 * Applications and decisions on both engines: the lifecycle from prepared to decided (and appealed), validation
 * naming the field, who may record, and a measure waiting on an application showing its decision when it comes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { applications, auditEvents } from '../../../src/lib/server/db/schema';
import { listAllMeasures, planDocName } from '../../../src/lib/plan';
import { FollowUpError } from '../../../src/lib/server/contacts';
import {
	createApplication,
	listApplications,
	measureWaits,
	recentDecisions,
	updateApplication,
	type ApplicationInput
} from '../../../src/lib/server/applications';
import { planWarnings } from '../../../src/lib/server/plans/warnings';
import { osloToday, addDays } from '../../../src/lib/server/oslo-day';
import { cleanup, startNode, type TestNode } from '../collab/harness';

describe.each(engines)('applications and decisions on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let measureId: string;
	const ctx = () => ({ db: db(), collab: node.collab });
	const today = () => osloToday();
	const create = (who: string, input: ApplicationInput) =>
		createApplication(ctx(), demo.userIds[who], demo.planId, input);
	const update = (who: string, id: string, input: ApplicationInput) =>
		updateApplication(ctx(), demo.userIds[who], demo.planId, id, input);
	const refusal = async (p: Promise<unknown>) => {
		const err = await p.then(
			() => null,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(FollowUpError);
		return err as FollowUpError;
	};

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await node.collab.readDocState(planDocName(demo.planId)));
		measureId = listAllMeasures(doc)[0].id;
	});
	afterAll(cleanup);

	it('goes from prepared to sent to decided, and the measure waiting on it shows each step', async () => {
		const sentOn = addDays(today(), -20);
		const { id } = await create('housing', {
			what: 'Bostøtte',
			serviceId: demo.serviceIds.housing,
			status: 'prepared',
			measureIds: [measureId]
		});
		expect((await measureWaits(db(), demo.planId))[measureId]).toMatchObject([
			{ applicationId: id, what: 'Bostøtte', to: 'Boligkontoret', status: 'prepared', outcome: null }
		]);

		await update('housing', id, {
			what: 'Bostøtte',
			serviceId: demo.serviceIds.housing,
			status: 'sent',
			appliedOn: sentOn,
			expectedOn: addDays(today(), 10),
			measureIds: [measureId]
		});
		expect((await measureWaits(db(), demo.planId))[measureId]).toMatchObject([
			{ status: 'sent', appliedOn: sentOn, to: 'Boligkontoret' }
		]);
		expect(await recentDecisions(db(), demo.planId)).toEqual([]);

		// The decision comes: the measure shows it, and the coordinator sees that it came in.
		await update('coordinator', id, {
			what: 'Bostøtte',
			serviceId: demo.serviceIds.housing,
			status: 'decided',
			appliedOn: sentOn,
			outcome: 'granted',
			decidedOn: today(),
			decisionText: 'Fra neste måned',
			measureIds: [measureId]
		});
		expect((await measureWaits(db(), demo.planId))[measureId]).toMatchObject([
			{ status: 'decided', outcome: 'granted', decidedOn: today() }
		]);
		expect((await planWarnings(db(), demo.planId)).filter((w) => w.kind === 'decision_arrived')).toMatchObject([
			{ applicationId: id, what: 'Bostøtte', outcome: 'granted', decidedOn: today() }
		]);
		const [listed] = (await listApplications(db(), demo.planId)).filter((a) => a.id === id);
		expect(listed).toMatchObject({
			status: 'decided',
			outcome: 'granted',
			decisionText: 'Fra neste måned',
			measureIds: [measureId],
			to: 'Boligkontoret'
		});

		// Appealed, then decided again; a decided application is not withdrawn.
		await update('housing', id, {
			what: 'Bostøtte',
			serviceId: demo.serviceIds.housing,
			status: 'appealed',
			appliedOn: sentOn,
			outcome: 'granted',
			decidedOn: today(),
			measureIds: [measureId]
		});
		expect(
			await refusal(
				update('housing', id, {
					what: 'Bostøtte',
					serviceId: demo.serviceIds.housing,
					status: 'prepared',
					measureIds: [measureId]
				})
			)
		).toMatchObject({ status: 409, field: 'status' });
		await update('housing', id, {
			what: 'Bostøtte',
			serviceId: demo.serviceIds.housing,
			status: 'decided',
			appliedOn: sentOn,
			outcome: 'partly',
			decidedOn: today(),
			measureIds: [measureId]
		});
		expect(
			await refusal(
				update('housing', id, {
					what: 'Bostøtte',
					serviceId: demo.serviceIds.housing,
					status: 'withdrawn',
					appliedOn: sentOn
				})
			)
		).toMatchObject({ status: 409 });
		expect((await measureWaits(db(), demo.planId))[measureId]).toMatchObject([{ outcome: 'partly' }]);

		const events = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.planId, demo.planId), eq(auditEvents.target, id)));
		expect(events.map((e) => e.action)).toEqual([
			'application.recorded',
			'application.updated',
			'application.updated',
			'application.updated',
			'application.updated'
		]);
		expect(JSON.stringify(events.map((e) => e.detail))).not.toContain('Bostøtte');
	});

	it('a free-text body instead of a service; a withdrawn application no longer holds a measure up', async () => {
		const { id } = await create('nav', {
			what: 'Tannbehandling',
			body: 'Statsforvalteren',
			status: 'sent',
			appliedOn: today(),
			measureIds: [measureId]
		});
		expect((await measureWaits(db(), demo.planId))[measureId].map((w) => w.applicationId)).toContain(id);
		await update('nav', id, {
			what: 'Tannbehandling',
			body: 'Statsforvalteren',
			status: 'withdrawn',
			appliedOn: today(),
			measureIds: [measureId]
		});
		expect((await measureWaits(db(), demo.planId))[measureId].map((w) => w.applicationId)).not.toContain(id);
		expect(
			await refusal(
				update('nav', id, { what: 'Tannbehandling', body: 'Statsforvalteren', status: 'sent', appliedOn: today() })
			)
		).toMatchObject({ status: 409 });
		expect((await listApplications(db(), demo.planId)).find((a) => a.id === id)).toMatchObject({
			to: 'Statsforvalteren',
			status: 'withdrawn'
		});
	});

	it('checks every field on the server, naming it, and writes nothing', async () => {
		const before = (await db().select().from(applications)).length;
		const base = { what: 'Uføretrygd', serviceId: demo.serviceIds.nav, status: 'sent', appliedOn: today() };
		const cases: Array<[ApplicationInput, string]> = [
			[{ ...base, what: '  ' }, 'what'],
			[{ ...base, what: 'x'.repeat(121) }, 'what'],
			[{ ...base, what: ['a'] }, 'what'],
			[{ ...base, serviceId: '' }, 'serviceId'],
			[{ ...base, serviceId: 'no-such-service' }, 'serviceId'],
			[{ ...base, body: 'Statsforvalteren' }, 'body'],
			[{ ...base, status: 'lost' }, 'status'],
			[{ ...base, appliedOn: '' }, 'appliedOn'],
			[{ ...base, appliedOn: '2026-13-01' }, 'appliedOn'],
			[{ ...base, appliedOn: addDays(today(), 3) }, 'appliedOn'],
			[{ ...base, expectedOn: addDays(today(), -3) }, 'expectedOn'],
			[{ ...base, status: 'decided', decidedOn: today() }, 'outcome'],
			[{ ...base, status: 'decided', outcome: 'maybe', decidedOn: today() }, 'outcome'],
			[{ ...base, status: 'decided', outcome: 'refused' }, 'decidedOn'],
			[{ ...base, outcome: 'granted', decidedOn: today() }, 'outcome'],
			[
				{ ...base, status: 'decided', outcome: 'refused', decidedOn: today(), decisionText: 'x'.repeat(501) },
				'decisionText'
			],
			[{ ...base, measureIds: ['no-such-measure'] }, 'measureIds'],
			[{ ...base, measureIds: [{}] }, 'measureIds']
		];
		for (const [input, field] of cases)
			expect(await refusal(create('nav', input)), field).toMatchObject({ status: 400, field });
		expect((await db().select().from(applications)).length).toBe(before);
	});

	it('staff with write access record; the patient, a relative without plan consent and an outsider do not', async () => {
		for (const who of ['patient', 'sister', 'outsider'])
			expect(await refusal(create(who, { what: 'Bostøtte', serviceId: demo.serviceIds.housing }))).toMatchObject({
				status: 403
			});
		const { id } = await create('coordinator', { what: 'Støttekontakt', serviceId: demo.serviceIds.mental_health });
		expect(
			await refusal(update('patient', id, { what: 'Noe annet', serviceId: demo.serviceIds.mental_health }))
		).toMatchObject({ status: 403 });
		expect(
			await refusal(
				update('coordinator', 'no-such-application', { what: 'X', serviceId: demo.serviceIds.mental_health })
			)
		).toMatchObject({ status: 404 });
		// An application of this plan is not found through another plan.
		expect(
			await refusal(
				updateApplication(ctx(), demo.userIds.nav, demo.secondPlanId, id, { what: 'X', serviceId: demo.serviceIds.nav })
			)
		).toMatchObject({ status: 404 });
	});
});
