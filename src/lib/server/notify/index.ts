import type { Db } from '../db';
import type { Config } from '../config';
import type { Mailer } from '../mail/mailer';
import type { CollabLogger } from '../collab/types';
import type { MeasureChange } from '../projections/project';
import { measureEvents } from './measure-events';
import { NoticeHub } from './live';
import { httpSmsGateway, recordingSmsGateway, type SmsGateway } from './sms';
import { failedJobs, retryFailed, type Job } from '../jobs/queue';
import type { JobHandler, Schedule } from '../jobs/worker';
import { NOTIFY_JOB_TYPES, notifyJobs } from './deliver';

export { NOTICE_KINDS, isNoticeKind, type NoticeKind } from './kinds';
export { flagThreeMisses, type ThreeMisses } from './three-misses';
export { queueNotices, type NoticeEvent } from './notices';
export { listNotices, unreadCount, openNotice, markRead, markAllRead, type NoticeItem } from './list';
export { preferencesOf, savePreferences, parsePreferencesForm, type Preferences } from './preferences';
export { notifyJobs, NOTIFY_JOB_TYPES } from './deliver';
export { NoticeHub, NOTICES_PATH } from './live';
export { measureEvents } from './measure-events';
export { sweep } from './sweep';

/** Lasting failures of notification jobs, newest first: the administrator's list. */
export const failedNotifyJobs = (db: Db): Promise<Job[]> => failedJobs(db, NOTIFY_JOB_TYPES);

/** The administrator tries a failed notification job again. */
export const retryNotifyJob = (db: Db, id: number): Promise<boolean> => retryFailed(db, { id }, NOTIFY_JOB_TYPES);

export interface NotifyService {
	hub: NoticeHub;
	/** What the node's job worker runs for notifications. */
	jobs: { handlers: Record<string, JobHandler>; schedules: Schedule[] };
	/** For the projector: measure events, queued inside the projection's transaction. */
	onMeasuresChanged(tx: Db, change: MeasureChange): Promise<void>;
	/** For the projector: a projection committed, so notices may be waiting. */
	onProjected(): void;
	handleUpgrade: NoticeHub['handleUpgrade'];
	close(): Promise<void>;
}

export interface NotifyServiceOptions {
	db: Db;
	config: Pick<Config, 'origin' | 'sessionIdleMinutes' | 'smsGatewayUrl'>;
	log: CollabLogger;
	mailer: Mailer | null;
	sms?: SmsGateway;
	/** The node's job worker looks at the queue now (a projection committed, so notices may be waiting). */
	wake(): void;
}

/** Notifications for one node: the jobs for the node's worker, and the live socket. */
export function startNotify(opts: NotifyServiceOptions): NotifyService {
	const hub = new NoticeHub({
		db: opts.db,
		log: opts.log,
		origin: opts.config.origin,
		sessionIdleMs: opts.config.sessionIdleMinutes * 60_000
	});
	const jobs = notifyJobs({
		db: opts.db,
		mailer: opts.mailer,
		sms:
			opts.sms ??
			(opts.config.smsGatewayUrl ? httpSmsGateway(opts.config.smsGatewayUrl) : recordingSmsGateway(opts.db)),
		baseUrl: (opts.config.origin ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, ''),
		onNotice: (userId) => hub.poke(userId)
	});
	return {
		hub,
		jobs,
		onMeasuresChanged: async (tx, change) => {
			await measureEvents(tx, change);
		},
		onProjected: () => opts.wake(),
		handleUpgrade: (req, socket, head) => hub.handleUpgrade(req, socket, head),
		close: () => hub.close()
	};
}
