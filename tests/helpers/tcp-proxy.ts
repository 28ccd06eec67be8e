import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1:0, for faults between real parts: as a load balancer in front of several nodes
 * (each new connection goes to the next upstream that accepts it, so clients of a dead node land on another),
 * or in front of PostgreSQL, where `cut()` drops every connection and refuses new ones until `restore()`.
 */
export interface TcpProxy {
	port: number;
	/** Replaces the upstream ports (a restarted node listens on a new one). */
	setUpstreams(ports: number[]): void;
	/** Drops every open connection and refuses new ones. */
	cut(): void;
	restore(): void;
	/** Open client connections. */
	readonly open: number;
	close(): Promise<void>;
}

export async function startTcpProxy(upstreams: number[]): Promise<TcpProxy> {
	let ports = [...upstreams];
	let next = 0;
	let isCut = false;
	const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();

	const connect = (pair: { client: net.Socket; upstream: net.Socket | null }, tries: number) => {
		if (tries >= ports.length || isCut) return pair.client.destroy();
		const port = ports[next++ % ports.length];
		const upstream = net.connect({ host: '127.0.0.1', port });
		pair.upstream = upstream;
		let connected = false;
		upstream.once('connect', () => {
			connected = true;
			pair.client.pipe(upstream);
			upstream.pipe(pair.client);
			pair.client.resume();
		});
		upstream.on('error', () => {});
		upstream.once('close', () => {
			// Refused (a dead node): try the next one; a connection that was up ends with its client.
			if (connected) pair.client.destroy();
			else if (!pair.client.destroyed) connect(pair, tries + 1);
		});
	};

	const server = net.createServer({ pauseOnConnect: true }, (client) => {
		const pair = { client, upstream: null as net.Socket | null };
		pairs.add(pair);
		client.on('error', () => {});
		client.once('close', () => {
			pairs.delete(pair);
			pair.upstream?.destroy();
		});
		if (isCut) return client.destroy();
		connect(pair, 0);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		setUpstreams(p) {
			ports = [...p];
		},
		cut() {
			isCut = true;
			for (const { client, upstream } of pairs) {
				upstream?.destroy();
				client.destroy();
			}
		},
		restore() {
			isCut = false;
		},
		get open() {
			return pairs.size;
		},
		async close() {
			for (const { client, upstream } of pairs) {
				upstream?.destroy();
				client.destroy();
			}
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
