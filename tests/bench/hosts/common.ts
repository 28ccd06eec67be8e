/**
 * What every server host does the same way: its database (PGlite in memory or in a folder, or a PostgreSQL URL),
 * accounts and plans made with the integration tests' fixtures, its heap after a full GC, a CPU profile over a
 * window, the event loop's delay, and a trace of the SQL statements its database layer sends.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database, type Db } from '../../../src/lib/server/db';
import { plans } from '../../../src/lib/server/db/schema';
import { addMember, createUser, testId, type TestUser } from '../../integration/collab/fixtures';
import type { HostKind } from '../rpc';

export interface SeedArgs {
	plans: number;
	perPlan: number;
	/** 'demo': each plan doc starts as the demo plan (stored), 'empty': nothing stored. */
	content: 'empty' | 'demo';
	/** One writer account shared by every plan (fewer rows), or a distinct account per seat. */
	sharedUsers?: boolean;
	/** Extra seats with read access only, per plan. */
	readers?: number;
}

export interface SeededDoc {
	docName: string;
	/** One cookie per seat (empty strings for the relay). */
	cookies: string[];
	userIds: string[];
	/** Cookies of the read-only seats. */
	readerCookies?: string[];
}

export interface HeapFigures {
	heapUsed: number;
	heapTotal: number;
	external: number;
	arrayBuffers: number;
	rss: number;
}

/** What `init` answers: where to connect, how to frame messages, and which database is behind it. */
export interface HostInit {
	port: number;
	/** The URL a document's name is appended to. */
	wsBase: string;
	framing: 'y-websocket' | 'hocuspocus';
	engine: string;
}

/** SQL sent by a host's database layer while a trace ran: statements in order, transactions counted apart. */
export interface SqlTrace {
	statements: string[];
	transactions: number;
}

export const hostKind = process.argv[2] as HostKind;

/** The host's database, as `BENCH_HOST_DB_URL` / `BENCH_HOST_PGLITE_DIR` say (default: PGlite in memory). */
export async function openHostDatabase(): Promise<Database & { label: string }> {
	const url = process.env.BENCH_HOST_DB_URL || undefined;
	const dir = process.env.BENCH_HOST_PGLITE_DIR || 'memory://';
	const database = await openDatabase(url ? { url, dataDir: '' } : { dataDir: dir });
	const label = url
		? database.engine
		: `${database.engine} (${dir === 'memory://' ? 'memory://' : 'data folder on disk'})`;
	return { ...database, label };
}

/**
 * Accounts (each with a session) and documents. With `seats`, each document is a plan whose accounts have
 * writing seats and consent, as our server checks; without, only the accounts (Hocuspocus checks the session
 * alone). `store` writes the demo plan as the document's stored content.
 */
export async function seedDocs(
	db: Db,
	args: SeedArgs,
	opts: { seats: boolean; store?: (docName: string, userId: string) => Promise<void> }
): Promise<SeededDoc[]> {
	const out: SeededDoc[] = [];
	const shared = args.sharedUsers
		? await Promise.all(Array.from({ length: args.perPlan }, () => createUser(db)))
		: null;
	for (let p = 0; p < args.plans; p++) {
		const planId = testId();
		const seats: TestUser[] = shared ?? [];
		if (!shared) for (let i = 0; i < args.perPlan; i++) seats.push(await createUser(db));
		const readers: TestUser[] = [];
		for (let i = 0; i < (args.readers ?? 0); i++) readers.push(await createUser(db));
		if (opts.seats) {
			await db
				.insert(plans)
				.values({ id: planId, patientId: seats[0].id, title: `Bench ${p}`, createdBy: seats[0].id });
			for (const s of seats) await addMember(db, planId, s.id, 'service_provider', 'write');
			for (const r of readers) await addMember(db, planId, r.id, 'relative', 'read');
		}
		const docName = `plan:${planId}`;
		if (args.content === 'demo') await opts.store?.(docName, seats[0].id);
		out.push({
			docName,
			cookies: seats.map((s) => s.cookie),
			userIds: seats.map((s) => s.id),
			readerCookies: readers.map((r) => r.cookie)
		});
	}
	return out;
}

