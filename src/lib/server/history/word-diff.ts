/**
 * A word-level difference between two texts, for showing what was written and what was taken out. Words and the
 * spaces between them are the units; a common start and end are kept as they are, and the middle is aligned by
 * longest common subsequence while that stays small, else shown as taken out whole and written anew.
 */
export interface DiffPart {
	op: 'same' | 'ins' | 'del';
	text: string;
}

/** Above this many cells the middle is not aligned word by word (time and memory stay bounded). */
const MAX_CELLS = 250_000;

const tokens = (text: string) => text.split(/(\s+)/).filter((t) => t.length > 0);

function push(out: DiffPart[], op: DiffPart['op'], text: string): void {
	const last = out.at(-1);
	if (last && last.op === op) last.text += text;
	else out.push({ op, text });
}

export function wordDiff(before: string, after: string): DiffPart[] {
	const a = tokens(before);
	const b = tokens(after);
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let end = 0;
	while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
	const out: DiffPart[] = [];
	if (start > 0) push(out, 'same', a.slice(0, start).join(''));
	const x = a.slice(start, a.length - end);
	const y = b.slice(start, b.length - end);
	if (x.length * y.length > MAX_CELLS) {
		if (x.length > 0) push(out, 'del', x.join(''));
		if (y.length > 0) push(out, 'ins', y.join(''));
	} else {
		// lcs[i][j]: the longest common run of x[i..] and y[j..].
		const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
		for (let i = x.length - 1; i >= 0; i--)
			for (let j = y.length - 1; j >= 0; j--)
				lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
		let i = 0;
		let j = 0;
		while (i < x.length || j < y.length) {
			if (i < x.length && j < y.length && x[i] === y[j]) {
				push(out, 'same', x[i]);
				i++;
				j++;
			} else if (i < x.length && (j === y.length || lcs[i + 1][j] >= lcs[i][j + 1])) push(out, 'del', x[i++]);
			else push(out, 'ins', y[j++]);
		}
	}
	if (end > 0) push(out, 'same', a.slice(a.length - end).join(''));
	return out;
}
