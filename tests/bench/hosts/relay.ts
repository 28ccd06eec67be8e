/**
 * The bare relay `@y/websocket-server@0.1.1` in a host process: no authentication, no storage (the lower bound).
 * `setupWSConnection` behind a plain `http` server and a `ws` WebSocketServer of the same `ws` package as ours.
 */
import { WebSocketServer } from 'ws';
import { listenForUpgrades } from '../../helpers/upgrade-server';
import { demoPlanUpdate } from '../content';
import { serveRpc } from '../rpc';
import { commonCommands, type SeedArgs, type SeededDoc } from './common';

export async function runRelay(): Promise<void> {
	delete process.env.YPERSISTENCE;
	delete process.env.CALLBACK_URL;
	const utils = await import('@y/websocket-server/utils');
	if (utils.getPersistence() !== null) throw new Error('relay persistence must be off');
	const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
	wss.on('connection', (ws, req) => utils.setupWSConnection(ws, req));
	const http = await listenForUpgrades((req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
	});
	let demo: Uint8Array | null = null;
	let n = 0;

	serveRpc({
		...commonCommands(),
		init: () => ({ port: http.port, wsBase: `ws://127.0.0.1:${http.port}/`, framing: 'y-websocket', engine: 'none' }),
		async seed(args: SeedArgs): Promise<SeededDoc[]> {
			return Array.from({ length: args.plans }, () => {
				const docName = `plan:relay${process.pid}x${n++}`;
				return { docName, cookies: Array.from({ length: args.perPlan }, () => ''), userIds: [] };
			});
		},
		/** The relay never unloads a document without persistence: drop them by hand between scenarios. */
		reset() {
			for (const d of utils.docs.values()) d.destroy();
			utils.docs.clear();
			return { docs: 0, connections: 0 };
		},
		stats() {
			let connections = 0;
			for (const d of utils.docs.values()) connections += d.conns.size;
			return { docs: utils.docs.size, connections };
		},
		flush: () => true,
		errors: () => [],
		sqlStart: () => true,
		sqlStop: () => ({ statements: [], transactions: 0 }),
		/** It stores nothing: after a crash nothing is left. */
		storedMarks: () => [],
		/** Its clients bring the demo plan and upload it in the sync (it has no storage). */
		demoUpdate: async () => {
			demo ??= await demoPlanUpdate();
			return Buffer.from(demo).toString('base64');
		},
		async shutdown() {
			setImmediate(async () => {
				try {
					for (const c of wss.clients) c.terminate();
					await http.close();
				} finally {
					process.exit(0);
				}
			});
			return true;
		}
	});
}