export async function fullGc(): Promise<HeapFigures> {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('server host needs --expose-gc');
	for (let i = 0; i < 4; i++) {
		gc();
		await new Promise((r) => setImmediate(r));
	}
	const m = process.memoryUsage();
	return {
		heapUsed: m.heapUsed,
		heapTotal: m.heapTotal,
		external: m.external,
		arrayBuffers: m.arrayBuffers,
		rss: m.rss
	};
}

/**
 * The commands every host answers besides its own: CPU time, heap, a CPU profile over a window
 * (`profStart` … `profStop`, written to tests/bench/profiles/<kind>-<name>.cpuprofile; summarise with
 * profile-summary.ts) and the event loop's delay over a window (how long it was blocked).
 */
export function commonCommands() {
	const inspector = new Session();
	let profilerOn = false;
	const post = <T = unknown>(method: string, params?: object): Promise<T> =>
		new Promise((resolve, reject) =>
			inspector.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)))
		);
	const eld = monitorEventLoopDelay({ resolution: 1 });
	return {
		cpu: () => process.cpuUsage(),
		heap: () => fullGc(),
		async profStart() {
			if (!profilerOn) {
				inspector.connect();
				await post('Profiler.enable');
				await post('Profiler.setSamplingInterval', { interval: 200 });
				profilerOn = true;
			}
			await post('Profiler.start');
			return true;
		},
		async profStop(args: { name: string }) {
			const { profile } = await post<{ profile: unknown }>('Profiler.stop');
			const dir = fileURLToPath(new URL('../profiles/', import.meta.url));
			mkdirSync(dir, { recursive: true });
			const file = `${dir}${hostKind}-${args.name}.cpuprofile`;
			writeFileSync(file, JSON.stringify(profile));
			return file;
		},
		eldStart: () => {
			eld.reset();
			eld.enable();
			return true;
		},
		eldStop: () => {
			eld.disable();
			return { maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6, meanMs: eld.mean / 1e6 };
		}
	};
}

interface DrizzleLogger {
	logQuery(query: string, params: unknown[]): void;
}
interface TraceableSession {
	logger: DrizzleLogger;
	options: { logger?: DrizzleLogger };
	transaction(...args: unknown[]): Promise<unknown>;
}

/**
 * Records every statement drizzle sends on `db` while on (its logger hook; a transaction's own session inherits
 * it), and counts transactions (their BEGIN and COMMIT are not statements drizzle logs). Observation only: the
 * code under test is unchanged, and while off the logger is drizzle's own no-op again.
 */
export function sqlTracer(db: Db) {
	const session = (db as unknown as { session: TraceableSession }).session;
	const noop = session.logger;
	const transaction = session.transaction;
	let trace: SqlTrace | null = null;
	const logger: DrizzleLogger = { logQuery: (q) => trace?.statements.push(q.replace(/\s+/g, ' ').trim()) };
	return {
		start(): void {
			trace = { statements: [], transactions: 0 };
			session.logger = logger;
			session.options.logger = logger;
			session.transaction = (...args: unknown[]) => {
				if (trace) trace.transactions++;
				return transaction.apply(session, args);
			};
		},
		stop(): SqlTrace {
			const t = trace ?? { statements: [], transactions: 0 };
			trace = null;
			session.logger = noop;
			session.options.logger = noop;
			session.transaction = transaction;
			return t;
		}
	};
}

export function safeJson(v: unknown): string {
	try {
		return JSON.stringify(v, (_k, x) => (x instanceof Error ? { message: x.message } : x)).slice(0, 400);
	} catch {
		return '[unserialisable]';
	}
}
