import type { ContactKind } from '../../vocabulary';

/**
 * What a contact entry says about reaching the patient. A miss is an appointment the patient did not come to, or a
 * door that stayed shut; a contact is a conversation or a meeting. An SMS sent is neither: it says someone tried,
 * not that anyone was reached, so it leaves a run of misses as it is.
 */
export const MISS_KINDS: ReadonlySet<ContactKind> = new Set(['no_show', 'door_not_opened']);
export const REACHED_KINDS: ReadonlySet<ContactKind> = new Set(['phone', 'home_visit', 'met']);

/** Misses in a row that the coordinator is told about. */
export const MISSES_FLAGGED_AT = 3;

/** A note stays a short note; a reason for striking one out, a sentence. */
export const NOTE_MAX = 500;
export const STRIKE_REASON_MAX = 300;
/** How far back an entry may be dated (a late note of last month's visit, not a history import). */
export const BACKDATE_MAX_DAYS = 366;
/** Clocks differ by a little; an entry "now" from a phone a minute fast is not in the future. */
export const FUTURE_GRACE_MS = 2 * 60_000;

export interface StreakEntry {
	kind: ContactKind;
	occurredAt: Date;
	createdAt: Date;
	measureId: string | null;
	struck: boolean;
}

/** The misses since the last time the patient was reached: on the whole plan (`measureId` null) or on one measure. */
export interface MissRun {
	measureId: string | null;
	count: number;
	/** The first and the latest miss of the run. */
	since: Date;
	last: Date;
}

function runOf(entries: StreakEntry[], measureId: string | null): MissRun | null {
	let run: MissRun | null = null;
	for (const e of entries) {
		if (MISS_KINDS.has(e.kind)) {
			if (run) run = { measureId, count: run.count + 1, since: run.since, last: e.occurredAt };
			else run = { measureId, count: 1, since: e.occurredAt, last: e.occurredAt };
		} else if (REACHED_KINDS.has(e.kind)) run = null;
	}
	return run;
}

/**
 * The current runs of misses, in the order things happened (struck-out entries do not count): one for the plan,
 * over every entry, and one per measure over the entries that name it. A plan-level "met" clears the plan's run
 * but not a measure's: missing every NAV appointment while meeting ACT at home is the pattern to see.
 */
export function missRuns(entries: StreakEntry[]): { plan: MissRun | null; measures: MissRun[] } {
	const live = entries
		.filter((e) => !e.struck)
		.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
	const measureIds = [...new Set(live.map((e) => e.measureId).filter((id): id is string => !!id))];
	const measures = measureIds
		.map((id) =>
			runOf(
				live.filter((e) => e.measureId === id),
				id
			)
		)
		.filter((r): r is MissRun => !!r);
	return { plan: runOf(live, null), measures };
}

/** The runs long enough to tell the coordinator about: the plan's first, then measures by their latest miss. */
export function flaggedRuns(entries: StreakEntry[], threshold = MISSES_FLAGGED_AT): MissRun[] {
	const { plan, measures } = missRuns(entries);
	return [
		...(plan && plan.count >= threshold ? [plan] : []),
		...measures.filter((r) => r.count >= threshold).sort((a, b) => b.last.getTime() - a.last.getTime())
	];
}
