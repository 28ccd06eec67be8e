/**
 * Every kind of notice, from the event to the inbox: the right recipients per kind (measure events from the
 * projections, the rest from the sweep), the e-mails over a real SMTP server and the recorded SMS — and the content
 * rule over all of them: no patient name, plan title, service name or measure title in any subject or body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import type { Db } from '../../../src/lib/server/db';
import {
	consents,
	meetingParticipants,
	meetings,
	meetingStatusNotes,
	notifications,
	planMembers,
	plans,
	projectedGoals,
	projectedMeasures,
	services,
	smsOutbox,
	users
} from '../../../src/lib/server/db/schema';
import { projectStale } from '../../../src/lib/server/projections';
import { addDays, osloDay } from '../../../src/lib/server/oslo-day';
import {
	flagThreeMisses,
	listNotices,
	NOTICE_KINDS,
	savePreferences,
	type Preferences
} from '../../../src/lib/server/notify';
import { addMember, createUser, testId } from '../collab/fixtures';
import { cleanup, startNode, type TestNode } from '../collab/harness';
import { addTestMeasure, BASE_URL, drain, recipientsOf, setMeasure, testWorker } from './helpers';

const NOW = new Date();
const HOUR = 3_600_000;
const everything = (email: 'now' | 'digest' | 'off', sms: 'now' | 'digest' | 'off') =>
	Object.fromEntries(NOTICE_KINDS.map((k) => [k, { email, sms }])) as Preferences;

describe.each(engines)('notices of every kind on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = (): Db => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;
	let sink: SmtpSink;
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		demo = await seedDemo(db());
		await projectStale(db());
		node = await startNode(db());
		sink = await startSmtpSink();
		// Everyone wants every kind at once, by e-mail and SMS: every message the rule must hold for is sent.
		for (const id of Object.values(demo.userIds)) await savePreferences(db(), id, everything('now', 'now'));
		const u = demo.userIds;
		const s = demo.serviceIds;
		const today = osloDay(NOW);
		const plan = demo.planId;

		// Measure events, through the live document and the projection.
		ids.m1 = await addTestMeasure(node, db(), plan, u.coordinator, {
			title: 'Søke om fritidskort sammen med Jonas',
			serviceId: s.nav,
			personId: u.nav,
			dueDate: addDays(today, 2)
		});
		await setMeasure(node, db(), plan, u.nav, ids.m1, { status: 'accepted' });
		await setMeasure(node, db(), plan, u.coordinator, ids.m1, { status: 'in_progress' });
		ids.m2 = await addTestMeasure(node, db(), plan, u.coordinator, {
			title: 'Bostøtte til Jonas sin leilighet',
			serviceId: s.housing,
			personId: null
		});
		ids.m3 = await addTestMeasure(node, db(), plan, u.coordinator, {
			title: 'Timebestilling hos psykolog',
			serviceId: s.nav,
			personId: u.nav,
			dueDate: addDays(today, -2)
		});
		ids.m4 = await addTestMeasure(node, db(), plan, u.dps, {
			title: 'Vurdere medisinering for psykose',
			serviceId: s.act,
			personId: u.act
		});
		// A month has passed since m4 last changed, with nothing meanwhile.
		await db()
			.update(projectedMeasures)
			.set({ updatedAt: new Date(NOW.getTime() - 31 * 24 * HOUR) })
			.where(eq(projectedMeasures.measureId, ids.m4));

		// A meeting tomorrow, moved, with NAV's status note.
		ids.meeting = testId();
		await db()
			.insert(meetings)
			.values({
				id: ids.meeting,
				planId: plan,
				startsAt: new Date(NOW.getTime() + 20 * HOUR),
				createdBy: u.coordinator,
				movedAt: new Date(NOW.getTime() - HOUR)
			});
		for (const p of [u.coordinator, u.nav, u.patient])
			await db().insert(meetingParticipants).values({ meetingId: ids.meeting, userId: p, invitedBy: u.coordinator });
		await db()
			.insert(meetingStatusNotes)
			.values({
				meetingId: ids.meeting,
				userId: u.nav,
				body: 'Jonas har fått svar fra NAV om AAP',
				createdAt: new Date(NOW.getTime() - HOUR)
			});

		// Housekeeping: a consent running out, a commitment ending, the revision date today, a plan with no coordinator.
		const [consent] = await db()
			.insert(consents)
			.values({
				planId: plan,
				kind: 'access',
				granteeUserId: u.gp,
				scopes: ['crisis'],
				validFrom: new Date(NOW.getTime() - HOUR),
				validUntil: new Date(NOW.getTime() + 10 * 24 * HOUR),
				givenBy: 'patient',
				recordedBy: u.coordinator
			})
			.returning({ id: consents.id });
		ids.consent = consent.id;
		await db()
			.update(planMembers)
			.set({ committedUntil: addDays(today, 7) })
			.where(and(eq(planMembers.planId, plan), eq(planMembers.userId, u.dps)));
		await db().update(plans).set({ revisionDate: today }).where(eq(plans.id, plan));
		const orphanPatient = await createUser(db(), { name: 'Kari Nordmann', kind: 'patient' });
		const worker = await createUser(db(), { name: 'Trond Trondsen' });
		ids.orphanPlan = testId();
		ids.orphanWorker = worker.id;
		await db()
			.insert(plans)
			.values({ id: ids.orphanPlan, patientId: orphanPatient.id, title: 'Plan for Kari', createdBy: worker.id });
		await addMember(db(), ids.orphanPlan, orphanPatient.id, 'patient', 'write');
		await addMember(db(), ids.orphanPlan, worker.id, 'service_provider', 'write');
		await db().update(users).set({ phone: '900 99 999' }).where(eq(users.id, worker.id));
		await savePreferences(db(), worker.id, everything('now', 'now'));

		// The contact log's flag.
		await flagThreeMisses(db(), { planId: plan, measureId: ids.m1, entryId: 'contact-entry-1' });

		// One worker runs it all, the sweep included.
		const w = testWorker(db(), sink.url, { sweepEveryMs: 60_000 });
		await drain(w);
	});
	afterAll(async () => {
		await cleanup();
		await sink?.close();
	});

	it('measure events reach the named person, the service, the proposer and the coordinator — never the one who acted', async () => {
		const u = demo.userIds;
		expect(await recipientsOf(db(), 'measure.assigned', ['measureId', ids.m1])).toEqual([u.nav]);
		// NAV accepted: the coordinator (who proposed it) hears it as the service's answer, once; NAV itself nothing.
		expect(await recipientsOf(db(), 'measure.answered', ['measureId', ids.m1])).toEqual([u.coordinator]);
		// The coordinator started it: NAV, its named person, is told of the new status.
		expect(await recipientsOf(db(), 'measure.status', ['measureId', ids.m1])).toEqual([u.nav]);
		// No named person: the service's members in the group.
		expect(await recipientsOf(db(), 'measure.assigned', ['measureId', ids.m2])).toEqual([u.housing]);
		expect(await recipientsOf(db(), 'measure.due_soon', ['measureId', ids.m1])).toEqual([u.nav]);
		expect(await recipientsOf(db(), 'measure.overdue', ['measureId', ids.m3])).toEqual([u.nav]);
		expect(await recipientsOf(db(), 'measure.waiting', ['measureId', ids.m4])).toEqual([u.coordinator]);
	});

	it('meetings, status notes, housekeeping and the contact log reach the right people', async () => {
		const u = demo.userIds;
		const byMeeting: [string, string] = ['meetingId', ids.meeting];
		expect(await recipientsOf(db(), 'meeting.invited', byMeeting)).toEqual([u.nav, u.patient].sort());
		expect(await recipientsOf(db(), 'meeting.moved', byMeeting)).toEqual([u.nav, u.patient].sort());
		expect(await recipientsOf(db(), 'meeting.reminder', byMeeting)).toEqual([u.coordinator, u.nav, u.patient].sort());
		expect(await recipientsOf(db(), 'status_note.posted', byMeeting)).toEqual([u.coordinator]);
		expect(await recipientsOf(db(), 'consent.expiring', ['consentId', ids.consent])).toEqual(
			[u.coordinator, u.patient].sort()
		);
		expect(
			(
				await db()
					.select()
					.from(notifications)
					.where(and(eq(notifications.kind, 'commitment.ending'), eq(notifications.planId, demo.planId)))
			).map((n) => n.recipientId)
		).toEqual([u.dps]);
		expect(
			(
				await db()
					.select()
					.from(notifications)
					.where(and(eq(notifications.kind, 'plan.revision_due'), eq(notifications.planId, demo.planId)))
			).map((n) => n.recipientId)
		).toEqual([u.coordinator]);
		expect(
			(await db().select().from(notifications).where(eq(notifications.kind, 'plan.no_coordinator'))).map(
				(n) => n.recipientId
			)
		).toEqual([ids.orphanWorker]);
		expect(await recipientsOf(db(), 'contacts.three_misses', ['entryId', 'contact-entry-1'])).toEqual([u.coordinator]);
		// Each points at its place: the measure's heading on the plan page, the meeting, the consent page.
		const [assigned] = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.kind, 'measure.assigned'), eq(notifications.recipientId, u.nav)));
		expect(assigned.linkPath).toMatch(new RegExp(`^/plans/${demo.planId}#measure-[A-Za-z0-9_-]+-title$`));
	});

	it('the content rule: no e-mail or SMS of any kind names a patient, person, plan, service, goal or measure', async () => {
		const forbidden = [
			...(await db().select({ v: users.name }).from(users)).map((r) => r.v),
			...(await db().select({ v: plans.title }).from(plans)).map((r) => r.v),
			...(await db().select({ v: services.name }).from(services)).map((r) => r.v),
			...(await db().select({ v: projectedMeasures.title }).from(projectedMeasures)).map((r) => r.v),
			...(await db().select({ v: projectedGoals.title }).from(projectedGoals)).map((r) => r.v),
			'Jonas',
			'Kari',
			'psykose',
			'AAP'
		].map((s) => s.toLowerCase());
		const sms = await db().select().from(smsOutbox);
		const messages = [...sink.messages.map((m) => `${m.parsed.subject}\n${m.parsed.text}`), ...sms.map((s) => s.body)];
		expect(messages.length).toBeGreaterThan(NOTICE_KINDS.length * 2);
		for (const text of messages) {
			const lower = text.toLowerCase();
			for (const word of forbidden) expect(lower, `message leaks "${word}"`).not.toContain(word);
			// The only link is to a notice by id, behind the login.
			expect([...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0])).toEqual([
				expect.stringMatching(new RegExp(`^${BASE_URL}/varsler/[a-z0-9]+$`))
			]);
		}
		// Every kind went out by e-mail and by SMS: the rule was checked over all of them.
		const kindOf = new Map(
			(await db().select({ id: notifications.id, kind: notifications.kind }).from(notifications)).map((n) => [
				n.id,
				n.kind
			])
		);
		const kindsIn = (texts: string[]) =>
			new Set(texts.map((t) => kindOf.get(/\/varsler\/([a-z0-9]+)/.exec(t)?.[1] ?? '')));
		expect(kindsIn(sink.messages.map((m) => m.parsed.text ?? ''))).toEqual(new Set(NOTICE_KINDS));
		expect(kindsIn(sms.map((s) => s.body))).toEqual(new Set(NOTICE_KINDS));
		// And NAV's assignment went to NAV's address.
		const [assigned] = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.kind, 'measure.assigned'), eq(notifications.refs, { measureId: ids.m1 })));
		expect(sink.messages.find((m) => m.parsed.text?.includes(`/varsler/${assigned.id}`))?.to).toEqual([
			'nav@demo.fellesplan.no'
		]);
	});

	it('the in-app list renders from the plan as it is now, and only what the reader may still see', async () => {
		const navList = await listNotices(db(), demo.userIds.nav);
		expect(
			navList.find((n) => n.kind === 'measure.assigned' && n.measureTitle === 'Søke om fritidskort sammen med Jonas')
		).toBeTruthy();
		await setMeasure(node, db(), demo.planId, demo.userIds.coordinator, ids.m1, { title: 'Fritidskort for et år' });
		const renamed = await listNotices(db(), demo.userIds.nav);
		expect(
			renamed.filter((n) => n.kind === 'measure.assigned' && n.measureTitle === 'Fritidskort for et år').length
		).toBe(1);
		expect(renamed.find((n) => n.kind === 'meeting.reminder')?.statusNoteMissing).toBe(false);
		expect(
			(await listNotices(db(), demo.userIds.patient)).find((n) => n.kind === 'meeting.reminder')?.statusNoteMissing
		).toBe(true);
	});
});
