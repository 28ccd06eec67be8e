import { sql } from 'drizzle-orm';
import type { Db, Engine } from './db';
import type { CollabHealth } from './collab';

export interface HealthReport {
	ok: boolean;
	/** The engine: `pglite` or `postgres`. */
	db: Engine;
	/** Whether the database answered just now. */
	database: 'up' | 'down';
	/** Whether this node reaches the others through Redis: `off` without Redis. */
	redis: CollabHealth['redis'];
	/** The Node.js version that runs the app. */
	node: string;
}

/**
 * What `GET /healthz` says, for load balancers and operators. A node whose Redis is down still serves its
 * own clients, so it stays `ok` (its log and `redis` say it works alone); without the database it does not.
 */
export async function healthReport(db: Db, engine: Engine, collab: { health(): CollabHealth }): Promise<HealthReport> {
	let database: HealthReport['database'] = 'up';
	try {
		await db.execute(sql`select 1`);
	} catch {
		database = 'down';
	}
	return { ok: database === 'up', db: engine, database, redis: collab.health().redis, node: process.version };
}
