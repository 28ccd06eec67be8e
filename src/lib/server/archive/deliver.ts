/**
 * The job that sends one delivery: read its content, render the files and the arkivmelding, hand them to the
 * adapter, and store the archive's receipt. A failure is retried by the queue with backoff; after the last attempt
 * the delivery is `failed` and waits for the administrator. Logs and errors carry ids and codes only.
 */
import { eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { formatDay } from '$lib/i18n/instants';
import type { Db } from '../db';
import { archiveDeliveries } from '../db/schema';
import { recordAudit } from '../audit';
import { complete, drop, errorCode, type Job } from '../jobs/queue';
import type { CollabLogger } from '../collab/types';
import { inLocale } from '../i18n/in-locale';
import { ArchiveContentMissing, loadArchiveContent, type ArchiveContent, type ContentDeps } from './content';
import { renderArchiveFiles } from './documents';
import { buildArkivmelding } from './arkivmelding';
import { deliveryName, deliveryOf, type ArchiveDelivery } from './deliveries';
import type { ArchiveAdapter } from './adapters';

export interface DeliverDeps extends ContentDeps {
	adapter: ArchiveAdapter;
	log: CollabLogger;
}

/** The registry entry's title: what the delivery is, in words that name nobody. */
function recordTitle(delivery: ArchiveDelivery, content: ArchiveContent, now: Date): string {
	return inLocale('nb', () => {
		const title =
			delivery.reason === 'meeting_closed' && content.meeting
				? m.archive_record_meeting({ date: formatDay(content.meeting.startsAt) })
				: delivery.reason === 'plan_closed'
					? m.archive_record_closed({ date: formatDay(content.plan.closedAt ?? now) })
					: m.archive_record_requested({ date: formatDay(now) });
		return content.version ? title : m.archive_record_not_adopted({ title });
	});
}

export async function runDelivery(deps: DeliverDeps, job: Job, now: Date): Promise<void> {
	const { db } = deps;
	const delivery = await deliveryOf(db, String(job.payload.deliveryId));
	if (!delivery) return drop(db, job, 'gone', now);
	if (delivery.state === 'delivered') return complete(db, job, now);
	const name = deliveryName(delivery);
	let receipt;
	let files;
	try {
		const content = await loadArchiveContent(deps, delivery.planId, delivery.versionId, now);
		files = await renderArchiveFiles(content);
		const title = recordTitle(delivery, content, now);
		const arkivmelding = buildArkivmelding({
			deliveryId: delivery.id,
			plan: {
				id: content.plan.id,
				title: content.plan.title,
				publicTitle: inLocale('nb', () => m.archive_doc_plan()),
				patientName: content.plan.patientName,
				createdAt: content.plan.createdAt,
				closedAt: content.plan.closedAt
			},
			record: { title, publicTitle: title, documentDate: content.at },
			files,
			createdAt: now
		});
		receipt = await deps.adapter.deliver({ deliveryId: delivery.id, name, arkivmelding, files });
	} catch (err) {
		const code = errorCode(err);
		await db
			.update(archiveDeliveries)
			.set({ attempts: job.attempts, lastError: code })
			.where(eq(archiveDeliveries.id, delivery.id));
		if (err instanceof ArchiveContentMissing) {
			// The plan (or the version) is gone: nothing to send, ever.
			await db.update(archiveDeliveries).set({ state: 'failed' }).where(eq(archiveDeliveries.id, delivery.id));
			return drop(db, job, code, now);
		}
		throw err;
	}
	await db
		.update(archiveDeliveries)
		.set({
			state: 'delivered',
			attempts: job.attempts,
			lastError: null,
			receipt,
			files: files.map((f) => ({ name: f.name, title: f.title, bytes: f.bytes.length, sha256: f.sha256 })),
			deliveredAt: now
		})
		.where(eq(archiveDeliveries.id, delivery.id));
	await recordAudit(db, {
		actorId: null,
		action: 'archive.delivered',
		planId: delivery.planId,
		target: delivery.id,
		detail: { versionId: delivery.versionId, adapter: receipt.adapter, files: files.length }
	});
	deps.log.info(
		{ delivery: delivery.id, plan: delivery.planId, adapter: receipt.adapter, attempt: job.attempts },
		'archive: delivered'
	);
	await complete(db, job, now);
}

/** The last attempt failed: the delivery waits for the administrator. */
export async function deliveryFailed(db: Db, job: Job, code: string): Promise<void> {
	await db
		.update(archiveDeliveries)
		.set({ state: 'failed', attempts: job.attempts, lastError: code })
		.where(eq(archiveDeliveries.id, String(job.payload.deliveryId)));
}
