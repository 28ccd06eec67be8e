/**
 * The agenda: generated from the plan when a meeting is planned (and again on request), then edited by hand.
 * Generated: the patient's own points (one item for their words and own goals, in the language of whoever
 * planned the meeting, then each goal they expressed since the last meeting), overdue and waiting
 * measures, goals due for evaluation, consents and commitments that run out within 30 days (the plan's own
 * warnings, `plans/warnings.ts`). By hand: open questions, and the patient's (or guardian's) own points.
 * Titles are plain text; the page puts the kind in words in front of them.
 */
import * as Y from 'yjs';
import { and, asc, eq } from 'drizzle-orm';
import { LIMITS, listAllMeasures, listGoals, planDocName, type Goal, type Measure } from '../../plan';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { meetingAgendaItems } from '../db/schema';
import { type AgendaKind } from '../../vocabulary';
import type { PlanAccess } from '../access/plans';
import { recordAudit } from '../audit';
import { osloDay, osloToday } from '../oslo-day';
import { planWarnings } from '../plans/warnings';
import { loadPlanHeader } from '../plans/header';
import { m } from '../../paraglide/messages';
import { meetingOf, requireNotClosed, requireRuns, requireSees, runsMeetings, writesMeetings } from './access';
import { lastClosedMeeting } from './held';
import { MeetingError } from './errors';

export interface AgendaDeps {
	db: Db;
	collab: Pick<CollabServer, 'readDocState'>;
}

/** How far ahead a consent or a member's commitment that runs out goes on the agenda. */
export const AGENDA_HORIZON_DAYS = 30;

export interface AgendaDraft {
	kind: AgendaKind;
	title: string;
	ref: string | null;
}

/** Measures still under way (or waiting for an answer): the ones a date can be overdue for. */
const OPEN: ReadonlySet<Measure['status']> = new Set([
	'requested',
	'accepted',
	'counter_proposed',
	'in_progress',
	'on_hold'
]);
const WAITING: ReadonlySet<Measure['status']> = new Set(['requested', 'counter_proposed', 'on_hold']);
const LIVE_GOAL: ReadonlySet<Goal['status']> = new Set(['proposed', 'active', 'on_hold']);

/** What the plan puts on the agenda of `meetingId` now. */
export async function agendaFromPlan(
	deps: AgendaDeps,
	planId: string,
	startsAt: Date,
	now = new Date()
): Promise<AgendaDraft[]> {
	const doc = new Y.Doc();
	let goals: Goal[];
	let measures: Measure[];
	try {
		Y.applyUpdate(doc, await deps.collab.readDocState(planDocName(planId)));
		goals = listGoals(doc);
		measures = listAllMeasures(doc);
	} finally {
		doc.destroy();
	}
	const last = await lastClosedMeeting(deps.db, planId, startsAt);
	const since = last ? (last.closedAt ?? last.startsAt) : null;
	const sinceDay = since ? osloDay(since) : null;
	const today = osloToday(now);
	// First the patient's own points: their words and own goals, as they stand when the item is shown (`ref` voice;
	// the wall screen shows a goal they add during the meeting as they type it).
	const patient = (await loadPlanHeader(deps.db, planId))?.patient.name.split(/\s+/)[0] ?? '';
	const out: AgendaDraft[] = [
		{ kind: 'patient_point', title: m.meetings_agenda_own_points({ name: patient }), ref: 'voice' }
	];

	for (const g of goals) {
		if (g.expressedBy === 'patient' && LIVE_GOAL.has(g.status) && (!since || new Date(g.createdAt) > since))
			out.push({ kind: 'patient_point', title: g.title, ref: g.id });
	}
	for (const x of measures) {
		if (OPEN.has(x.status) && x.dueDate && x.dueDate < today)
			out.push({ kind: 'overdue_measure', title: x.title, ref: x.id });
		else if (WAITING.has(x.status)) out.push({ kind: 'waiting_measure', title: x.title, ref: x.id });
	}
	// Due for evaluation: a goal under way that nobody has evaluated since the last meeting (or ever).
	for (const g of goals) {
		if (g.status !== 'active') continue;
		const latest = g.evaluations.at(-1)?.date ?? null;
		if (!latest || (sinceDay && latest < sinceDay)) out.push({ kind: 'goal_evaluation', title: g.title, ref: g.id });
	}
	const horizon = { commitment: AGENDA_HORIZON_DAYS, consent: AGENDA_HORIZON_DAYS, draft: 14 };
	for (const w of await planWarnings(deps.db, planId, now, horizon)) {
		if (w.kind === 'consent_expiring')
			out.push({ kind: 'expiring_consent', title: `${w.grantee ?? '—'}, ${dayWords(w.until)}`, ref: w.consentId });
		else if (w.kind === 'commitment_ending')
			out.push({ kind: 'expiring_commitment', title: `${w.name}, ${dayWords(w.until)}`, ref: null });
	}
	return out.map((d) => ({ ...d, title: plainTitle(d.title) || '—' }));
}

