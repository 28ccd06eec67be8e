/**
 * The timeline: the attributed update log in working sessions (one person's consecutive updates, each less than
 * `SESSION_GAP_MS` after the one before), newest first, each told as what changed. What changed is read by
 * replaying the log once, in order, into fresh documents and reading the model at the sessions' edges: linear
 * in the log, however many sessions are shown.
 */
import * as Y from 'yjs';
import type { DocKind } from '../../plan';
import type { Db } from '../db';
import { loadLog, type LogRow } from './log';
import { diffPlanStates, readPlanState, type PlanDiff, type PlanState } from './state';

/** Updates by one person less than this far apart are one working session. */
export const SESSION_GAP_MS = 20 * 60_000;
/** Sessions on one page of the timeline. */
export const SESSIONS_PER_PAGE = 20;

export interface Session {
	/** Null: a change without a person behind it (the server's own housekeeping, a data migration). */
	userId: string | null;
	/** The log's ids: the plan before the session is the point `firstId - 1`, after it `lastId`. */
	firstId: number;
	lastId: number;
	startedAt: Date;
	endedAt: Date;
	updates: number;
	kinds: DocKind[];
}

export interface TimelineSession extends Session {
	diff: PlanDiff;
}

export interface Timeline {
	sessions: TimelineSession[];
	page: number;
	hasMore: boolean;
	/** Sessions in the whole log. */
	total: number;
}

/** Sessions of a log (oldest first in, oldest first out). */
export function groupSessions(rows: readonly LogRow[], gapMs = SESSION_GAP_MS): Session[] {
	const out: Session[] = [];
	for (const row of rows) {
		const last = out.at(-1);
		if (last && last.userId === row.userId && row.createdAt.getTime() - last.endedAt.getTime() < gapMs) {
			last.lastId = row.id;
			last.endedAt = row.createdAt;
			last.updates++;
			if (!last.kinds.includes(row.kind)) last.kinds.push(row.kind);
			continue;
		}
		out.push({
			userId: row.userId,
			firstId: row.id,
			lastId: row.id,
			startedAt: row.createdAt,
			endedAt: row.createdAt,
			updates: 1,
			kinds: [row.kind]
		});
	}
	return out;
}

/**
 * One page of the timeline of the plan's `kinds` documents (the ones the reader may see), newest session first.
 * Replays the log up to the page's newest session, reading the model only at the edges of the page's sessions.
 */
export async function loadTimeline(db: Db, planId: string, kinds: readonly DocKind[], page = 1): Promise<Timeline> {
	const rows = await loadLog(db, planId, kinds);
	const sessions = groupSessions(rows);
	const total = sessions.length;
	const pages = Math.max(1, Math.ceil(total / SESSIONS_PER_PAGE));
	const safePage = Math.min(Math.max(1, page), pages);
	// Newest first: page 1 is the end of the log.
	const end = total - (safePage - 1) * SESSIONS_PER_PAGE;
	const start = Math.max(0, end - SESSIONS_PER_PAGE);
	const shown = sessions.slice(start, end);
	if (shown.length === 0) return { sessions: [], page: safePage, hasMore: false, total };

	const docs = Object.fromEntries(kinds.map((k) => [k, new Y.Doc()])) as Partial<Record<DocKind, Y.Doc>>;
	try {
		// The model at the edges only: before the first shown session, and after each shown session.
		let first: PlanState | null = null;
		const after = new Map<number, PlanState>();
		const ends = new Set(shown.map((s) => s.lastId));
		const stopAt = shown.at(-1)!.lastId;
		for (const row of rows) {
			if (row.id > stopAt) break;
			if (row.id === shown[0].firstId) first = readPlanState(docs);
			Y.applyUpdate(docs[row.kind]!, row.update);
			if (ends.has(row.id)) after.set(row.id, readPlanState(docs));
		}
		const described = shown.map((s, i) => ({
			...s,
			diff: diffPlanStates(i === 0 ? first! : after.get(shown[i - 1].lastId)!, after.get(s.lastId)!)
		}));
		return { sessions: described.reverse(), page: safePage, hasMore: start > 0, total };
	} finally {
		for (const doc of Object.values(docs)) doc?.destroy();
	}
}
