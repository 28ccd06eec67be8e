/**
 * A person's caret and presence colour, derived from their id so every device agrees without storing it.
 * All are dark enough for white label text at WCAG AA (≥ 4.5:1).
 */
const PALETTE = ['#1f5f8b', '#8a3b12', '#1e6b3a', '#6b2d8a', '#8a1f4d', '#005f73', '#5c4d00', '#3d4ea8'];

export function colorForUser(userId: string): string {
	let h = 0;
	for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
	return PALETTE[h % PALETTE.length];
}
