/** A target the bench checks, and what every part hands back to the runner. */
import { fmtKiB, fmtMs, r3 } from './stats';

export type Unit = 'ms' | 'ratio' | 'bytes' | 'count';

export interface Target {
	name: string;
	value: number;
	/** The most `value` may be (computed in this run, e.g. from the peer's figure). */
	limit: number;
	unit: Unit;
	/** How the limit is made, in words and figures ("≤ 1.2 × (HP 0.69 + commit 0.09)"). */
	rule: string;
	pass: boolean;
}

/** `value ≤ limit`; a figure that could not be measured (NaN) is a MISS, never a PASS. */
export function atMost(name: string, value: number, limit: number, unit: Unit, rule: string): Target {
	return { name, value, limit, unit, rule, pass: Number.isFinite(value) && Number.isFinite(limit) && value <= limit };
}

export function fmtValue(v: number, unit: Unit): string {
	if (unit === 'ms') return fmtMs(v);
	if (unit === 'bytes') return fmtKiB(v);
	if (unit === 'count') return Number.isFinite(v) ? String(v) : '–';
	return Number.isFinite(v) ? v.toFixed(2) : '–';
}

export function targetJson(t: Target) {
	return { ...t, value: r3(t.value), limit: r3(t.limit), result: t.pass ? 'PASS' : 'MISS' };
}

/** One part's output: its title and lines of the report, its targets and its figures for the `BENCH` line. */
export interface Section {
	title: string;
	lines: string[];
	targets: Target[];
	json: unknown;
}
