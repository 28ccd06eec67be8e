import { sql } from 'drizzle-orm';
import { dataMigrations } from '../schema';
import type { Db } from '../handle';
import { mergeOwnGoals } from './merge-own-goals';
import { splitCrisisPlan } from './split-crisis-plan';

/** Changes to stored data (not to the schema) that run once, in this order, at start-up after the SQL migrations. */
const MIGRATIONS: Array<{ name: string; run(db: Db): Promise<unknown> }> = [
	{ name: '2026-11-split-crisis-plan', run: splitCrisisPlan },
	{ name: '2026-11-merge-own-goals', run: mergeOwnGoals }
];

const LOCK = 0x6664; // "fd"

/**
 * Runs the data migrations this database has not had yet, each in a transaction with its bookkeeping row, under
 * an advisory lock so that two nodes starting at once do not both run one.
 */
export async function runDataMigrations(db: Db): Promise<string[]> {
	const ran: string[] = [];
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${LOCK}::int4, 0)`);
		const done = new Set((await tx.select({ name: dataMigrations.name }).from(dataMigrations)).map((r) => r.name));
		for (const m of MIGRATIONS) {
			if (done.has(m.name)) continue;
			await m.run(tx as unknown as Db);
			await tx.insert(dataMigrations).values({ name: m.name });
			ran.push(m.name);
		}
	});
	return ran;
}
