/**
 * Issue 6, defect 6: "a crash loses edits others have already seen". The server runs in a process of its own and
 * is killed with SIGKILL while a client edits every 20 ms; every edit an observer received before the kill must
 * be in the stored document afterwards, on PGlite (on disk) and on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/lib/server/db';
import { createTestDatabase, engines } from '../../helpers/services';
import { createPlan } from './fixtures';
import { cleanup, connectSynced, storedDoc, waitFor, withTimeout, type TestNode } from './harness';
import { readText, typeText } from './plan-edits';

interface ServerProcess {
	child: ChildProcess;
	node: TestNode;
}

/** Starts the server process and waits for its port. */
async function startProcess(env: Record<string, string>): Promise<ServerProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/collab-process.ts'], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const port = await withTimeout(
		new Promise<number>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (chunk) => {
				out += String(chunk);
				const m = /READY (\d+)/.exec(out);
				if (m) resolve(Number(m[1]));
			});
			child.once('exit', (code) => reject(new Error(`server process exited (${code})`)));
		}),
		30_000,
		'server process start'
	);
	const node: TestNode = {
		collab: null as never,
		port,
		wsBase: `ws://127.0.0.1:${port}/collab`,
		async stop() {
			child.kill('SIGKILL');
		}
	};
	return { child, node };
}

function killed(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

describe.each(engines)('a crash loses no edit anybody has seen (%s)', (engine) => {
	const dirs: string[] = [];
	const children: ChildProcess[] = [];
	afterEach(async () => {
		await cleanup();
		for (const c of children.splice(0)) c.kill('SIGKILL');
		for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
	});

	it(
		'defect 6: kill -9 while a client edits every 20 ms; everything an observer received is stored',
		{ timeout: 90_000 },
		async () => {
			// The database the server process will use, with the plan and sessions in it.
			let seed: Database & { drop?: () => Promise<void>; url?: string };
			let env: Record<string, string>;
			if (engine === 'pglite') {
				const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fellesplan-crash-'));
				dirs.push(dataDir);
				seed = await openDatabase({ dataDir });
				env = { DATA_DIR: dataDir, DATABASE_URL: '' };
			} else {
				seed = await createTestDatabase('postgres');
				env = { DATABASE_URL: seed.url! };
			}
			const plan = await createPlan(seed.db);
			// PGlite has one process on its folder at a time.
			if (engine === 'pglite') await seed.close();

			try {
				const server = await startProcess(env);
				children.push(server.child);
				const writer = await connectSynced(server.node, plan.planDoc, plan.coordinator);
				const observer = await connectSynced(server.node, plan.planDoc, plan.patient);
				let seq = 0;
				const typing = setInterval(() => typeText(writer.doc, `${seq++};`), 20);
				try {
					await waitFor(() => readText(observer.doc).split(';').length > 40, {
						what: 'edits flowing',
						timeout: 20_000
					});
					server.child.kill('SIGKILL');
					await killed(server.child);
				} finally {
					clearInterval(typing);
				}
				const seen = readText(observer.doc);
				expect(seen.length).toBeGreaterThan(0);
				writer.destroy();
				observer.destroy();

				// What is stored, read straight from the database after the crash.
				const after = engine === 'pglite' ? await openDatabase({ dataDir: env.DATA_DIR }) : seed;
				try {
					const stored = readText(await storedDoc(after.db, plan.planDoc));
					expect(
						stored.startsWith(seen),
						`observer saw ${seen.split(';').length - 1} edits; stored: ${stored.split(';').length - 1}`
					).toBe(true);
				} finally {
					if (engine === 'pglite') await after.close();
				}

				// And a restarted server serves it.
				const restarted = await startProcess(env);
				children.push(restarted.child);
				const reader = await connectSynced(restarted.node, plan.planDoc, plan.reader);
				expect(readText(reader.doc).startsWith(seen)).toBe(true);
			} finally {
				if (engine === 'postgres') await (seed as { drop(): Promise<void> }).drop();
			}
		}
	);
});
