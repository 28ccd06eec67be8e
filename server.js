// Production entry: one Node process serves the SvelteKit app and the live-plan WebSockets on one port.
// adapter-node's handler answers HTTP; `upgrade` on /collab/<doc> goes to our sync server.
import http from 'node:http';

// Node 24 LTS (package.json `engines`). Older majors get no security fixes: refuse them with the way out.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
	console.error(
		`Fellesplan needs Node 24 LTS, this is ${process.version}. Start it through npm (npm start / npm run serve), ` +
			'which uses the Node 24 that npm install put in node_modules/.bin, or install Node 24.'
	);
	process.exit(1);
}

// adapter-node assumes https unless told otherwise. Served directly (no ORIGIN, no proxy header configured),
// this server knows the truth itself, so cookies are Secure and CSRF checks match exactly when they should.
const OWN_PROTOCOL_HEADER = 'x-fellesplan-protocol';
const ownProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (ownProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;
const { handler } = await import('./build/handler.js');

// Importing the handler ran SvelteKit's `init` hook, which started the shared runtime (database, collab).
const runtime = await globalThis[Symbol.for('fellesplan.runtime')];
if (!runtime) throw new Error('runtime not started: build/ is stale, run `npm run build`');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const server = http.createServer((req, res) => {
	if (ownProtocol) req.headers[OWN_PROTOCOL_HEADER] = 'http'; // overwrites anything a client sent
	handler(req, res);
});
server.on('upgrade', (req, socket, head) => {
	if (!runtime.collab.handleUpgrade(req, socket, head) && !runtime.notify.handleUpgrade(req, socket, head))
		socket.destroy();
});
server.listen(port, host, () => {
	console.log(
		`Fellesplan listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (database: ${runtime.database.engine}, Node ${process.version})`
	);
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
