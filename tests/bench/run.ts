/**
 * `npm run bench [-- --quick] [-- --pg] [-- --only=prop,hot]`: our sync server against its peer Hocuspocus (as
 * it ships, and storing every change) and the bare relay, every server in its own process, the same client code
 * for all, in alternating blocks; one file per part in `scenarios/`. Prints each part's table, then every
 * target with PASS or MISS; the last line is `BENCH {json}`. See tests/bench/README.md.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Bench, QUIET_PERCENT } from './context';
import { parseOptions, PARTS, type Part } from './options';
import { SERVER_KINDS, SERVER_LABEL, SERVER_SHORT } from './rpc';
import { table } from './stats';
import { fmtValue, targetJson, type Section } from './targets';
import { connect } from './scenarios/connect';
import { crash } from './scenarios/crash';
import { floor } from './scenarios/floor';
import { fuzz } from './scenarios/fuzz';
import { gate } from './scenarios/gate';
import { heap } from './scenarios/heap';
import { history } from './scenarios/history';
import { hotPlan } from './scenarios/hot-plan';
import { multinode } from './scenarios/multinode';
import { open } from './scenarios/open';
import { propagation } from './scenarios/propagation';
import { sql } from './scenarios/sql';

const RUN: Record<Part, (bench: Bench) => Promise<Section>> = {
	heap,
	floor,
	sql,
	prop: propagation,
	hot: hotPlan,
	connect,
	open,
	history,
	fuzz,
	crash,
	gate,
	multi: multinode
};
/** Parts whose targets add one commit to the peer's figures: the floor runs with them. */
const NEEDS_COMMIT: Part[] = ['prop'];

const version = (pkg: string) =>
	(
		JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as {
			version: string;
		}
	).version;

const bench = new Bench(parseOptions(process.argv.slice(2)));
process.once('SIGINT', () => {
	bench.progress('interrupted');
	void bench.teardown().finally(() => process.exit(130));
});

async function main(): Promise<void> {
	const { opts } = bench;
	bench.progress(
		`starting servers (${opts.quick ? 'quick' : 'full'} run, ${bench.onPostgres ? 'PostgreSQL' : opts.pgliteDisk ? 'PGlite in a data folder' : 'PGlite in memory'})`
	);
	const launched = await Promise.all(
		SERVER_KINDS.map(async (kind) => bench.launch(kind, kind === 'relay' ? undefined : await bench.storage()))
	);
	for (const host of launched) bench.servers.set(host.kind, host);
	const engine = bench.server('ours').engine;
	const runMark = await bench.cpuMark();

	const sections: [Part, Section][] = [];
	for (const part of PARTS) {
		const wanted = opts.only.has(part) || (part === 'floor' && NEEDS_COMMIT.some((p) => opts.only.has(p)));
		if (wanted) sections.push([part, await RUN[part](bench)]);
	}
	const serverWarnings = await bench.server('ours').handle.call<string[]>('errors');
	const otherCpu = bench.otherCpuPercent(runMark, await bench.cpuMark());
	const targets = sections.flatMap(([, s]) => s.targets);
	const versions = {
		'@hocuspocus/server': version('@hocuspocus/server'),
		'@hocuspocus/extension-database': version('@hocuspocus/extension-database'),
		'@y/websocket-server': version('@y/websocket-server'),
		yjs: version('yjs')
	};

	const out: string[] = [];
	out.push(
		'',
		`Fellesplan sync bench — ${opts.quick ? 'quick' : 'full'} run, ${new Date().toISOString()}, database ${engine}`
	);
	out.push(
		`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; ` +
			`Hocuspocus ${versions['@hocuspocus/server']}, yjs ${versions.yjs}, relay @y/websocket-server ${versions['@y/websocket-server']}`
	);
	out.push(
		`servers, each in its own process (all clients in this one, the same client code): ${SERVER_KINDS.map((k) => `${SERVER_SHORT[k]} = ${SERVER_LABEL[k]}`).join('; ')}`
	);
	out.push(
		`other processes used ${otherCpu.toFixed(0)} % of the machine's CPU during the run` +
			(otherCpu > QUIET_PERCENT ? '  ← BUSY MACHINE: figures are noisy, rerun when quiet (--wait-quiet)' : '')
	);
	if (opts.waitQuietMs > 0) out.push(`--wait-quiet: waited ${(bench.quietWaitedMs / 1000).toFixed(1)} s in total`);
	for (const [i, [, s]] of sections.entries()) out.push('', `${i + 1}. ${s.title}`, ...s.lines);
	out.push('', `Targets (${targets.filter((t) => t.pass).length} PASS, ${targets.filter((t) => !t.pass).length} MISS)`);
	out.push(
		table(
			['target', 'measured', 'limit', '×limit', 'result', 'limit is'],
			targets.map((t) => [
				t.name,
				fmtValue(t.value, t.unit),
				fmtValue(t.limit, t.unit),
				t.limit > 0 ? (t.value / t.limit).toFixed(2) : '–',
				t.pass ? 'PASS' : 'MISS',
				t.rule
			])
		)
	);
	if (serverWarnings.length) {
		out.push('', `Our server logged ${serverWarnings.length} warnings/errors (first 5):`);
		for (const w of serverWarnings.slice(0, 5)) out.push('  ' + w);
	}
	out.push(`\nwall time ${((performance.now() - bench.started) / 1000).toFixed(1)} s`);
	console.log(out.join('\n'));

	const json = {
		date: new Date().toISOString(),
		mode: opts.quick ? 'quick' : 'full',
		database: engine,
		machine: {
			cores: os.availableParallelism(),
			cpu: os.cpus()[0]?.model ?? null,
			node: process.version,
			platform: `${os.platform()} ${os.release()}`,
			otherCpuPercent: Math.round(otherCpu * 10) / 10
		},
		versions,
		method: {
			serversInChildProcesses: true,
			blocks: bench.blocks(SERVER_KINDS),
			waitQuietMs: opts.waitQuietMs,
			quietWaitedMs: Math.round(bench.quietWaitedMs)
		},
		parts: Object.fromEntries(sections.map(([p, s]) => [p, s.json])),
		targets: targets.map(targetJson),
		serverWarnings: serverWarnings.length,
		wallSeconds: Math.round(performance.now() - bench.started) / 1000
	};
	await bench.teardown();
	console.log(`BENCH ${JSON.stringify(json)}`);
}

try {
	await main();
} catch (err) {
	bench.progress(`failed: ${(err as Error).stack ?? err}`);
	await bench.teardown();
	process.exitCode = 1;
}
