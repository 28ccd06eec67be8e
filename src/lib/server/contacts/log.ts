/**
 * The contact log: recording an entry, striking one out, reading them. Every call checks the person's live access
 * (`followUpAccess`), validates what a client sent, and is audited by ids only (never the note).
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { contactEntries, services, users } from '../db/schema';
import { CONTACT_KINDS, type ContactKind } from '../../vocabulary';
import { recordAudit } from '../audit';
import { followUpAccess, FollowUpError, type ContactCtx } from './access';
import type { PlanAccess } from '../access/plans';
import { BACKDATE_MAX_DAYS, FUTURE_GRACE_MS, NOTE_MAX, STRIKE_REASON_MAX } from './rules';
import { osloWallTime } from './oslo-time';
import { planMeasureTitles } from './plan-measures';
import { flagsOf } from './flag';
import { announceFlagChanges } from './flag-changes';

/** What a form or a JSON body sends, as text (a member's client may send anything). */
export interface ContactInput {
	kind: string;
	/** `YYYY-MM-DDTHH:MM`, Oslo time; empty means now. An ISO instant with a zone is taken too (JSON). */
	occurredAt?: string | null;
	measureId?: string | null;
	note?: string | null;
}

export interface ValidContact {
	kind: ContactKind;
	occurredAt: Date;
	measureId: string | null;
	note: string | null;
}

/** Checks every field; throws a 400 naming the first bad one. */
export function validateContact(input: ContactInput, measureIds: ReadonlySet<string>, now = new Date()): ValidContact {
	if (typeof input.kind !== 'string' || !(CONTACT_KINDS as readonly string[]).includes(input.kind))
		throw new FollowUpError(400, 'invalid_kind', 'kind');
	let occurredAt = now;
	const when = typeof input.occurredAt === 'string' ? input.occurredAt.trim() : input.occurredAt == null ? '' : null;
	if (when === null) throw new FollowUpError(400, 'invalid_time', 'occurredAt');
	if (when) {
		const parsed = /[zZ]|[+-]\d{2}:\d{2}$/.test(when) ? new Date(when) : osloWallTime(when);
		if (!parsed || Number.isNaN(parsed.getTime())) throw new FollowUpError(400, 'invalid_time', 'occurredAt');
		if (parsed.getTime() > now.getTime() + FUTURE_GRACE_MS) throw new FollowUpError(400, 'future_time', 'occurredAt');
		if (parsed.getTime() < now.getTime() - BACKDATE_MAX_DAYS * 86_400_000)
			throw new FollowUpError(400, 'too_old', 'occurredAt');
		occurredAt = parsed;
	}
	const measureId = typeof input.measureId === 'string' && input.measureId.trim() ? input.measureId.trim() : null;
	if (input.measureId != null && typeof input.measureId !== 'string')
		throw new FollowUpError(400, 'unknown_measure', 'measureId');
	if (measureId && !measureIds.has(measureId)) throw new FollowUpError(400, 'unknown_measure', 'measureId');
	if (input.note != null && typeof input.note !== 'string') throw new FollowUpError(400, 'invalid_note', 'note');
	const note = (input.note ?? '').replace(/\r\n?/g, '\n').trim();
	if (note.length > NOTE_MAX) throw new FollowUpError(400, 'note_too_long', 'note');
	return { kind: input.kind as ContactKind, occurredAt, measureId, note: note || null };
}

async function requireRecorder(db: Db, userId: string, planId: string, now: Date) {
	const who = await followUpAccess(db, userId, planId, now);
	if (!who?.records) {
		await recordAudit(db, { actorId: userId, action: 'plan.denied', planId });
		throw new FollowUpError(403, 'forbidden');
	}
	return who;
}

/** Records one entry. Returns its id and any "misses in a row" flag it raised or cleared. */
export async function recordContact(
	ctx: ContactCtx,
	userId: string,
	planId: string,
	input: ContactInput,
	now = new Date()
) {
	const who = await requireRecorder(ctx.db, userId, planId, now);
	const valid = validateContact(input, new Set((await planMeasureTitles(ctx.collab, planId)).keys()), now);
	const before = await flagsOf(ctx.db, planId);
	const [row] = await ctx.db
		.insert(contactEntries)
		.values({
			planId,
			measureId: valid.measureId,
			kind: valid.kind,
			occurredAt: valid.occurredAt,
			recordedBy: userId,
			serviceId: who.serviceId,
			note: valid.note,
			createdAt: now
		})
		.returning({ id: contactEntries.id });
	await recordAudit(ctx.db, {
		actorId: userId,
		action: 'contact.recorded',
		planId,
		target: row.id,
		detail: { kind: valid.kind, ...(valid.measureId ? { measureId: valid.measureId } : {}) }
	});
	const changes = await announceFlagChanges(ctx.db, userId, planId, before, row.id);
	return { id: row.id, ...changes };
}

