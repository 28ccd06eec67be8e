/**
 * The sync server alone in a process of its own, for tests that kill it (`kill -9`) as a crash would.
 * `DATABASE_URL` selects PostgreSQL, else PGlite in `DATA_DIR`. Prints `READY <port>` once it listens.
 * Started with `node --import tsx tests/helpers/collab-process.ts`.
 */
import pino from 'pino';
import { createCollabServer } from '../../src/lib/server/collab';
import { openDatabase } from '../../src/lib/server/db';
import { listenForUpgrades } from './upgrade-server';

const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? 'memory://' });
const collab = createCollabServer({
	db: database.db,
	engine: database.engine,
	log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
	config: { origin: undefined, redisUrl: undefined, sessionIdleMinutes: 60, collabMaxMessageBytes: 1024 * 1024, collabIdleUnloadSeconds: 60 }
});
const server = await listenForUpgrades((req, socket, head) => {
	if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
});
process.stdout.write(`READY ${server.port}\n`);
