import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { notificationPreferences } from '../db/schema';
import { NOTICE_DELIVERIES, type NoticeDelivery } from '../../vocabulary';
import { DEFAULT_DELIVERY, NOTICE_KINDS, type NoticeKind } from './kinds';

export interface Delivery {
	email: NoticeDelivery;
	sms: NoticeDelivery;
}
export type Preferences = Record<NoticeKind, Delivery>;

export function isDelivery(value: unknown): value is NoticeDelivery {
	return (NOTICE_DELIVERIES as readonly unknown[]).includes(value);
}

/** Every kind with the person's choice, or the default where they have made none. */
export async function preferencesOf(db: Db, userId: string): Promise<Preferences> {
	const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
	const chosen = new Map(rows.map((r) => [r.kind, r]));
	return Object.fromEntries(
		NOTICE_KINDS.map((k) => {
			const r = chosen.get(k);
			return [
				k,
				{
					email: r && isDelivery(r.email) ? r.email : DEFAULT_DELIVERY.email,
					sms: r && isDelivery(r.sms) ? r.sms : DEFAULT_DELIVERY.sms
				}
			];
		})
	) as Preferences;
}

/** Saves every kind's choice in one statement. */
export async function savePreferences(db: Db, userId: string, prefs: Preferences, now = new Date()): Promise<void> {
	await db
		.insert(notificationPreferences)
		.values(
			NOTICE_KINDS.map((kind) => ({ userId, kind, email: prefs[kind].email, sms: prefs[kind].sms, updatedAt: now }))
		)
		.onConflictDoUpdate({
			target: [notificationPreferences.userId, notificationPreferences.kind],
			set: { email: sql`excluded.email`, sms: sql`excluded.sms`, updatedAt: sql`excluded.updated_at` }
		});
}

/** Reads the form `/account/varsler` posts (`email:<kind>`, `sms:<kind>`); null names the first bad field. */
export function parsePreferencesForm(form: FormData): { prefs: Preferences } | { field: string } {
	const prefs = {} as Preferences;
	for (const kind of NOTICE_KINDS) {
		const email = form.get(`email:${kind}`);
		const sms = form.get(`sms:${kind}`);
		if (!isDelivery(email)) return { field: `email:${kind}` };
		if (!isDelivery(sms)) return { field: `sms:${kind}` };
		prefs[kind] = { email, sms };
	}
	return { prefs };
}
