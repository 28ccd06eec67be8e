import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { withTimeout } from './timing';

/**
 * A sync server in a process of its own (`collab-process.ts`): killed with SIGKILL as a crash, or SIGTERM for
 * a graceful stop. `env` picks the database, Redis and node id.
 */
export interface NodeProcess {
	child: ChildProcess;
	port: number;
	wsBase: string;
	health(): Promise<{ ok: boolean; db: string; database: string; redis: string; node: string }>;
	/** Resolves once the process has exited. */
	exited: Promise<void>;
}

export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/collab-process.ts'], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const exited = new Promise<void>((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
	const port = await withTimeout(
		new Promise<number>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (chunk) => {
				out += String(chunk);
				if (process.env.TEST_LOG_LEVEL) process.stderr.write(String(chunk));
				const m = /READY (\d+)/.exec(out);
				if (m) resolve(Number(m[1]));
			});
			child.once('exit', (code) => reject(new Error(`server process exited (${code})`)));
		}),
		60_000,
		'server process start'
	);
	return {
		child,
		port,
		wsBase: `ws://127.0.0.1:${port}/collab`,
		exited,
		async health() {
			const res = await fetch(`http://127.0.0.1:${port}/healthz`);
			return res.json();
		}
	};
}

export function hasRedisServer(): boolean {
	return spawnSync('redis-server', ['--version']).status === 0;
}

/** A free TCP port on 127.0.0.1 (for a server that must come back on the same one). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * A private `redis-server` (no persistence) that a test may stop and start again on the same port, so the
 * machine's shared Redis is never touched.
 */
export interface PrivateRedis {
	url: string;
	start(): Promise<void>;
	stop(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
	const port = await freePort();
	let child: ChildProcess | null = null;
	const ping = () =>
		new Promise<boolean>((resolve) => {
			const s = net.connect({ host: '127.0.0.1', port });
			s.once('connect', () => {
				s.destroy();
				resolve(true);
			});
			s.once('error', () => resolve(false));
		});
	return {
		url: `redis://127.0.0.1:${port}`,
		async start() {
			child = spawn(
				'redis-server',
				['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
				{ stdio: 'ignore' }
			);
			const deadline = Date.now() + 10_000;
			while (!(await ping())) {
				if (Date.now() > deadline) throw new Error('private redis-server did not start');
				await new Promise((r) => setTimeout(r, 50));
			}
		},
		async stop() {
			const c = child;
			child = null;
			if (!c || c.exitCode !== null) return;
			const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
			c.kill('SIGKILL');
			await gone;
		}
	};
}
