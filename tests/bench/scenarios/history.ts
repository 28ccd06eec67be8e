/**
 * The history page of the plan with 100,000 stored updates (`large-plan.ts`), as its load runs on the server
 * (without SvelteKit around it): opened (the timeline's first page, the adopted versions, the authors' names,
 * the audit record), and comparing two points in it (a third and two thirds into the log: the same, plus the
 * plan at both points and their differences). Timed in the server process, where the database is.
 * Targets: each ≤ 1 s.
 */
import type { Bench } from '../context';
import type { HistoryTimes } from '../hosts/ours';
import { fmtMs, median, r3, table } from '../stats';
import { atMost, type Section } from '../targets';
import { largePlan } from './large-plan';

const LIMIT_MS = 1000;

export async function history(bench: Bench): Promise<Section> {
	const plan = await largePlan(bench);
	const repeats = bench.quick ? 2 : 5;
	bench.progress(`history: opening and comparing, ${repeats} times`);
	await bench.waitQuiet();
	const t = await bench
		.server('ours')
		.handle.call<HistoryTimes>('historyTimes', { planId: plan.planId, userId: plan.userId, repeats }, 600_000);
	const openMs = median(t.openMs);
	const compareMs = median(t.compareMs);
	const engine = bench.engineName;
	const targets = [
		atMost(`history of 100k updates: open, median (${engine})`, openMs, LIMIT_MS, 'ms', `≤ ${LIMIT_MS} ms`),
		atMost(
			`history of 100k updates: compare two points, median (${engine})`,
			compareMs,
			LIMIT_MS,
			'ms',
			`≤ ${LIMIT_MS} ms`
		)
	];
	const title = `History of a plan with ${t.rows.toLocaleString('en')} stored updates (${t.sessions} working session${t.sessions === 1 ? '' : 's'}), the page's server work, ${repeats} times`;
	const lines = [
		table(
			['view', 'median', 'all'],
			[
				['open (timeline, versions, names, audit)', fmtMs(openMs), t.openMs.map(fmtMs).join(', ')],
				[
					`compare update ${t.points[0]} with ${t.points[1]} (and the timeline): ${t.changes} changed`,
					fmtMs(compareMs),
					t.compareMs.map(fmtMs).join(', ')
				]
			]
		)
	];
	return {
		title,
		lines,
		targets,
		json: {
			...t,
			openMs: t.openMs.map(r3),
			compareMs: t.compareMs.map(r3),
			medianOpenMs: r3(openMs),
			medianCompareMs: r3(compareMs)
		}
	};
}
