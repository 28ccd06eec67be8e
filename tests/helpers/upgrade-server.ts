import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A plain HTTP server on 127.0.0.1:0 that answers 404 and hands every `upgrade` to `onUpgrade`, as the
 * production entry does for the collab server. `close()` also drops open sockets, so a test can stop at once.
 */
export async function listenForUpgrades(onUpgrade: (req: http.IncomingMessage, socket: Socket, head: Buffer) => void) {
	const server = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	const sockets = new Set<Socket>();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.on('upgrade', (req, socket, head) => onUpgrade(req, socket as Socket, head));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		port,
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
