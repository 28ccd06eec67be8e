import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { notifications, users } from '../db/schema';
import type { Mailer } from '../mail/mailer';
import { isNoticeKind, type NoticeKind } from './kinds';
import { digestEmail, messageLocale, noticeEmail, noticeSms } from './messages';
import { createNotice, noticeOf, type NoticeEvent } from './notices';
import { preferencesOf } from './preferences';
import { complete, drop, enqueue, type Job } from '../jobs/queue';
import type { JobHandler, Schedule } from '../jobs/worker';
import { mayBeTold } from './recipients';
import type { SmsGateway } from './sms';
import { sweep, type SweepOptions } from './sweep';

export interface DeliveryDeps {
	db: Db;
	/** Null: no SMTP configured, so no e-mail is queued. */
	mailer: Mailer | null;
	sms: SmsGateway;
	/** The public address links in messages start with (`https://fellesplan.example`). */
	baseUrl: string;
	sweep?: SweepOptions;
	/** A notice was created for this person (their open pages are told). */
	onNotice?(userId: string): void;
}

/** What the queue runs for notifications: a notice to create, a message to send, the daily digest, the periodic sweep. */
export const NOTIFY_JOB_TYPES = ['notice', 'email', 'sms', 'digest', 'sweep'] as const;
export type NotifyJobType = (typeof NOTIFY_JOB_TYPES)[number];

/** The notification jobs' handlers, and the sweep every `sweepEveryMs` (default 60 s; 0: never). */
export function notifyJobs(
	deps: DeliveryDeps,
	sweepEveryMs = 60_000
): { handlers: Record<NotifyJobType, JobHandler>; schedules: Schedule[] } {
	const runMessageJob = (job: Job, now: Date) => runMessage(deps, job, now);
	return {
		handlers: {
			notice: { run: (job, now) => runNotice(deps, job, now) },
			email: { run: runMessageJob },
			sms: { run: runMessageJob },
			digest: { run: (job, now) => runDigest(deps, job, now) },
			sweep: {
				async run(job, now) {
					await sweep(deps.db, now, deps.sweep);
					await complete(deps.db, job, now);
				}
			}
		},
		schedules: [{ type: 'sweep', everyMs: sweepEveryMs }]
	};
}

async function recipient(db: Db, userId: string) {
	const [u] = await db
		.select({ email: users.email, phone: users.phone, locale: users.locale, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.id, userId));
	return u && !u.disabledAt ? u : null;
}

/** Creates the in-app notice if the recipient may still be told, then queues what they asked for at once. */
async function runNotice(deps: DeliveryDeps, job: Job, now: Date): Promise<void> {
	const e = job.payload as unknown as NoticeEvent;
	if (!isNoticeKind(e.kind)) return drop(deps.db, job, 'unknown-kind', now);
	const person = await recipient(deps.db, e.recipientId);
	if (!person || !(await mayBeTold(deps.db, e.recipientId, e.planId, e.kind, now)))
		return drop(deps.db, job, 'no-access', now);
	const id = await createNotice(deps.db, e, now);
	if (id) {
		const pref = (await preferencesOf(deps.db, e.recipientId))[e.kind];
		const messages = [];
		if (pref.email === 'now' && person.email && deps.mailer)
			messages.push({ type: 'email' as const, dedupeKey: `email:${id}`, payload: { notificationId: id } });
		if (pref.sms === 'now' && person.phone)
			messages.push({ type: 'sms' as const, dedupeKey: `sms:${id}`, payload: { notificationId: id } });
		await enqueue(deps.db, messages, now);
		deps.onNotice?.(e.recipientId);
	}
	await complete(deps.db, job, now);
}

/** An e-mail or SMS for one notice, sent only if the recipient still has access as it goes out. */
async function runMessage(deps: DeliveryDeps, job: Job, now: Date): Promise<void> {
	const notice = await noticeOf(deps.db, String(job.payload.notificationId));
	if (!notice || !isNoticeKind(notice.kind)) return drop(deps.db, job, 'gone', now);
	const person = await recipient(deps.db, notice.recipientId);
	if (!person || !(await mayBeTold(deps.db, notice.recipientId, notice.planId, notice.kind, now)))
		return drop(deps.db, job, 'no-access', now);
	const link = `${deps.baseUrl}/varsler/${notice.id}`;
	const locale = messageLocale(person.locale);
	if (job.type === 'email') {
		if (!person.email || !deps.mailer) return drop(deps.db, job, 'no-address', now);
		await deps.mailer.send(noticeEmail(person.email, link, locale));
	} else {
		if (!person.phone) return drop(deps.db, job, 'no-address', now);
		await deps.sms.send({ to: person.phone, text: noticeSms(link, locale) });
	}
	await complete(deps.db, job, now);
}

/** One e-mail a day: how many unread notices of the kinds the person wants as a digest arrived in the last day, by kind. */
async function runDigest(deps: DeliveryDeps, job: Job, now: Date): Promise<void> {
	const userId = String(job.payload.userId);
	const person = await recipient(deps.db, userId);
	if (!person?.email || !deps.mailer) return drop(deps.db, job, 'no-address', now);
	const prefs = await preferencesOf(deps.db, userId);
	const kinds = (Object.keys(prefs) as NoticeKind[]).filter((k) => prefs[k].email === 'digest');
	const counts = await digestCounts(deps.db, userId, kinds, now);
	if (counts.size > 0)
		await deps.mailer.send(digestEmail(person.email, counts, `${deps.baseUrl}/varsler`, messageLocale(person.locale)));
	await complete(deps.db, job, now);
}

/** Unread notices of `kinds` from the last 24 hours, counted by kind, only where the person still has access. */
export async function digestCounts(
	db: Db,
	userId: string,
	kinds: NoticeKind[],
	now: Date
): Promise<Map<NoticeKind, number>> {
	const counts = new Map<NoticeKind, number>();
	if (kinds.length === 0) return counts;
	const rows = await db
		.select({ kind: notifications.kind, planId: notifications.planId })
		.from(notifications)
		.where(
			and(
				eq(notifications.recipientId, userId),
				inArray(notifications.kind, kinds),
				isNull(notifications.readAt),
				gt(notifications.createdAt, new Date(now.getTime() - 86_400_000)),
				lte(notifications.createdAt, now)
			)
		);
	const allowed = new Map<string, boolean>();
	for (const r of rows) {
		if (!isNoticeKind(r.kind)) continue;
		const key = `${r.planId}:${r.kind}`;
		if (!allowed.has(key)) allowed.set(key, await mayBeTold(db, userId, r.planId, r.kind, now));
		if (allowed.get(key)) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
	}
	return counts;
}
