/**
 * A server under test in a process of its own, driven over IPC by the bench (`rpc.ts`), so that it has its own
 * event loop (and, on two cores, its own core) and its heap holds no client. `argv[2]` names the server:
 *
 *   ours                 our collab server on its database
 *   hocuspocus           Hocuspocus as it ships (debounced store); hocuspocus-durable: `debounce: 0`
 *   relay                the bare y-websocket relay
 *
 *   BENCH_HOST_DB_URL      postgres:// URL (default: PGlite memory://)
 *   BENCH_HOST_PGLITE_DIR  PGlite data folder instead of memory:// (as `npm start` runs without DATABASE_URL)
 *   BENCH_HOST_REDIS_URL   ours only: Redis for the fan-out (several nodes on one PostgreSQL), BENCH_HOST_NODE_ID
 */
import { hostKind } from './common';

switch (hostKind) {
	case 'ours':
		await (await import('./ours')).runOurs();
		break;
	case 'hocuspocus':
	case 'hocuspocus-durable':
		await (await import('./hocuspocus')).runHocuspocus(hostKind === 'hocuspocus-durable');
		break;
	case 'relay':
		await (await import('./relay')).runRelay();
		break;
	default:
		throw new Error(`unknown server kind ${String(hostKind)}`);
}