/** `2026-12-31` → `31.12.2026`: the same in every language the app speaks. */
function dayWords(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	return `${d}.${m}.${y}`;
}

function plainTitle(text: string): string {
	return text.replace(/\s+/g, ' ').trim().slice(0, LIMITS.title);
}

/**
 * Replaces the generated items with what the plan says now; items added by hand stay, after them, in their
 * order. Used when a meeting is planned and when the coordinator asks for it again.
 */
export async function generateAgenda(
	deps: AgendaDeps,
	actorId: string,
	planId: string,
	meetingId: string,
	now = new Date()
): Promise<number> {
	const meeting = await meetingOf(deps.db, planId, meetingId);
	requireNotClosed(meeting);
	const drafts = await agendaFromPlan(deps, planId, meeting.startsAt, now);
	await deps.db.transaction(async (tx) => {
		const manual = await tx
			.select({ id: meetingAgendaItems.id })
			.from(meetingAgendaItems)
			.where(and(eq(meetingAgendaItems.meetingId, meetingId), eq(meetingAgendaItems.generated, false)))
			.orderBy(asc(meetingAgendaItems.position));
		await tx
			.delete(meetingAgendaItems)
			.where(and(eq(meetingAgendaItems.meetingId, meetingId), eq(meetingAgendaItems.generated, true)));
		if (drafts.length)
			await tx.insert(meetingAgendaItems).values(
				drafts.map((d, i) => ({
					meetingId,
					position: i,
					kind: d.kind,
					title: d.title,
					ref: d.ref,
					generated: true,
					createdBy: actorId
				}))
			);
		for (const [i, item] of manual.entries())
			await tx
				.update(meetingAgendaItems)
				.set({ position: drafts.length + i })
				.where(eq(meetingAgendaItems.id, item.id));
	});
	await recordAudit(deps.db, {
		actorId,
		action: 'meeting.agenda_changed',
		planId,
		target: meetingId,
		detail: { change: 'generated', items: drafts.length }
	});
	return drafts.length;
}

export interface AgendaItem {
	id: string;
	position: number;
	kind: AgendaKind;
	title: string;
	ref: string | null;
	generated: boolean;
	createdBy: string | null;
}

export async function listAgenda(db: Db, meetingId: string): Promise<AgendaItem[]> {
	return db
		.select({
			id: meetingAgendaItems.id,
			position: meetingAgendaItems.position,
			kind: meetingAgendaItems.kind,
			title: meetingAgendaItems.title,
			ref: meetingAgendaItems.ref,
			generated: meetingAgendaItems.generated,
			createdBy: meetingAgendaItems.createdBy
		})
		.from(meetingAgendaItems)
		.where(eq(meetingAgendaItems.meetingId, meetingId))
		.orderBy(asc(meetingAgendaItems.position), asc(meetingAgendaItems.createdAt));
}

const speaksForPatient = (access: PlanAccess) => access.roles.has('patient') || access.roles.has('guardian');

/** Kinds a person may add by hand: the coordinator any hand-made kind, the patient their own points, other writers open questions. */
export function addableKinds(access: PlanAccess | null): AgendaKind[] {
	if (!access) return [];
	if (runsMeetings(access)) return ['open_question', 'patient_point', 'other'];
	if (speaksForPatient(access) && access.scopes.has('meetings') && access.status !== 'closed') return ['patient_point'];
	if (writesMeetings(access)) return ['open_question'];
	return [];
}