/** Whoever wrote an entry strikes it out; the coordinator may too (someone has left, or it was written in the wrong plan). */
export function mayStrike(access: Pick<PlanAccess, 'roles'>, userId: string, recordedBy: string): boolean {
	return recordedBy === userId || access.roles.has('coordinator');
}

/** Strikes out a wrong entry, with a reason: the row stays, shown as struck, and no longer counts. */
export async function strikeContact(
	ctx: Pick<ContactCtx, 'db'>,
	userId: string,
	planId: string,
	entryId: string,
	reasonInput: unknown,
	now = new Date()
) {
	const who = await requireRecorder(ctx.db, userId, planId, now);
	const reason = typeof reasonInput === 'string' ? reasonInput.replace(/\r\n?/g, '\n').trim() : '';
	if (!reason) throw new FollowUpError(400, 'reason_required', 'reason');
	if (reason.length > STRIKE_REASON_MAX) throw new FollowUpError(400, 'reason_too_long', 'reason');
	const [entry] = await ctx.db
		.select({ recordedBy: contactEntries.recordedBy })
		.from(contactEntries)
		.where(and(eq(contactEntries.id, typeof entryId === 'string' ? entryId : ''), eq(contactEntries.planId, planId)))
		.limit(1);
	if (!entry) throw new FollowUpError(404, 'not_found', 'entryId');
	if (!mayStrike(who.access, userId, entry.recordedBy)) {
		await recordAudit(ctx.db, { actorId: userId, action: 'plan.denied', planId, target: entryId });
		throw new FollowUpError(403, 'not_yours', 'entryId');
	}
	const before = await flagsOf(ctx.db, planId);
	const done = await ctx.db
		.update(contactEntries)
		.set({ struckAt: now, struckBy: userId, struckReason: reason })
		.where(and(eq(contactEntries.id, entryId), eq(contactEntries.planId, planId), isNull(contactEntries.struckAt)))
		.returning({ id: contactEntries.id });
	if (done.length === 0) throw new FollowUpError(409, 'already_struck', 'entryId');
	await recordAudit(ctx.db, { actorId: userId, action: 'contact.struck', planId, target: entryId });
	return announceFlagChanges(ctx.db, userId, planId, before, entryId);
}

export interface ContactEntryView {
	id: string;
	kind: ContactKind;
	occurredAt: Date;
	measureId: string | null;
	note: string | null;
	recordedBy: { id: string; name: string };
	serviceName: string | null;
	createdAt: Date;
	struck: { at: Date; byName: string; reason: string } | null;
}

/** The entries of a plan (or of one measure), newest first, for someone allowed to read them (checked by the caller). */
export async function listContacts(
	db: Db,
	planId: string,
	opts: { measureId?: string | null } = {}
): Promise<ContactEntryView[]> {
	const struckBy = sql<string | null>`(select name from ${users} u where u.id = ${contactEntries.struckBy})`;
	const rows = await db
		.select({ e: contactEntries, name: users.name, serviceName: services.name, struckByName: struckBy })
		.from(contactEntries)
		.innerJoin(users, eq(users.id, contactEntries.recordedBy))
		.leftJoin(services, eq(services.id, contactEntries.serviceId))
		.where(
			and(eq(contactEntries.planId, planId), opts.measureId ? eq(contactEntries.measureId, opts.measureId) : undefined)
		)
		.orderBy(desc(contactEntries.occurredAt), desc(contactEntries.createdAt));
	return rows.map(({ e, name, serviceName, struckByName }) => ({
		id: e.id,
		kind: e.kind,
		occurredAt: e.occurredAt,
		measureId: e.measureId,
		note: e.note,
		recordedBy: { id: e.recordedBy, name },
		serviceName,
		createdAt: e.createdAt,
		struck: e.struckAt ? { at: e.struckAt, byName: struckByName ?? '', reason: e.struckReason ?? '' } : null
	}));
}

/** Entries per measure (struck ones too: they are in the list), for the measure's "Kontaktlogg (n)" link. */
export async function contactCounts(db: Db, planId: string): Promise<Record<string, number>> {
	const rows = await db
		.select({ measureId: contactEntries.measureId, n: sql<number>`count(*)::int` })
		.from(contactEntries)
		.where(eq(contactEntries.planId, planId))
		.groupBy(contactEntries.measureId);
	const out: Record<string, number> = {};
	for (const r of rows) if (r.measureId) out[r.measureId] = Number(r.n);
	return out;
}
