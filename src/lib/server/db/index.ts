import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema';
import { runDataMigrations } from './data-migrations';
import { markEngine, type Db, type Engine } from './handle';

export { engineOf, type Db, type Engine } from './handle';

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

/** Opens the database and applies pending migrations (schema, then data), on either engine. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
	const migrationsFolder = opts.migrationsDir ?? defaultMigrationsDir();
	if (opts.url) {
		const client = postgres(opts.url, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres(client, { schema }) as unknown as Db;
		await migratePostgres(db as never, { migrationsFolder });
		markEngine(db, 'postgres');
		await runDataMigrations(db);
		return { db, engine: 'postgres', close: () => client.end({ timeout: 5 }) };
	}
	const client = await PGlite.create(opts.dataDir);
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	await migratePglite(db as never, { migrationsFolder });
	markEngine(db, 'pglite');
	await runDataMigrations(db);
	return { db, engine: 'pglite', close: () => client.close() };
}

export { schema };