function readTitle(raw: string): string {
	const title = plainTitle(raw);
	if (!title) throw new MeetingError(400, 'text_required', 'Write the agenda item.', 'title');
	if (raw.replace(/\s+/g, ' ').trim().length > LIMITS.title)
		throw new MeetingError(400, 'too_long', `At most ${LIMITS.title} characters.`, 'title');
	return title;
}

export async function addAgendaItem(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	input: { kind: string; title: string }
): Promise<string> {
	requireSees(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	const kinds = addableKinds(access);
	if (kinds.length === 0) throw new MeetingError(403, 'forbidden', 'You may not add to the agenda.');
	const kind = (kinds.includes(input.kind as AgendaKind) ? input.kind : kinds[0]) as AgendaKind;
	const title = readTitle(input.title);
	const items = await listAgenda(db, meetingId);
	const position = items.length ? Math.max(...items.map((i) => i.position)) + 1 : 0;
	const [row] = await db
		.insert(meetingAgendaItems)
		.values({ meetingId, position, kind, title, generated: false, createdBy: actorId })
		.returning({ id: meetingAgendaItems.id });
	await recordAudit(db, {
		actorId,
		action: 'meeting.agenda_changed',
		planId,
		target: meetingId,
		detail: { change: 'added', item: row.id }
	});
	return row.id;
}

async function itemOf(db: Db, meetingId: string, itemId: string): Promise<AgendaItem> {
	const item = (await listAgenda(db, meetingId)).find((i) => i.id === itemId);
	if (!item) throw new MeetingError(404, 'not_found', 'No such agenda item.');
	return item;
}

/** The coordinator edits every item; whoever added an item by hand may rename or remove it. */
async function requireEditable(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	itemId: string
): Promise<AgendaItem> {
	requireSees(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	const item = await itemOf(db, meetingId, itemId);
	if (!runsMeetings(access) && !(item.createdBy === actorId && !item.generated && addableKinds(access).length > 0))
		throw new MeetingError(403, 'forbidden', 'You may not change this agenda item.');
	return item;
}

export async function renameAgendaItem(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	itemId: string,
	rawTitle: string
): Promise<void> {
	await requireEditable(db, actorId, access, planId, meetingId, itemId);
	const title = readTitle(rawTitle);
	await db.update(meetingAgendaItems).set({ title }).where(eq(meetingAgendaItems.id, itemId));
	await recordAudit(db, {
		actorId,
		action: 'meeting.agenda_changed',
		planId,
		target: meetingId,
		detail: { change: 'renamed', item: itemId }
	});
}

export async function removeAgendaItem(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	itemId: string
): Promise<void> {
	await requireEditable(db, actorId, access, planId, meetingId, itemId);
	await db.delete(meetingAgendaItems).where(eq(meetingAgendaItems.id, itemId));
	await recordAudit(db, {
		actorId,
		action: 'meeting.agenda_changed',
		planId,
		target: meetingId,
		detail: { change: 'removed', item: itemId }
	});
}

/** One step up or down; positions are renumbered 0..n so the order stays whole. Coordinator only. */
export async function moveAgendaItem(
	db: Db,
	actorId: string,
	access: PlanAccess | null,
	planId: string,
	meetingId: string,
	itemId: string,
	direction: 'up' | 'down'
): Promise<void> {
	requireRuns(access);
	const meeting = await meetingOf(db, planId, meetingId);
	requireNotClosed(meeting);
	const items = await listAgenda(db, meetingId);
	const i = items.findIndex((x) => x.id === itemId);
	if (i < 0) throw new MeetingError(404, 'not_found', 'No such agenda item.');
	const j = direction === 'up' ? i - 1 : i + 1;
	if (j < 0 || j >= items.length) return;
	[items[i], items[j]] = [items[j], items[i]];
	await db.transaction(async (tx) => {
		for (const [position, item] of items.entries())
			await tx.update(meetingAgendaItems).set({ position }).where(eq(meetingAgendaItems.id, item.id));
	});
	await recordAudit(db, {
		actorId,
		action: 'meeting.agenda_changed',
		planId,
		target: meetingId,
		detail: { change: 'moved', item: itemId }
	});
}
