/**
 * `npx tsx tests/bench/append-cost.ts [--pg | --disk]`: what storing ONE accepted update costs the server's event
 * loop, as the write queue does it at a low edit rate (one `PgDocStore.append` per update), split into
 * its statements. Context for the propagation figures; see README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { PgDocStore } from '../../src/lib/server/collab/doc-store';
import { openDatabase } from '../../src/lib/server/db';
import { docUpdates } from '../../src/lib/server/db/schema';
import { median } from './stats';

const usePg = process.argv.includes('--pg') || !!process.env.BENCH_DATABASE_URL;
const adminUrl =
	process.env.BENCH_DATABASE_URL || process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const N = 300;

let drop: (() => Promise<void>) | null = null;
let url: string | undefined;
if (usePg) {
	const name = `fellesplan_bench_append_${process.pid}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const u = new URL(adminUrl);
	u.pathname = '/' + name;
	url = u.toString();
	drop = async () => {
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	};
}

// `--disk`: PGlite in a data folder (as `npm start` runs it without DATABASE_URL) instead of in memory.
const diskDir = process.argv.includes('--disk') ? mkdtempSync(path.join(os.tmpdir(), 'fellesplan-bench-')) : null;
const database = await openDatabase(url ? { url, dataDir: '' } : { dataDir: diskDir ?? 'memory://' });
const db = database.db;
const store = new PgDocStore(db);
const update = new Uint8Array(30).fill(7);
const docName = 'plan:appendcost';

/** Wall time and CPU time (this thread) per call, median over `n` after a warm-up; and the stalls. */
async function measure(label: string, f: (i: number) => Promise<unknown>, n = N) {
	for (let i = 0; i < 50; i++) await f(i);
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < n; i++) {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		await f(i);
		wall.push(performance.now() - t0);
		const c = process.cpuUsage(c0);
		cpu.push((c.user + c.system) / 1000);
	}
	const stalls = wall.filter((w) => w > 20).length;
	console.log(
		`${label.padEnd(58)} wall ${median(wall).toFixed(3).padStart(7)} ms   cpu ${median(cpu).toFixed(3).padStart(7)} ms   max ${Math.max(
			...wall
		)
			.toFixed(1)
			.padStart(6)} ms` + (stalls ? `   ${stalls} of ${n} calls > 20 ms` : '')
	);
}

console.log(
	`engine: ${database.engine}${diskDir ? ' (data folder on disk)' : url ? '' : ' (memory://)'}; ${N} calls each (append: 5000), one 30-byte update per call; median per call`
);
await measure(
	'PgDocStore.append (txn + advisory lock + insert returning)',
	() => store.append(docName, [{ update, userId: 'u1', at: new Date() }]),
	5000
);
const single = new PgDocStore(db, { singleProcess: true });
await measure('PgDocStore.append, single process (as on PGlite)', () =>
	single.append(docName, [{ update, userId: 'u1', at: new Date() }])
);
await measure('  transaction + advisory lock only', () =>
	db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${0x6670}::int4, hashtext(${docName}))`);
	})
);
await measure('  insert returning id, no transaction', () =>
	db
		.insert(docUpdates)
		.values({ docName, update, userId: 'u1', createdAt: new Date() })
		.returning({ id: docUpdates.id })
);
await measure('  select 1', () => db.execute(sql`select 1`));
await measure('PgDocStore.append of a 20-entry batch (per batch)', () =>
	store.append(
		docName,
		Array.from({ length: 20 }, () => ({ update, userId: 'u1', at: new Date() }))
	)
);

await database.close();
await drop?.();
if (diskDir) rmSync(diskDir, { recursive: true, force: true });
