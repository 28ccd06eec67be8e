import type { Db } from '../db';
import type { Config } from '../config';
import type { Mailer } from '../mail/mailer';
import type { CollabLogger } from '../collab/types';
import type { MeasureChange } from '../projections/project';
import { measureEvents } from './measure-events';
import { NoticeHub } from './live';
import { httpSmsGateway, recordingSmsGateway, type SmsGateway } from './sms';
import { NotifyWorker, type WorkerOptions } from './worker';

export { NOTICE_KINDS, isNoticeKind, type NoticeKind } from './kinds';
export { flagThreeMisses, type ThreeMisses } from './three-misses';
export { queueNotices, type NoticeEvent } from './notices';
export { listNotices, unreadCount, openNotice, markRead, markAllRead, type NoticeItem } from './list';
export { preferencesOf, savePreferences, parsePreferencesForm, type Preferences } from './preferences';
export { failedJobs, retryFailed } from './queue';
export { NotifyWorker } from './worker';
export { NoticeHub, NOTICES_PATH } from './live';
export { measureEvents } from './measure-events';
export { sweep } from './sweep';

export interface NotifyService {
	worker: NotifyWorker;
	hub: NoticeHub;
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
	worker?: Partial<WorkerOptions>;
}

/** Notifications for one node: the queue's worker (started here) and the live socket. */
export function startNotify(opts: NotifyServiceOptions): NotifyService {
	const hub = new NoticeHub({
		db: opts.db,
		log: opts.log,
		origin: opts.config.origin,
		sessionIdleMs: opts.config.sessionIdleMinutes * 60_000
	});
	const worker = new NotifyWorker({
		db: opts.db,
		log: opts.log,
		mailer: opts.mailer,
		sms:
			opts.sms ??
			(opts.config.smsGatewayUrl ? httpSmsGateway(opts.config.smsGatewayUrl) : recordingSmsGateway(opts.db)),
		baseUrl: (opts.config.origin ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, ''),
		onNotice: (userId) => hub.poke(userId),
		...opts.worker
	});
	worker.start();
	return {
		worker,
		hub,
		onMeasuresChanged: async (tx, change) => {
			await measureEvents(tx, change);
		},
		onProjected: () => worker.wake(),
		handleUpgrade: (req, socket, head) => hub.handleUpgrade(req, socket, head),
		async close() {
			await worker.stop();
			await hub.close();
		}
	};
}
