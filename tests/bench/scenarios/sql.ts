/**
 * What a connection and an edit cost in SQL: every statement the server's database layer sends (drizzle's
 * logger, switched on in the host for the window) while one client connects to a plan nobody has open, a second
 * client joins it, the first makes its first edit, then another. For ours and for Hocuspocus (both through the
 * same database layer). Context for the connection figures, no target.
 */
import { getGoal } from '../../../src/lib/plan';
import { connectMany, sleep, withTimeout } from '../client';
import { addBenchGoal, BENCH_GOAL, benchEdit } from '../content';
import type { Bench, HostInfo } from '../context';
import type { SeededDoc, SqlTrace } from '../hosts/common';
import { SERVER_SHORT, type HostKind } from '../rpc';
import { table } from '../stats';
import type { Section } from '../targets';

/** Time for what a step sets off after its last reply (an audit row, a snapshot saved after the first sync). */
const SETTLE_MS = 300;

/** A statement in a few words: its verb and the first table it names. */
function gist(statement: string): string {
	const s = statement.toLowerCase();
	const table = /(?:from|into|update)\s+"?([a-z_]+)"?/.exec(s)?.[1] ?? '';
	const verb = s.startsWith('with') && s.includes('insert into') ? 'insert' : s.split(' ')[0];
	return `${verb} ${table}`.trim();
}

interface Step {
	step: string;
	trace: SqlTrace;
}

async function traceSteps(bench: Bench, host: HostInfo): Promise<Step[]> {
	const [doc] = await host.handle.call<SeededDoc[]>('seed', { plans: 1, perPlan: 2, content: 'empty' });
	const steps: Step[] = [];
	const traced = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
		await host.handle.call('sqlStart');
		const result = await f();
		await sleep(SETTLE_MS);
		await host.handle.call('flush');
		steps.push({ step, trace: await host.handle.call<SqlTrace>('sqlStop') });
		return result;
	};
	const connect = async (cookie: string) => bench.track(await connectMany([bench.spec(host, doc.docName, cookie)]))[0];
	const first = await traced('connect, plan not open', () => connect(doc.cookies[0]));
	const second = await traced('connect, plan open', () => connect(doc.cookies[1]));
	const seen = (title: string) =>
		withTimeout(
			(async () => {
				while (getGoal(second.doc, BENCH_GOAL)?.title !== title) await sleep(2);
			})(),
			10_000,
			`the edit ${title} reaching the second client on ${host.kind}`
		);
	await traced("a connection's first edit", async () => {
		addBenchGoal(first.doc);
		await seen('#0');
	});
	await traced('a later edit', async () => {
		benchEdit(first.doc, 1);
		await seen('#1');
	});
	bench.closeAll([first, second]);
	await bench.waitConnections(host, 0);
	await host.handle.call('reset', { flush: true });
	return steps;
}

export async function sql(bench: Bench): Promise<Section> {
	const kinds: HostKind[] = ['ours', 'hocuspocus'];
	const results = new Map<HostKind, Step[]>();
	for (const kind of kinds) {
		bench.progress(`sql: statements per connection and edit, ${kind}`);
		results.set(kind, await traceSteps(bench, bench.server(kind)));
	}
	const title =
		"SQL per connection and per edit: every statement the server's database layer sent (transactions counted apart)";
	const lines = [
		table(
			['server', 'step', 'statements', 'transactions', 'what'],
			kinds.flatMap((k) =>
				results
					.get(k)!
					.map((s, i) => [
						i === 0 ? SERVER_SHORT[k] : '',
						s.step,
						String(s.trace.statements.length),
						String(s.trace.transactions),
						s.trace.statements.map(gist).join('; ')
					])
			)
		)
	];
	return { title, lines, targets: [], json: Object.fromEntries(results) };
}
