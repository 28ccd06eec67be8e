/**
 * A tiny request/response layer over the Node IPC channel between the bench (parent) and a server host
 * (child process). Only JSON-serialisable values cross it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RpcRequest {
	id: number;
	cmd: string;
	args: unknown;
}

export interface RpcResponse {
	id: number;
	ok: boolean;
	result?: unknown;
	error?: string;
}

/**
 * The servers under test: ours, its peer Hocuspocus as it ships (stores the whole document 2 s after the last
 * change, at most 10 s) and storing every change (`debounce: 0`), and the bare relay (stores nothing: the lower
 * bound).
 */
export const SERVER_KINDS = ['ours', 'hocuspocus', 'hocuspocus-durable', 'relay'] as const;
export type HostKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABEL: Record<HostKind, string> = {
	ours: 'Fellesplan',
	hocuspocus: 'Hocuspocus',
	'hocuspocus-durable': 'Hocuspocus, store every change',
	relay: 'bare relay'
};

/** Short names for table columns. */
export const SERVER_SHORT: Record<HostKind, string> = {
	ours: 'ours',
	hocuspocus: 'HP',
	'hocuspocus-durable': 'HP d=0',
	relay: 'relay'
};

export interface HostHandle {
	kind: HostKind;
	pid: number;
	call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
	/** Asks the host to shut down, then waits for the process to exit (kills it after a grace period). */
	stop(): Promise<void>;
	/** `kill -9`: the process dies at once, whatever it was doing. Resolves once it has exited. */
	kill(): Promise<void>;
}

/** `BENCH_HOST_PROF=ours|hocuspocus|…|all`: CPU-profile that host during each measurement window. */
export function profiling(kind: HostKind): boolean {
	const want = process.env.BENCH_HOST_PROF;
	return !!want && (want === 'all' || want.split(',').includes(kind));
}

/**
 * Starts `hosts/host.ts` in a child process with its own event loop (and core), `--expose-gc` so it can
 * measure its own heap. The tsx loader is inherited from the parent's execArgv.
 */
export function startHost(kind: HostKind, env: Record<string, string | undefined>): HostHandle {
	const script = fileURLToPath(new URL('./hosts/host.ts', import.meta.url));
	const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
	// The relay must not persist (y-leveldb) nor call a webhook.
	delete childEnv.YPERSISTENCE;
	delete childEnv.CALLBACK_URL;
	for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
	const child: ChildProcess = fork(script, [kind], {
		// BENCH_HOST_NODE_ARGS: extra node flags for the hosts only (e.g. --trace-gc, --cpu-prof).
		execArgv: [
			...process.execArgv,
			'--expose-gc',
			...(process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean)
		],
		env: childEnv,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	let nextId = 1;
	const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
	child.on('message', (msg: RpcResponse) => {
		const p = pending.get(msg.id);
		if (!p) return;
		pending.delete(msg.id);
		clearTimeout(p.timer);
		if (msg.ok) p.resolve(msg.result);
		else p.reject(new Error(`${kind} host: ${msg.error}`));
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.once('exit', (code, signal) => {
		for (const p of pending.values()) {
			clearTimeout(p.timer);
			p.reject(new Error(`${kind} host exited (code ${code}, signal ${signal})`));
		}
		pending.clear();
	});
	const running = () => child.exitCode === null && child.signalCode === null;
	return {
		kind,
		pid: child.pid ?? -1,
		call<T>(cmd: string, args: unknown = {}, timeoutMs = 300_000): Promise<T> {
			const id = nextId++;
			return new Promise<T>((resolve, reject) => {
				if (!running()) return reject(new Error(`${kind} host is not running (${cmd})`));
				const timer = setTimeout(() => {
					pending.delete(id);
					reject(new Error(`${kind} host: ${cmd} timed out after ${timeoutMs} ms`));
				}, timeoutMs);
				pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
				child.send({ id, cmd, args } satisfies RpcRequest);
			});
		},
		async stop() {
			if (!running()) return;
			const id = nextId++;
			try {
				child.send({ id, cmd: 'shutdown', args: {} } satisfies RpcRequest);
			} catch {
				/* channel already closed */
			}
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		},
		async kill() {
			if (running()) child.kill('SIGKILL');
			await exited;
		}
	};
}

/** The child side: dispatches requests to `handlers`, one response per request. */
export function serveRpc(handlers: Record<string, (args: never) => unknown>): void {
	process.on('message', async (msg: RpcRequest) => {
		const handler = handlers[msg.cmd];
		let response: RpcResponse;
		try {
			if (!handler) throw new Error(`unknown command ${msg.cmd}`);
			response = { id: msg.id, ok: true, result: await handler(msg.args as never) };
		} catch (err) {
			response = { id: msg.id, ok: false, error: (err as Error).stack ?? String(err) };
		}
		if (process.connected) process.send!(response);
	});
}
