/**
 * The sync server alone in a process of its own, for tests that kill it (`kill -9`) as a crash would.
 * `DATABASE_URL` selects PostgreSQL, else PGlite in `DATA_DIR`; `REDIS_URL` joins the fan-out as `NODE_ID`;
 * `COLLAB_LIMITS` (JSON) overrides limits. Answers `GET /healthz` as the app does. Prints `READY <port>` once
 * it listens; on SIGTERM it closes gracefully (stores everything) and exits.
 * Started with `node --import tsx tests/helpers/collab-process.ts`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { createCollabServer } from '../../src/lib/server/collab';
import { openDatabase } from '../../src/lib/server/db';
import { healthReport } from '../../src/lib/server/health';

const database = await openDatabase({
	url: process.env.DATABASE_URL || undefined,
	dataDir: process.env.DATA_DIR ?? 'memory://'
});
const collab = createCollabServer({
	db: database.db,
	engine: database.engine,
	log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
	nodeId: process.env.NODE_ID || undefined,
	redisUrl: process.env.REDIS_URL || undefined,
	limits: process.env.COLLAB_LIMITS ? JSON.parse(process.env.COLLAB_LIMITS) : undefined,
	config: {
		origin: undefined,
		redisUrl: undefined,
		sessionIdleMinutes: 60,
		collabMaxMessageBytes: 1024 * 1024,
		collabIdleUnloadSeconds: 60
	}
});
const sockets = new Set<Socket>();
const server = http.createServer((req, res) => {
	if (req.url !== '/healthz') {
		res.statusCode = 404;
		res.end();
		return;
	}
	void healthReport(database.db, database.engine, collab).then((report) => {
		res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
		res.end(JSON.stringify(report));
	});
});
server.on('connection', (s) => {
	sockets.add(s);
	s.on('close', () => sockets.delete(s));
});
server.on('upgrade', (req, socket, head) => {
	if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
});
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);

process.on('SIGTERM', () => {
	server.close();
	void collab
		.close()
		.then(() => database.close())
		.finally(() => {
			for (const s of sockets) s.destroy();
			process.exit(0);
		});
});
