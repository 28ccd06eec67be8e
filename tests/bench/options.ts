/** The bench's command line (see README.md). */

/** Every part, in the order a run takes them (`--only=` picks some). */
export const PARTS = [
	'heap',
	'floor',
	'sql',
	'prop',
	'hot',
	'connect',
	'open',
	'history',
	'fuzz',
	'crash',
	'gate',
	'multi'
] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
	quick: boolean;
	only: Set<Part>;
	/** `--scenario=editors2,clients500`: only these propagation scenarios. */
	propScenarios: string[] | null;
	/** `--wait-quiet[=s]`: before each measurement wait (at most s seconds) until other processes use < 10 % CPU. */
	waitQuietMs: number;
	/** `--pglite-disk`: PGlite in a temporary data folder instead of memory:// (the production embedded mode). */
	pgliteDisk: boolean;
	/** `--pg` or BENCH_DATABASE_URL: the servers store into a real PostgreSQL (fresh databases on this server). */
	pgAdminUrl: string | null;
	/** PostgreSQL for the parts that need one whatever the engine (the floor's PostgreSQL half, several nodes). */
	pgAnyUrl: string;
	redisUrl: string;
}

export function parseOptions(argv: string[]): BenchOptions {
	const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
	const only = value('only')?.split(',') ?? [...PARTS];
	for (const p of only)
		if (!(PARTS as readonly string[]).includes(p)) throw new Error(`unknown part ${p}: ${PARTS.join(', ')}`);
	const waitQuiet = argv.find((a) => a.startsWith('--wait-quiet'));
	const pgAnyUrl =
		process.env.BENCH_DATABASE_URL || process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	return {
		quick: argv.includes('--quick'),
		only: new Set(only as Part[]),
		propScenarios: value('scenario')?.split(',') ?? null,
		waitQuietMs: waitQuiet ? 1000 * Number(waitQuiet.split('=')[1] ?? 60) : 0,
		pgliteDisk: argv.includes('--pglite-disk'),
		pgAdminUrl: process.env.BENCH_DATABASE_URL || argv.includes('--pg') ? pgAnyUrl : null,
		pgAnyUrl,
		redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
	};
}
