import { afterAll, beforeAll } from 'vitest';
import postgres from 'postgres';
import { openDatabase, type Database, type Engine } from '../../src/lib/server/db';
import { reachable } from './reachable';

/**
 * Real PostgreSQL and Redis for the tests that need them. On a laptop without them those tests skip with a
 * clear message; under CI=true a missing service is a failure, never a skip.
 */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const inCI = process.env.CI === 'true';

async function requireService(name: string, url: string): Promise<boolean> {
	const ok = await reachable(url, 5432);
	if (!ok && inCI) throw new Error(`${name} is not reachable at ${url}, and CI=true forbids skipping these tests`);
	if (!ok)
		console.warn(`[skip] ${name} not reachable at ${url}: tests that need it are skipped (they run under CI=true)`);
	return ok;
}

export const postgresAvailable = await requireService('PostgreSQL', PG_ADMIN_URL);
export const redisAvailable = await requireService('Redis', REDIS_URL);

/** The engines a test should run on: PGlite always, PostgreSQL when it is here (always in CI). */
export const engines: Engine[] = postgresAvailable ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
	/** Connection URL for a real PostgreSQL test database (so a second node can open the same one). */
	url?: string;
	drop(): Promise<void>;
}

/** A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database dropped afterwards. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
	if (engine === 'pglite') {
		const database = await openDatabase({ dataDir: 'memory://' });
		return { ...database, drop: () => database.close() };
	}
	const name = `fellesplan_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(PG_ADMIN_URL);
	url.pathname = '/' + name;
	const database = await openDatabase({ url: url.toString(), dataDir: '' });
	return {
		...database,
		url: url.toString(),
		async drop() {
			await database.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/** A fresh database for one describe block: created before its tests, dropped after them. */
export function useTestDatabase(engine: Engine): () => TestDatabase {
	let database: TestDatabase | undefined;
	beforeAll(async () => {
		database = await createTestDatabase(engine);
	});
	afterAll(async () => {
		await database?.drop();
	});
	return () => {
		if (!database) throw new Error('the test database is only there inside tests');
		return database;
	};
}
