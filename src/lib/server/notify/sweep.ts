import { and, eq, gt, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import type { Db } from '../db';
import {
	meetingParticipants,
	meetings,
	meetingStatusNotes,
	notificationPreferences,
	planMembers,
	plans,
	projectedMeasures
} from '../db/schema';
import { seatIsLive } from '../access/seats';
import { planWarnings, WARN_DAYS } from '../plans/warnings';
import { addDays, OSLO, osloDay } from '../oslo-day';
import { link } from './kinds';
import { queueNotices, type NoticeEvent } from './notices';
import { enqueue } from '../jobs/queue';
import { seatHolders, serviceSeatHolders } from './recipients';

/** How far ahead "due soon" looks, and how long a measure may wait without an interim measure. */
export const SWEEP_DAYS = { dueSoon: 3, waiting: 30, statusNotes: 7 } as const;
const OPEN = ['requested', 'accepted', 'in_progress', 'on_hold'];
const DAY = 86_400_000;

const osloHour = new Intl.DateTimeFormat('en-GB', { timeZone: OSLO, hour: '2-digit', hourCycle: 'h23' });

export interface SweepOptions {
	/** The Oslo hour from which the day's digests go out (default 7). */
	digestHour?: number;
}

/**
 * The time-based notices, derived from what is stored now: due and overdue measures, measures waiting without an
 * interim measure, meetings (invited, moved, 24 hours before), status notes, the housekeeping warnings, and the
 * day's digests. Every event has a key naming it (`meeting.invited:<meetingId>:<userId>` …), so running the
 * sweep again, after a restart or on another node, queues nothing twice.
 */
export async function sweep(db: Db, now: Date, opts: SweepOptions = {}): Promise<number> {
	const events: NoticeEvent[] = [];
	const openPlans = await db
		.select({ id: plans.id, revisionDate: plans.revisionDate })
		.from(plans)
		.where(ne(plans.status, 'closed'));
	const planIds = openPlans.map((p) => p.id);
	const today = osloDay(now);
	const coordinatorsOf = memo((planId: string) => seatHolders(db, planId, ['coordinator'], now));
	const push = (e: Omit<NoticeEvent, 'dedupeKey'>, key: string) => events.push({ ...e, dedupeKey: key });

	if (planIds.length) {
		// Measures: due within three days, overdue, waiting a month with nothing meanwhile.
		const measures = await db
			.select()
			.from(projectedMeasures)
			.where(and(inArray(projectedMeasures.planId, planIds), inArray(projectedMeasures.status, OPEN)));
		const soon = addDays(today, SWEEP_DAYS.dueSoon);
		for (const m of measures) {
			const where = {
				planId: m.planId,
				linkPath: link.measure(m.planId, m.measureId),
				refs: { measureId: m.measureId }
			};
			if (m.dueDate && m.dueDate <= soon) {
				const kind = m.dueDate < today ? 'measure.overdue' : 'measure.due_soon';
				const owners = m.personId
					? [m.personId]
					: m.serviceId
						? await serviceSeatHolders(db, m.planId, m.serviceId, now)
						: [];
				for (const r of owners) push({ ...where, kind, recipientId: r }, `${kind}:${m.measureId}:${m.dueDate}:${r}`);
			}
			if (
				(m.status === 'requested' || m.status === 'on_hold') &&
				m.interimMeasure.trim() === '' &&
				m.updatedAt.getTime() <= now.getTime() - SWEEP_DAYS.waiting * DAY
			) {
				for (const r of await coordinatorsOf(m.planId))
					push(
						{ ...where, kind: 'measure.waiting', recipientId: r },
						`measure.waiting:${m.measureId}:${osloDay(m.updatedAt)}:${r}`
					);
			}
		}

		// Housekeeping, from the coordinator's warnings.
		for (const plan of openPlans) {
			const warnings = await planWarnings(db, plan.id, now);
			for (const w of warnings) {
				if (w.kind === 'consent_expiring') {
					const to = [
						...(await seatHolders(db, plan.id, ['patient', 'guardian'], now)),
						...(await coordinatorsOf(plan.id))
					];
					for (const r of new Set(to))
						push(
							{
								kind: 'consent.expiring',
								recipientId: r,
								planId: plan.id,
								linkPath: link.consent(plan.id),
								refs: { consentId: w.consentId }
							},
							`consent.expiring:${w.consentId}:${w.until}:${r}`
						);
				} else if (w.kind === 'no_coordinator') {
					// Someone must take the role: the staff who write in the plan are told, once a week.
					const week = Math.floor(now.getTime() / (7 * DAY));
					for (const r of await seatHolders(db, plan.id, ['specialist_coordinator', 'service_provider', 'gp'], now))
						push(
							{ kind: 'plan.no_coordinator', recipientId: r, planId: plan.id, linkPath: link.group(plan.id) },
							`plan.no_coordinator:${plan.id}:${week}:${r}`
						);
				}
			}
			// The revision date has come (the warning says "passed"; the day itself counts here).
			if (plan.revisionDate && plan.revisionDate <= today) {
				for (const r of await coordinatorsOf(plan.id))
					push(
						{ kind: 'plan.revision_due', recipientId: r, planId: plan.id, linkPath: link.plan(plan.id) },
						`plan.revision_due:${plan.id}:${plan.revisionDate}:${r}`
					);
			}
		}

		// My committed period ends within 14 days.
		const seats = await db
			.select({
				id: planMembers.id,
				planId: planMembers.planId,
				userId: planMembers.userId,
				until: planMembers.committedUntil
			})
			.from(planMembers)
			.where(and(inArray(planMembers.planId, planIds), seatIsLive(now), isNotNull(planMembers.committedUntil)));
		const horizon = addDays(today, WARN_DAYS.commitment);
		for (const s of seats) {
			if (s.until && s.until >= today && s.until <= horizon)
				push(
					{
						kind: 'commitment.ending',
						recipientId: s.userId,
						planId: s.planId,
						linkPath: link.group(s.planId),
						refs: { seatId: s.id }
					},
					`commitment.ending:${s.id}:${s.until}`
				);
		}

		// Meetings ahead: invited, moved, and the reminder a day before.
		const ahead = await db
			.select({
				id: meetings.id,
				planId: meetings.planId,
				startsAt: meetings.startsAt,
				movedAt: meetings.movedAt,
				createdBy: meetings.createdBy,
				userId: meetingParticipants.userId
			})
			.from(meetings)
			.innerJoin(meetingParticipants, eq(meetingParticipants.meetingId, meetings.id))
			.where(and(inArray(meetings.planId, planIds), eq(meetings.status, 'planned'), gt(meetings.startsAt, now)));
		for (const m of ahead) {
			const where = {
				planId: m.planId,
				recipientId: m.userId,
				linkPath: link.meeting(m.planId, m.id),
				refs: { meetingId: m.id }
			};
			if (m.userId !== m.createdBy) {
				push({ ...where, kind: 'meeting.invited' }, `meeting.invited:${m.id}:${m.userId}`);
				if (m.movedAt)
					push({ ...where, kind: 'meeting.moved' }, `meeting.moved:${m.id}:${m.movedAt.getTime()}:${m.userId}`);
			}
			if (m.startsAt.getTime() - now.getTime() <= DAY)
				push({ ...where, kind: 'meeting.reminder' }, `meeting.reminder:${m.id}:${m.startsAt.getTime()}:${m.userId}`);
		}

		// A member posted a status note: the coordinator is told.
		const notes = await db
			.select({
				id: meetingStatusNotes.id,
				userId: meetingStatusNotes.userId,
				meetingId: meetings.id,
				planId: meetings.planId
			})
			.from(meetingStatusNotes)
			.innerJoin(meetings, eq(meetings.id, meetingStatusNotes.meetingId))
			.where(
				and(
					inArray(meetings.planId, planIds),
					gt(meetingStatusNotes.createdAt, new Date(now.getTime() - SWEEP_DAYS.statusNotes * DAY)),
					lte(meetingStatusNotes.createdAt, now)
				)
			);
		for (const n of notes) {
			for (const r of await coordinatorsOf(n.planId)) {
				if (r !== n.userId)
					push(
						{
							kind: 'status_note.posted',
							recipientId: r,
							planId: n.planId,
							linkPath: link.meeting(n.planId, n.meetingId),
							refs: { meetingId: n.meetingId, noteId: n.id }
						},
						`status_note.posted:${n.id}:${r}`
					);
			}
		}
	}

	const queued = await queueNotices(db, events, now);
	await queueDigests(db, now, opts.digestHour ?? 7);
	return queued;
}

/** Once a day, from the digest hour: one digest job per person who chose a digest for some kind. */
async function queueDigests(db: Db, now: Date, digestHour: number): Promise<void> {
	if (Number(osloHour.format(now)) < digestHour) return;
	const people = await db
		.selectDistinct({ userId: notificationPreferences.userId })
		.from(notificationPreferences)
		.where(eq(notificationPreferences.email, 'digest'));
	const day = osloDay(now);
	await enqueue(
		db,
		people.map((p) => ({ type: 'digest', dedupeKey: `digest:${p.userId}:${day}`, payload: { userId: p.userId, day } })),
		now
	);
}

function memo<T>(f: (key: string) => Promise<T>): (key: string) => Promise<T> {
	const cache = new Map<string, Promise<T>>();
	return (key) => {
		if (!cache.has(key)) cache.set(key, f(key));
		return cache.get(key)!;
	};
}
