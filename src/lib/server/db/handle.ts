/**
 * The database handle as every module sees it, apart from how it was opened (`index.ts`). Code that runs while the
 * database opens (the data migrations, the document store they write through) imports from here.
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Engine = 'pglite' | 'postgres';
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

const engines = new WeakMap<Db, Engine>();

export function markEngine(db: Db, engine: Engine): void {
	engines.set(db, engine);
}

/**
 * The engine behind a handle. On the embedded PGlite this process is the only writer, so work that must be
 * serialised across nodes (append order, the audit chain) needs no database lock there.
 */
export function engineOf(db: Db): Engine {
	return engines.get(db) ?? 'postgres';
}
