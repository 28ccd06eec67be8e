/**
 * What every part of the bench works with: the servers (each in a host process), the clients it opened, fresh
 * PostgreSQL databases, the CPU meter that tells a slow server from a busy machine, and the teardown that
 * leaves nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { liveClients, sleep, type BenchClient, type BenchClientOptions, type Framing } from './client';
import type { HostInit } from './hosts/common';
import type { BenchOptions } from './options';
import { startHost, type HostHandle, type HostKind } from './rpc';

export interface HostInfo {
	kind: HostKind;
	handle: HostHandle;
	wsBase: string;
	framing: Framing;
	engine: string;
	/** Its PostgreSQL database, when it has one (its backends' CPU is counted as the database's). */
	database: string | null;
}

/** Where a host keeps its data: PGlite in memory or in a folder, or a PostgreSQL database. */
export interface HostStorage {
	env: Record<string, string | undefined>;
	database: string | null;
}

/** Share of the machine above which a measurement is flagged as taken on a busy machine. */
export const QUIET_PERCENT = 10;

export interface CpuMark {
	at: number;
	machineBusyMs: number;
	/** CPU of the bench itself: this process, every host, the databases' backends. */
	benchMs: number;
	/** CPU time (user + system) of each of the run's servers. */
	hostMs: Partial<Record<HostKind, number>>;
	/** CPU time of the PostgreSQL backends serving each server (0 on PGlite: it runs inside the host). */
	dbMs: Partial<Record<HostKind, number>>;
}

export class Bench {
	readonly started = performance.now();
	/** The run's servers, one of each kind, on the run's engine. */
	readonly servers = new Map<HostKind, HostInfo>();
	/** One commit on the run's engine, from the floor part (the targets build on it). */
	commit: { wallMs: number; cpuMs: number } | null = null;
	private readonly handles = new Set<HostHandle>();
	private readonly databases = new Map<HostHandle, string>();
	private readonly cleanups: (() => Promise<void>)[] = [];
	private readonly clients = new Set<BenchClient>();
	private admin: postgres.Sql | null = null;
	quietWaitedMs = 0;

	constructor(readonly opts: BenchOptions) {}

	get quick(): boolean {
		return this.opts.quick;
	}

	/** The run's engine, as the servers store: PostgreSQL or PGlite. */
	get onPostgres(): boolean {
		return this.opts.pgAdminUrl !== null;
	}

	/** The run's engine by name, for target names. */
	get engineName(): string {
		return this.onPostgres ? 'PostgreSQL' : 'PGlite';
	}

	progress(msg: string): void {
		process.stderr.write(`[bench ${((performance.now() - this.started) / 1000).toFixed(1)}s] ${msg}\n`);
	}

