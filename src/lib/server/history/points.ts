/**
 * Points in a plan's history, as they travel in links and forms: `now` (the live plan), an update id of the log
 * (the plan right after that update; `0` is the empty plan), or an adopted version's id.
 */
import * as Y from 'yjs';
import type { DocKind } from '../../plan';
import { DOC_PREFIX } from '../../plan';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { docsAtUpdate, docsOfVersion } from './log';

export type HistoryPoint = { kind: 'now' } | { kind: 'update'; id: number } | { kind: 'version'; id: string };

const UPDATE_ID = /^\d{1,15}$/;
const VERSION_ID = /^[a-z0-9]{1,64}$/;

/** A point from a query parameter; null when it is absent or not a point (the page says so). */
export function parsePoint(raw: string | null | undefined): HistoryPoint | null {
	if (!raw) return null;
	if (raw === 'now') return { kind: 'now' };
	if (UPDATE_ID.test(raw)) return { kind: 'update', id: Number(raw) };
	// Version ids are base32 (`server/id.ts`): letters as well as digits, so never mistaken for an update id.
	if (VERSION_ID.test(raw)) return { kind: 'version', id: raw };
	return null;
}

export function pointParam(point: HistoryPoint): string {
	return point.kind === 'now' ? 'now' : String(point.id);
}

export interface PointDeps {
	db: Db;
	collab: Pick<CollabServer, 'readDocState'>;
}

/** The plan's `kinds` documents at `point`, or null for a version that is not this plan's. Destroy them after use. */
export async function docsAtPoint(
	deps: PointDeps,
	planId: string,
	kinds: readonly DocKind[],
	point: HistoryPoint
): Promise<Partial<Record<DocKind, Y.Doc>> | null> {
	if (point.kind === 'update') return docsAtUpdate(deps.db, planId, kinds, point.id);
	if (point.kind === 'version') return docsOfVersion(deps.db, planId, point.id, kinds);
	const docs: Partial<Record<DocKind, Y.Doc>> = {};
	for (const kind of kinds) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await deps.collab.readDocState(DOC_PREFIX[kind] + planId));
		docs[kind] = doc;
	}
	return docs;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Oslo's offset from UTC at `instant`, in ms. */
function osloOffset(instant: number): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: 'Europe/Oslo',
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit'
		})
			.formatToParts(new Date(instant))
			.map((p) => [p.type, Number(p.value)])
	);
	return (
		Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - Math.floor(instant / 60_000) * 60_000
	);
}

/** A `datetime-local` value (`2026-11-22T21:05`) read as Oslo time; null when it is not one. */
export function parseOsloDateTime(value: string | null | undefined): Date | null {
	const match = value ? LOCAL_TIME.exec(value) : null;
	if (!match) return null;
	const [y, mo, d, h, mi] = match.slice(1).map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
	const wall = Date.UTC(y, mo - 1, d, h, mi);
	// Two steps settle the offset when the clocks change between the guess and the moment itself.
	const guess = wall - osloOffset(wall);
	const at = new Date(wall - osloOffset(guess));
	return Number.isNaN(at.getTime()) ? null : at;
}

/** An instant as a `datetime-local` value in Oslo time (to fill the form with what was asked for). */
export function osloDateTimeValue(at: Date): string {
	const local = new Date(at.getTime() + osloOffset(at.getTime()));
	return local.toISOString().slice(0, 16);
}
