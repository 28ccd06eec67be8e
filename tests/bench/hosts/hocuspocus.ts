/**
 * The peer, Hocuspocus (`@hocuspocus/server` with `@hocuspocus/extension-database`, on Yjs 13), in a host process,
 * set up as a team using it on this project's stack would: its own `Server` (HTTP and WebSocket through crossws)
 * on 127.0.0.1, a login hook that checks the session cookie in the database (the project's session check without
 * the activity write: one indexed select), and the database extension storing the whole document into a table
 * of the same engine through the same database layer. `hocuspocus` keeps its defaults (stores 2 s after the last
 * change, at most every 10 s while changes keep coming: it forwards first); `hocuspocus-durable` sets
 * `debounce: 0`, storing on every change.
 */
import { Database as DatabaseExtension } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { eq, sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import * as Y from 'yjs';
import { sessionTokenFromCookieHeader, validateSessionToken } from '../../../src/lib/server/auth/session';
import { bytea } from '../../../src/lib/server/db/schema';
import { demoPlanUpdate, marksIn } from '../content';
import { serveRpc } from '../rpc';
import { commonCommands, hostKind, openHostDatabase, seedDocs, sqlTracer, type SeedArgs } from './common';

/** The extension's table: one row per document, its whole state. Bench-only, created at start. */
const documents = pgTable('bench_hocuspocus_documents', {
	name: text('name').primaryKey(),
	data: bytea('data').notNull()
});

/** As long as ours allows in the bench (`sessionIdleMinutes: 600`). */
const SESSION_IDLE_MS = 600 * 60_000;

export async function runHocuspocus(durable: boolean): Promise<void> {
	const database = await openHostDatabase();
	const db = database.db;
	await db.execute(
		sql`create table if not exists bench_hocuspocus_documents (name text primary key, data bytea not null)`
	);
	const errors: string[] = [];
	const server = new Server({
		name: hostKind,
		port: 0,
		address: '127.0.0.1',
		quiet: true,
		stopOnSignals: false,
		...(durable ? { debounce: 0 } : {}),
		websocketOptions: { maxPayload: 1024 * 1024 },
		async onAuthenticate({ requestHeaders }) {
			const token = sessionTokenFromCookieHeader(requestHeaders.get('cookie') ?? undefined);
			const auth = await validateSessionToken(db, token, SESSION_IDLE_MS, false);
			if (!auth) throw new Error('unauthenticated');
			return { userId: auth.user.id };
		},
		extensions: [
			new DatabaseExtension({
				fetch: async ({ documentName }) => {
					const [row] = await db
						.select({ data: documents.data })
						.from(documents)
						.where(eq(documents.name, documentName))
						.limit(1);
					return row?.data ?? null;
				},
				store: async ({ documentName, state }) => {
					await db
						.insert(documents)
						.values({ name: documentName, data: state })
						.onConflictDoUpdate({ target: documents.name, set: { data: sql`excluded.data` } });
				}
			})
		]
	});
	const hp = server.hocuspocus;
	await server.listen();
	const port = server.address.port;

	const stats = () => ({ docs: hp.getDocumentsCount(), connections: hp.getConnectionsCount() });
	/** Stores what is waiting for its debounce now, and waits until no store is running. */
	async function flush(): Promise<void> {
		hp.flushPendingStores();
		const deadline = Date.now() + 30_000;
		const busy = () =>
			[...hp.documents.keys()].some(
				(name) =>
					hp.debouncer.isDebounced(`onStoreDocument-${name}`) ||
					hp.debouncer.isCurrentlyExecuting(`onStoreDocument-${name}`)
			);
		while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
	}

	let demo: Uint8Array | null = null;
	const sql_ = sqlTracer(db);
	serveRpc({
		...commonCommands(),
		init: () => ({
			port,
			wsBase: `ws://127.0.0.1:${port}/`,
			framing: 'hocuspocus',
			engine: database.label
		}),
		async seed(args: SeedArgs) {
			if (args.content === 'demo') demo ??= await demoPlanUpdate();
			return seedDocs(db, args, {
				seats: false,
				store: async (docName) => void (await db.insert(documents).values({ name: docName, data: demo! }))
			});
		},
		async reset() {
			hp.closeConnections();
			await flush();
			return stats();
		},
		stats,
		flush,
		errors: () => errors.splice(0),
		sqlStart: () => sql_.start(),
		sqlStop: () => sql_.stop(),
		async storedMarks(args: { docName: string }) {
			const [row] = await db.select({ data: documents.data }).from(documents).where(eq(documents.name, args.docName));
			const doc = new Y.Doc();
			try {
				if (row) Y.applyUpdate(doc, row.data);
				return [...marksIn(doc)];
			} finally {
				doc.destroy();
			}
		},
		async shutdown() {
			setImmediate(async () => {
				try {
					await Promise.race([server.destroy(), new Promise((r) => setTimeout(r, 5000))]);
					await database.close();
				} finally {
					process.exit(0);
				}
			});
			return true;
		}
	});
}