	/** A fresh PostgreSQL database on `adminUrl`, dropped at teardown. */
	async createDatabase(adminUrl = this.opts.pgAnyUrl): Promise<{ url: string; name: string }> {
		const name = `fellesplan_bench_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		this.cleanups.push(async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		});
		const url = new URL(adminUrl);
		url.pathname = '/' + name;
		return { url: url.toString(), name };
	}

	/** A temporary folder, removed at teardown. */
	tempDir(): string {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fellesplan-bench-'));
		this.cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
		return dir;
	}

	/**
	 * Storage for a server as the run's engine says: a fresh PostgreSQL database, a PGlite folder
	 * (`--pglite-disk`, or `survivesKill`: memory:// dies with the process), or PGlite in memory.
	 */
	async storage(opts: { survivesKill?: boolean } = {}): Promise<HostStorage> {
		if (this.opts.pgAdminUrl) {
			const db = await this.createDatabase(this.opts.pgAdminUrl);
			return { env: { BENCH_HOST_DB_URL: db.url }, database: db.name };
		}
		if (this.opts.pgliteDisk || opts.survivesKill)
			return { env: { BENCH_HOST_PGLITE_DIR: this.tempDir() }, database: null };
		return { env: {}, database: null };
	}

	/** Starts a server in its own process and waits until it listens. */
	async launch(kind: HostKind, storage: HostStorage = { env: {}, database: null }): Promise<HostInfo> {
		const handle = startHost(kind, storage.env);
		this.handles.add(handle);
		if (storage.database) this.databases.set(handle, storage.database);
		const init = await handle.call<HostInit>('init', {}, 180_000);
		return {
			kind,
			handle,
			wsBase: init.wsBase,
			framing: init.framing,
			engine: init.engine,
			database: storage.database
		};
	}

	/** Stops a server started with `launch` (or finds it already dead). */
	async stop(host: HostInfo): Promise<void> {
		await host.handle.stop();
		this.forget(host);
	}

	/** Kills a server with SIGKILL, as a crash would. */
	async kill(host: HostInfo): Promise<void> {
		await host.handle.kill();
		this.forget(host);
	}

	private forget(host: HostInfo): void {
		this.handles.delete(host.handle);
		this.databases.delete(host.handle);
	}

	/**
	 * Replaces one of the run's servers with a fresh process on fresh storage: for a server that fell so far
	 * behind that waiting for it to drain its backlog would hold up the run.
	 */
	async restartServer(kind: HostKind): Promise<HostInfo> {
		await this.kill(this.server(kind));
		const host = await this.launch(kind, kind === 'relay' ? undefined : await this.storage());
		this.servers.set(kind, host);
		return host;
	}

	server(kind: HostKind): HostInfo {
		const s = this.servers.get(kind);
		if (!s) throw new Error(`server ${kind} is not running`);
		return s;
	}

	/** The order servers take turns in: once each (quick), or there and back (full) so drift hits all alike. */
	blocks(kinds: readonly HostKind[]): HostKind[] {
		return this.quick ? [...kinds] : [...kinds, ...[...kinds].reverse()];
	}

	/** How a client reaches `docName` on `host`, in that server's framing. */
	spec(host: HostInfo, docName: string, cookie?: string, extra: Partial<BenchClientOptions> = {}): BenchClientOptions {
		return { url: host.wsBase + docName, docName, framing: host.framing, cookie, ...extra };
	}

	track(clients: BenchClient[]): BenchClient[] {
		for (const c of clients) this.clients.add(c);
		return clients;
	}

	closeAll(clients: BenchClient[]): void {
		for (const c of clients) {
			c.close();
			this.clients.delete(c);
		}
	}

	async waitConnections(hosts: HostInfo | HostInfo[], n: number, timeoutMs = 30_000): Promise<void> {
		const list = Array.isArray(hosts) ? hosts : [hosts];
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let total = 0;
			for (const h of list) total += (await h.handle.call<{ connections: number }>('stats')).connections;
			if (total === n) return;
			if (Date.now() > deadline) throw new Error(`${list.map((h) => h.kind)}: ${total} connections, expected ${n}`);
			await sleep(20);
		}
	}

	/**
	 * CPU time of one host process, ms: asked over IPC (microseconds); a host too busy to answer within 2 s (a
	 * server that fell behind) is read from /proc instead, the same counter in 10 ms ticks.
	 */
	async hostCpuMs(host: HostInfo | HostHandle): Promise<number> {
		const handle = 'handle' in host ? host.handle : host;
		try {
			const c = await handle.call<{ user: number; system: number }>('cpu', {}, 2000);
			return (c.user + c.system) / 1000;
		} catch {
			return procCpuMs(handle.pid);
		}
	}

	/** CPU time of the hosts plus their PostgreSQL backends, ms: what serving cost, wherever it ran. */
	async cpuMs(hosts: HostInfo[]): Promise<{ host: number; db: number }> {
		let host = 0;
		for (const h of hosts) host += await this.hostCpuMs(h);
		const db = await this.databaseCpuMs(hosts.map((h) => h.database).filter((d): d is string => !!d));
		return { host, db: [...db.values()].reduce((a, b) => a + b, 0) };
	}

	/**
	 * CPU time of the PostgreSQL backends serving these databases (from /proc: the server runs on this machine),
	 * by database. A backend that exited since the last reading takes its time with it.
	 */
	async databaseCpuMs(databases: string[]): Promise<Map<string, number>> {
		const out = new Map<string, number>();
		if (databases.length === 0) return out;
		this.admin ??= postgres(this.opts.pgAnyUrl, { max: 1, onnotice: () => {} });
		const rows = await this.admin<{ pid: number; datname: string }[]>`
			select pid, datname from pg_stat_activity where datname = any(${databases})`;
		for (const r of rows) out.set(r.datname, (out.get(r.datname) ?? 0) + procCpuMs(r.pid));
		return out;
	}

	async cpuMark(): Promise<CpuMark> {
		const self = process.cpuUsage();
		let benchMs = (self.user + self.system) / 1000;
		const hostMs: CpuMark['hostMs'] = {};
		const dbMs: CpuMark['dbMs'] = {};
		const byHandle = new Map([...this.servers.values()].map((s) => [s.handle, s.kind]));
		for (const h of this.handles) {
			const ms = await this.hostCpuMs(h);
			benchMs += ms;
			const kind = byHandle.get(h);
			if (kind) hostMs[kind] = ms;
		}
		const backends = await this.databaseCpuMs([...this.databases.values()]);
		for (const ms of backends.values()) benchMs += ms;
		for (const [kind, s] of this.servers) dbMs[kind] = s.database ? (backends.get(s.database) ?? 0) : 0;
		return { at: performance.now(), machineBusyMs: machineBusyMs(), benchMs, hostMs, dbMs };
	}

	/** Share of the whole machine (all cores) that processes other than the bench used between two marks, in %. */
	otherCpuPercent(a: CpuMark, b: CpuMark): number {
		const others = b.machineBusyMs - a.machineBusyMs - (b.benchMs - a.benchMs);
		return Math.max(0, (100 * others) / ((b.at - a.at) * os.availableParallelism()));
	}

	/** With `--wait-quiet`: wait (bounded) until the rest of the machine is quiet. */
	async waitQuiet(): Promise<void> {
		if (this.opts.waitQuietMs <= 0) return;
		const t = performance.now();
		const deadline = t + this.opts.waitQuietMs;
		for (;;) {
			const a = await this.cpuMark();
			await sleep(700);
			if (this.otherCpuPercent(a, await this.cpuMark()) < QUIET_PERCENT || performance.now() > deadline) break;
		}
		this.quietWaitedMs += performance.now() - t;
	}

	async teardown(): Promise<void> {
		for (const c of [...this.clients, ...liveClients]) c.terminate();
		this.clients.clear();
		await Promise.allSettled([...this.handles].map((h) => h.stop()));
		this.handles.clear();
		await this.admin?.end().catch(() => {});
		this.admin = null;
		for (const cleanup of this.cleanups.splice(0).reverse())
			await cleanup().catch((err) => this.progress(`cleanup failed: ${(err as Error).message}`));
	}
}

/** Machine busy time from /proc/stat, ms (all cores). */
function machineBusyMs(): number {
	try {
		const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
		const f = line.trim().split(/\s+/).slice(1).map(Number);
		const total = f.reduce((a, b) => a + b, 0);
		const idle = f[3] + (f[4] ?? 0);
		return ((total - idle) * 1000) / 100; // USER_HZ = 100
	} catch {
		return NaN;
	}
}

/** User + system CPU of a process from /proc/<pid>/stat, ms; 0 when it is gone. */
function procCpuMs(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return 0;
	}
}
