import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../src/lib/server/db';
import { jobs, notifications } from '../../../src/lib/server/db/schema';
import { addMeasure, listGoals, planDocName, updateMeasure, type NewMeasure } from '../../../src/lib/plan';
import { projectDocument } from '../../../src/lib/server/projections';
import { measureEvents, notifyJobs } from '../../../src/lib/server/notify';
import { smtpMailer } from '../../../src/lib/server/mail/mailer';
import { recordingSmsGateway } from '../../../src/lib/server/notify/sms';
import { JobWorker, type WorkerOptions } from '../../../src/lib/server/jobs/worker';
import type { DeliveryDeps } from '../../../src/lib/server/notify/deliver';
import { silentLog, type TestNode } from '../collab/harness';

export const BASE_URL = 'https://fellesplan.test';

/** A worker as a node runs it, sending over SMTP to the test's sink; no sweep unless asked for, a fast backoff. */
export function testWorker(
	db: Db,
	smtpUrl: string | null,
	opts: Partial<Omit<WorkerOptions, 'handlers' | 'schedules'> & DeliveryDeps & { sweepEveryMs: number }> = {}
): JobWorker {
	const { sweepEveryMs = 0, sweep, mailer, sms, onNotice, ...worker } = opts;
	const { handlers, schedules } = notifyJobs(
		{
			db,
			mailer:
				mailer !== undefined ? mailer : smtpUrl ? smtpMailer(smtpUrl, 'Fellesplan <ikke-svar@fellesplan.test>') : null,
			sms: sms ?? recordingSmsGateway(db),
			baseUrl: BASE_URL,
			sweep,
			onNotice
		},
		sweepEveryMs
	);
	return new JobWorker({
		db,
		log: silentLog,
		handlers,
		schedules,
		pollMs: 10,
		backoff: { baseMs: 5, maxMs: 50 },
		...worker
	});
}

/** Runs passes until the queue has nothing due. */
export async function drain(worker: JobWorker): Promise<void> {
	for (let i = 0; i < 200; i++) if ((await worker.runOnce()) === 0) return;
	throw new Error('queue did not drain');
}

/**
 * A change to the live plan as the server's measure actions write it (attributed to `actorId`), then the projection
 * the projector would run, with the notifications hook.
 */
export async function changePlan(
	node: TestNode,
	db: Db,
	planId: string,
	actorId: string,
	change: (doc: import('yjs').Doc) => void
): Promise<void> {
	await node.collab.applyServerChange(planDocName(planId), change, actorId);
	await node.collab.flush();
	await projectDocument(db, planDocName(planId), { onMeasuresChanged: (tx, c) => measureEvents(tx, c).then(() => {}) });
}

/** Adds a measure under the plan's first goal; returns its id. */
export async function addTestMeasure(
	node: TestNode,
	db: Db,
	planId: string,
	actorId: string,
	input: Omit<NewMeasure, 'goalId'>
): Promise<string> {
	let id = '';
	await changePlan(node, db, planId, actorId, (doc) => {
		id = addMeasure(doc, { ...input, goalId: listGoals(doc)[0].id, createdBy: actorId });
	});
	return id;
}

export async function setMeasure(
	node: TestNode,
	db: Db,
	planId: string,
	actorId: string,
	measureId: string,
	patch: Parameters<typeof updateMeasure>[2]
): Promise<void> {
	await changePlan(node, db, planId, actorId, (doc) => updateMeasure(doc, measureId, patch));
}

/** Who got a notice of `kind` (optionally about one measure/meeting/consent …, by a ref). */
export async function recipientsOf(db: Db, kind: string, ref?: [string, string]): Promise<string[]> {
	const rows = await db
		.select({ recipientId: notifications.recipientId, refs: notifications.refs })
		.from(notifications)
		.where(eq(notifications.kind, kind));
	return rows
		.filter((r) => !ref || r.refs[ref[0]] === ref[1])
		.map((r) => r.recipientId)
		.sort();
}

export async function jobsIn(db: Db, states: string[]) {
	return db
		.select()
		.from(jobs)
		.where(inArray(jobs.state, states as never));
}

export async function jobByKey(db: Db, key: string) {
	const [row] = await db
		.select()
		.from(jobs)
		.where(and(eq(jobs.dedupeKey, key)));
	return row;
}
