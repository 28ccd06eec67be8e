/**
 * Adding a measure in one step as the server (the plan page's add row), on both engines with a real collab server:
 * a service outside the group is proposed as a member, once, and the coordinator can settle the proposal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import { auditEvents, serviceProposals } from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import { listAllMeasures, listGoals, planDocName } from '../../../src/lib/plan';
import {
	addMeasureAsServer,
	MeasureActionError,
	openServiceProposals,
	settleServiceProposal
} from '../../../src/lib/server/measures';
import { cleanup, startNode, type TestNode } from '../collab/harness';

describe.each(engines)('adding a measure on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
	});
	afterAll(cleanup);

	async function planDoc(): Promise<Y.Doc> {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await node.collab.readDocState(planDocName(demo.planId)));
		return doc;
	}
	async function add(
		who: string,
		input: { goalId?: string; title: string; serviceId: string; personId?: string; dueDate?: string }
	) {
		const userId = demo.userIds[who];
		const goalId = input.goalId ?? listGoals(await planDoc())[0].id;
		return addMeasureAsServer(
			{ db: db(), collab: node.collab },
			userId,
			await planAccess(db(), userId, demo.planId),
			demo.planId,
			{ personId: '', dueDate: '', ...input, goalId }
		);
	}
	const refusal = async (p: Promise<unknown>) => {
		const err = await p.then(
			() => null,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(MeasureActionError);
		return err as MeasureActionError;
	};

	it('NAV gives a measure to Hjemmetjenesten, outside the group, with a person and a due date: it is written, and the service proposed once', async () => {
		const before = listAllMeasures(await planDoc()).length;
		const first = await add('nav', {
			title: 'Praktisk hjelp med innkjøp',
			serviceId: demo.serviceIds.home_care,
			personId: demo.userIds.outsider,
			dueDate: '2027-02-01'
		});
		expect(first.proposedService).toBe(true);
		const measure = listAllMeasures(await planDoc()).find((m) => m.id === first.measureId)!;
		expect(measure).toMatchObject({
			title: 'Praktisk hjelp med innkjøp',
			serviceId: demo.serviceIds.home_care,
			personId: demo.userIds.outsider,
			dueDate: '2027-02-01',
			status: 'requested',
			createdBy: demo.userIds.nav
		});
		expect(listAllMeasures(await planDoc())).toHaveLength(before + 1);

		const second = await add('coordinator', { title: 'Trygghetsalarm', serviceId: demo.serviceIds.home_care });
		expect(second.proposedService).toBe(false);
		const proposals = await openServiceProposals(db(), demo.planId);
		expect(proposals).toHaveLength(1);
		expect(proposals[0]).toMatchObject({
			serviceId: demo.serviceIds.home_care,
			serviceName: 'Hjemmetjenesten',
			measureId: first.measureId,
			inGroup: false
		});
		const [event] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'service.proposed'), eq(auditEvents.planId, demo.planId)));
		expect(event).toMatchObject({ actorId: demo.userIds.nav, target: demo.serviceIds.home_care });

		// A service of the group is not proposed.
		expect((await add('nav', { title: 'Møte om økonomi', serviceId: demo.serviceIds.nav })).proposedService).toBe(
			false
		);

		expect(await settleServiceProposal(db(), demo.planId, proposals[0].id, demo.userIds.coordinator)).toBe(true);
		expect(await openServiceProposals(db(), demo.planId)).toEqual([]);
		const [row] = await db().select().from(serviceProposals).where(eq(serviceProposals.id, proposals[0].id));
		expect(row.settledBy).toBe(demo.userIds.coordinator);
	});

	it('refuses bad input and readers, writing nothing', async () => {
		const before = listAllMeasures(await planDoc()).length;
		expect(await refusal(add('nav', { title: '  ', serviceId: demo.serviceIds.nav }))).toMatchObject({
			status: 400,
			field: 'title'
		});
		expect(await refusal(add('nav', { title: 'T', serviceId: '' }))).toMatchObject({ status: 400, field: 'serviceId' });
		expect(await refusal(add('nav', { title: 'T', serviceId: 'no-such-service' }))).toMatchObject({
			status: 400,
			field: 'serviceId'
		});
		expect(
			await refusal(add('nav', { title: 'T', serviceId: demo.serviceIds.nav, personId: demo.userIds.dps }))
		).toMatchObject({ status: 400, code: 'person_not_in_service' });
		expect(
			await refusal(add('nav', { title: 'T', serviceId: demo.serviceIds.nav, dueDate: '2027-02-30' }))
		).toMatchObject({ status: 400, field: 'dueDate' });
		expect(
			await refusal(add('nav', { title: 'T', serviceId: demo.serviceIds.nav, goalId: 'no-such-goal' }))
		).toMatchObject({ status: 404 });
		// The sister reads the crisis plan only; an outsider has no seat.
		expect(await refusal(add('sister', { title: 'T', serviceId: demo.serviceIds.nav }))).toMatchObject({ status: 403 });
		expect(await refusal(add('outsider', { title: 'T', serviceId: demo.serviceIds.nav }))).toMatchObject({
			status: 403
		});
		expect(listAllMeasures(await planDoc())).toHaveLength(before);
	});
});
