/** Small statistics and formatting helpers for the bench. */

export interface LatencySummary {
	n: number;
	/** Receivers that never saw the edit within the round timeout. */
	lost: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: number[], lost = 0): LatencySummary {
	const s = [...samples].sort((a, b) => a - b);
	const sum = s.reduce((a, b) => a + b, 0);
	return {
		n: s.length,
		lost,
		p50: percentile(s, 50),
		p90: percentile(s, 90),
		p99: percentile(s, 99),
		max: s.length ? s[s.length - 1] : NaN,
		mean: s.length ? sum / s.length : NaN
	};
}

export function median(xs: number[]): number {
	return percentile(
		[...xs].sort((a, b) => a - b),
		50
	);
}

/** A latency summary for the JSON line. */
export function roundSummary(s: LatencySummary) {
	return { n: s.n, lost: s.lost, p50: r3(s.p50), p90: r3(s.p90), p99: r3(s.p99), max: r3(s.max), mean: r3(s.mean) };
}

/** Round for the JSON line: 3 decimals for ms figures. */
export function r3(x: number): number {
	return Math.round(x * 1000) / 1000;
}

export function fmtMs(x: number): string {
	if (!Number.isFinite(x)) return '–';
	if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
	if (x >= 100) return `${x.toFixed(0)} ms`;
	if (x >= 10) return `${x.toFixed(1)} ms`;
	return `${x.toFixed(2)} ms`;
}

export function fmtKiB(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A plain-text table with left-aligned first column and right-aligned others. */
export function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
