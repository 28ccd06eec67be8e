// Production entry: one Node process serves the SvelteKit app and the live-plan WebSockets on one port.
// adapter-node's handler answers HTTP; `upgrade` on /collab/<doc> goes to our sync server.
import http from 'node:http';
import { handler } from './build/handler.js';

// Importing the handler ran SvelteKit's `init` hook, which started the shared runtime (database, collab).
const runtime = await globalThis[Symbol.for('fellesplan.runtime')];
if (!runtime) throw new Error('runtime not started: build/ is stale, run `npm run build`');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const server = http.createServer(handler);
server.on('upgrade', (req, socket, head) => {
	if (!runtime.collab.handleUpgrade(req, socket, head)) socket.destroy();
});
server.listen(port, host, () => {
	console.log(`Fellesplan listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (database: ${runtime.database.engine})`);
});

let stopping = false;
async function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`${signal}: saving open plans and closing`);
	server.close();
	server.closeAllConnections?.();
	await runtime.close();
	process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
