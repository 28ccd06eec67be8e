import net from 'node:net';

/** Whether a TCP connection to the URL's host and port opens within a second (a service is up). */
export function reachable(url: string, defaultPort: number): Promise<boolean> {
	const u = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect({ host: u.hostname, port: Number(u.port) || defaultPort });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
