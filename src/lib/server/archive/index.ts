/** The plan in the municipality's archive: deliveries (PDF/A + Noark 5 arkivmelding) through an adapter, and retention. */
import type { Config } from '../config';
import type { CollabServer } from '../collab';
import type { CollabLogger } from '../collab/types';
import type { Db } from '../db';
import type { JobHandler, Schedule } from '../jobs/worker';
import { complete } from '../jobs/queue';
import { adapterFrom, type ArchiveAdapter } from './adapters';
import { deliveryFailed, runDelivery } from './deliver';
import { DELIVER_JOB, RETENTION_JOB } from './deliveries';
import { runRetention } from './retention';

export {
	queueDelivery,
	latestVersion,
	deliveryOf,
	planDeliveries,
	deliveryOverview,
	retryDelivery,
	deliveryName,
	ARCHIVE_JOB_TYPES,
	DELIVER_JOB,
	RETENTION_JOB,
	type ArchiveDelivery
} from './deliveries';
export { retentionCandidates, retentionCutoff, deletePlan, runRetention, type KeptReason } from './retention';
export { adapterFrom, folderAdapter, fiksArkivAdapter, type ArchiveAdapter, type ArchiveReceipt } from './adapters';

/** How often the retention pass runs (once per slot across all nodes). */
export const RETENTION_EVERY_MS = 3_600_000;

export interface ArchiveJobsOptions {
	db: Db;
	config: Pick<Config, 'archiveAdapter' | 'archiveDir' | 'fiksArkiv' | 'retentionYears'>;
	log: CollabLogger;
	collab: Pick<CollabServer, 'readDocState' | 'revalidate'>;
	/** The settings' adapter unless given (tests pass a failing one). */
	adapter?: ArchiveAdapter;
	retentionEveryMs?: number;
}

/** What the node's job worker runs for the archive: deliveries, and the retention pass every hour. */
export function archiveJobs(opts: ArchiveJobsOptions): { handlers: Record<string, JobHandler>; schedules: Schedule[] } {
	const adapter = opts.adapter ?? adapterFrom(opts.config);
	const deps = { db: opts.db, collab: opts.collab, adapter, log: opts.log };
	return {
		handlers: {
			[DELIVER_JOB]: {
				run: (job, now) => runDelivery(deps, job, now),
				failed: (job, code) => deliveryFailed(opts.db, job, code)
			},
			[RETENTION_JOB]: {
				async run(job, now) {
					await runRetention({ ...deps, retentionYears: opts.config.retentionYears }, now);
					await complete(opts.db, job, now);
				}
			}
		},
		schedules: [{ type: RETENTION_JOB, everyMs: opts.retentionEveryMs ?? RETENTION_EVERY_MS }]
	};
}
