import { readConfig, type Config } from './config';
import { openDatabase, type Database } from './db';
import { createCollabServer } from './collab';
import { Projector } from './projections';
import { printDemoLogins, seedDemoIfEmpty } from './seed/demo';
import { log } from './log';
import { getMailer } from './mail/mailer';
import { startNotify, type NotifyService } from './notify';
import { JobWorker } from './jobs/worker';
import { archiveJobs } from './archive';

/**
 * The long-lived parts of one server process: configuration, the database and the collab server.
 * Held on `globalThis` because two bundles share it in production (SvelteKit's handler and the
 * entry that owns the HTTP server), and PGlite must be opened exactly once per data folder.
 */
export interface Runtime {
	config: Config;
	database: Database;
	collab: ReturnType<typeof createCollabServer>;
	/** Keeps goals and measures projected into SQL for the lists across plans. */
	projector: Projector;
	/** Notifications: the `/notices` socket (its jobs run on `jobs`). */
	notify: NotifyService;
	/** The node's worker for the shared job queue: notifications, archive deliveries, retention. */
	jobs: JobWorker;
	close(): Promise<void>;
}

const KEY = Symbol.for('fellesplan.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
	const holder = globalThis as Holder;
	holder[KEY] ??= start();
	return holder[KEY];
}

async function start(): Promise<Runtime> {
	const config = readConfig();
	const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
	log.info({ engine: database.engine, node: process.version }, 'database ready');
	if (database.engine === 'pglite' && config.seedDemo === 'auto') {
		const seeded = await seedDemoIfEmpty(database.db);
		if (seeded) printDemoLogins(seeded.logins);
	}
	// Created below, once every module's jobs are known; woken by the notifications as soon as it exists.
	let jobs: JobWorker | null = null;
	const notify = startNotify({
		db: database.db,
		config,
		log: log.child({ module: 'notify' }),
		mailer: getMailer(),
		wake: () => jobs?.wake()
	});
	const projector = new Projector({
		db: database.db,
		log: log.child({ module: 'projections' }),
		onMeasuresChanged: notify.onMeasuresChanged,
		onProjected: notify.onProjected
	});
	const collab = createCollabServer({
		db: database.db,
		engine: database.engine,
		config,
		log,
		onStored: (docName) => projector.notify(docName)
	});
	const archive = archiveJobs({ db: database.db, config, log: log.child({ module: 'archive' }), collab });
	jobs = new JobWorker({
		db: database.db,
		log: log.child({ module: 'jobs' }),
		handlers: { ...notify.jobs.handlers, ...archive.handlers },
		schedules: [...notify.jobs.schedules, ...archive.schedules]
	});
	jobs.start();
	// Documents seeded or changed while no projector ran (another version, the rebuild script) are caught up in the background.
	projector.catchUp().catch((err) => log.error({ err }, 'projections: catching up failed'));
	return {
		config,
		database,
		collab,
		projector,
		notify,
		jobs,
		async close() {
			await jobs.stop();
			await collab.close();
			await projector.close();
			await notify.close();
			await database.close();
		}
	};
}
