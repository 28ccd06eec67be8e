import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Engine = 'pglite' | 'postgres';
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
	db: Db;
	engine: Engine;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	/** A `postgres://` URL selects a real PostgreSQL; without it the embedded PGlite is used. */
	url?: string;
	/** Folder for the embedded store; `memory://` keeps it in memory (tests). */
	dataDir: string;
	migrationsDir?: string;
}

/** `drizzle/` at the project root: the app is started from there (npm scripts); `MIGRATIONS_DIR` overrides. */
export function defaultMigrationsDir(): string {
	return path.resolve(process.env.MIGRATIONS_DIR ?? path.join(process.cwd(), 'drizzle'));
}

/** Opens the database and applies pending migrations, on either engine. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
	const migrationsFolder = opts.migrationsDir ?? defaultMigrationsDir();
	if (opts.url) {
		const client = postgres(opts.url, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres(client, { schema });
		await migratePostgres(db, { migrationsFolder });
		return { db: db as unknown as Db, engine: 'postgres', close: () => client.end({ timeout: 5 }) };
	}
	const client = await PGlite.create(opts.dataDir);
	const db = drizzlePglite(client, { schema });
	await migratePglite(db, { migrationsFolder });
	return { db: db as unknown as Db, engine: 'pglite', close: () => client.close() };
}

export { schema };
