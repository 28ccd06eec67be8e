/**
 * The floor: what storing an update costs at the least, with the raw drivers (PGlite's `query`, `postgres`'s
 * `unsafe` with a prepared statement) and no layer above them, into the real `doc_updates` table:
 *   - one commit: one single-row INSERT … RETURNING id, autocommit (atomic on its own, no explicit transaction);
 *   - group commit: many updates in one multi-row INSERT (one commit for all of them).
 * On both engines in every run (PostgreSQL when it is reachable). The run's engine's one commit is what the
 * propagation and CPU targets add to Hocuspocus's figures.
 */
import type { Bench } from '../context';
import { openDatabase } from '../../../src/lib/server/db';
import { fmtMs, median, percentile, r3, table } from '../stats';
import type { Section } from '../targets';

interface RawQuery {
	(text: string, params: unknown[]): Promise<unknown>;
}

export interface FloorFigures {
	engine: string;
	/**
	 * One commit: wall per call (median, mean, p99), CPU of this process per call (mean: the process's CPU over all
	 * calls, GC and the embedded database's housekeeping included), PostgreSQL backend CPU per call.
	 */
	commit: { wallMs: number; wallMeanMs: number; wallP99Ms: number; cpuMs: number; dbCpuMs: number };
	/** Group commit, per update, by batch size; `perSecond`: updates one core stores (process + backend CPU). */
	groups: { batch: number; wallMs: number; cpuMs: number; dbCpuMs: number; perSecond: number }[];
}

const UPDATE = new Uint8Array(30).fill(7);
const INSERT_ONE = 'insert into doc_updates (doc_name, update, user_id) values ($1, $2, $3) returning id';
const insertMany = (n: number) =>
	`insert into doc_updates (doc_name, update, user_id) values ${Array.from(
		{ length: n },
		(_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`
	).join(', ')} returning id`;

async function measure(
	engine: string,
	query: RawQuery,
	dbCpu: () => Promise<number>,
	quick: boolean
): Promise<FloorFigures> {
	const calls = quick ? 1000 : 5000;
	const docName = 'plan:floor';
	for (let i = 0; i < 200; i++) await query(INSERT_ONE, [docName, UPDATE, 'floor']);
	const wall: number[] = [];
	let d0 = await dbCpu();
	let c0 = process.cpuUsage();
	for (let i = 0; i < calls; i++) {
		const t = performance.now();
		await query(INSERT_ONE, [docName, UPDATE, 'floor']);
		wall.push(performance.now() - t);
	}
	let c = process.cpuUsage(c0);
	const commit = {
		wallMs: median(wall),
		wallMeanMs: wall.reduce((a, b) => a + b, 0) / calls,
		wallP99Ms: percentile(
			wall.sort((a, b) => a - b),
			99
		),
		cpuMs: (c.user + c.system) / 1000 / calls,
		dbCpuMs: ((await dbCpu()) - d0) / calls
	};
	const groups: FloorFigures['groups'] = [];
	for (const batch of [10, 100]) {
		const text = insertMany(batch);
		const params = Array.from({ length: batch }, () => [docName, UPDATE, 'floor']).flat();
		for (let i = 0; i < 20; i++) await query(text, params);
		const rounds = Math.max(20, Math.round(calls / batch));
		d0 = await dbCpu();
		c0 = process.cpuUsage();
		const t = performance.now();
		for (let i = 0; i < rounds; i++) await query(text, params);
		const ms = performance.now() - t;
		c = process.cpuUsage(c0);
		const n = rounds * batch;
		const cpuMs = (c.user + c.system) / 1000 / n;
		const dbCpuMs = ((await dbCpu()) - d0) / n;
		groups.push({ batch, wallMs: ms / n, cpuMs, dbCpuMs, perSecond: 1000 / (cpuMs + dbCpuMs) });
	}
	return { engine, commit, groups };
}

export async function floor(bench: Bench): Promise<Section> {
	const figures: FloorFigures[] = [];
	const notes: string[] = [];
	bench.progress('floor: one commit and group commit, raw drivers');
	const dir = bench.opts.pgliteDisk ? bench.tempDir() : 'memory://';
	const pglite = await openDatabase({ dataDir: dir });
	try {
		const client = (pglite.db as unknown as { $client: { query(t: string, p: unknown[]): Promise<unknown> } }).$client;
		await bench.waitQuiet();
		figures.push(
			await measure(
				`PGlite (${dir === 'memory://' ? 'memory://' : 'data folder'})`,
				(t, p) => client.query(t, p),
				async () => 0,
				bench.quick
			)
		);
	} finally {
		await pglite.close();
	}
	try {
		const created = await bench.createDatabase();
		const pg = await openDatabase({ url: created.url, dataDir: '' });
		try {
			const client = (pg.db as unknown as { $client: { unsafe(t: string, p: unknown[], o: object): Promise<unknown> } })
				.$client;
			await bench.waitQuiet();
			figures.push(
				await measure(
					'PostgreSQL',
					(t, p) => client.unsafe(t, p, { prepare: true }),
					async () => (await bench.databaseCpuMs([created.name])).get(created.name) ?? 0,
					bench.quick
				)
			);
		} finally {
			await pg.close();
		}
	} catch (err) {
		notes.push(`PostgreSQL not measured: ${(err as Error).message}`);
	}
	const run = figures.find((f) => f.engine.startsWith(bench.onPostgres ? 'PostgreSQL' : 'PGlite'));
	if (run) bench.commit = { wallMs: run.commit.wallMs, cpuMs: run.commit.cpuMs };

	const title =
		'Floor: storing one 30-byte update into doc_updates with the raw driver (no layer above it), per update';
	const lines = [
		table(
			[
				'engine',
				'how',
				'wall (median)',
				'wall p99',
				'CPU, this process',
				'CPU, PostgreSQL backend',
				'updates/s, one core'
			],
			figures.flatMap((f) => [
				[
					f.engine,
					'one commit (INSERT … RETURNING, autocommit)',
					fmtMs(f.commit.wallMs),
					fmtMs(f.commit.wallMeanMs),
					fmtMs(f.commit.wallP99Ms),
					fmtMs(f.commit.cpuMs),
					fmtMs(f.commit.dbCpuMs),
					String(Math.round(1000 / (f.commit.cpuMs + f.commit.dbCpuMs)))
				],
				...f.groups.map((g) => [
					'',
					`group commit, ${g.batch} per INSERT`,
					'',
					fmtMs(g.wallMs),
					'',
					fmtMs(g.cpuMs),
					fmtMs(g.dbCpuMs),
					String(Math.round(g.perSecond))
				])
			])
		),
		`   the targets add this run's engine's one commit: ${run ? `${fmtMs(run.commit.wallMs)} wall, ${fmtMs(run.commit.cpuMs)} CPU in the server process` : 'not measured'}`,
		...notes.map((n) => `   note: ${n}`)
	];
	const json = figures.map((f) => ({
		engine: f.engine,
		commit: Object.fromEntries(Object.entries(f.commit).map(([k, v]) => [k, r3(v)])),
		groups: f.groups.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, r3(v)])))
	}));
	return { title, lines, targets: [], json };
}
