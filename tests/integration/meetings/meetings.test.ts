/**
 * A meeting of the responsibility group from planning to closing, on both engines with a real collab server:
 * planning, inviting, moving and cancelling; who may see it; status notes; the agenda generated from the plan and
 * edited; decisions that become measures (and NAV accepting one); attendance counted over time; and closing —
 * the next meeting required, the minutes read-only afterwards (a socket's write is dropped), the adopted version
 * stored, and the summary read from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { engines, useTestDatabase } from '../../helpers/services';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import {
	auditEvents,
	meetingDecisions,
	meetingParticipants,
	meetings,
	planVersions,
	planVersionDocs
} from '../../../src/lib/server/db/schema';
import { docAccess, planAccess } from '../../../src/lib/server/access/plans';
import { createSession } from '../../../src/lib/server/auth/session';
import { listAllMeasures, listGoals, meetingDocName, MEETING_ROOT, planDocName } from '../../../src/lib/plan';
import { runMeasureAction } from '../../../src/lib/server/measures';
import {
	absenceCounts,
	addAgendaItem,
	agreedSummary,
	cancelMeeting,
	closeMeeting,
	decideMeasure,
	defaultInvitees,
	generateAgenda,
	listAgenda,
	listMeetings,
	listParticipants,
	listStatusNotes,
	MeetingError,
	meetingOf,
	moveAgendaItem,
	moveMeeting,
	planMeeting,
	readMinutes,
	recordAttendance,
	removeAgendaItem,
	renameAgendaItem,
	saveStatusNote,
	seesMeetings,
	type MeetingForm
} from '../../../src/lib/server/meetings';
import { addMember, createUser, grantConsent } from '../collab/fixtures';
import { cleanup, connectSynced, countUpdates, sleep, startNode, waitFor, type TestNode } from '../collab/harness';

const form = (over: Partial<MeetingForm> = {}): MeetingForm => ({
	date: '2027-01-12',
	time: '10:00',
	duration: '60',
	place: 'Møterom 2, Fjordvik helsehus',
	videoLink: '',
	...over
});

describe.each(engines)('meetings on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let node: TestNode;

	beforeAll(async () => {
		demo = await seedDemo(db());
		node = await startNode(db());
	});
	afterAll(cleanup);

	const access = (who: string) => planAccess(db(), demo.userIds[who], demo.planId);
	const deps = () => ({ db: db(), collab: node.collab });
	const plan = async (who = 'coordinator', f = form()) =>
		planMeeting(deps(), demo.userIds[who], await access(who), demo.planId, f);
	const refusal = async (p: Promise<unknown>) => {
		const err = await p.then(
			() => null,
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(MeetingError);
		return err as MeetingError;
	};
	async function user(who: string) {
		const { token } = await createSession(db(), demo.userIds[who]);
		return { id: demo.userIds[who], name: who, token, cookie: `session=${token}` };
	}

	it('the coordinator plans a meeting: Oslo time, the group invited by consent, the patient always; moved and cancelled', async () => {
		const id = await plan();
		const meeting = await meetingOf(db(), demo.planId, id);
		// 10:00 in Oslo in January is 09:00 UTC.
		expect(meeting.startsAt.toISOString()).toBe('2027-01-12T09:00:00.000Z');
		expect(meeting).toMatchObject({
			status: 'planned',
			durationMinutes: 60,
			place: 'Møterom 2, Fjordvik helsehus',
			createdBy: demo.userIds.coordinator
		});
		const invited = (await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, id)))
			.map((r) => r.userId)
			.sort();
		const expected = ['coordinator', 'patient', 'sister', 'nav', 'gp', 'dps', 'housing', 'act']
			.map((k) => demo.userIds[k])
			.sort();
		expect(invited).toEqual(expected);
		expect((await defaultInvitees(db(), demo.planId)).sort()).toEqual(expected);

		await moveMeeting(
			db(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			id,
			form({ date: '2027-01-14', time: '13:30', place: '', videoLink: 'https://video.example.no/rom/42' })
		);
		const moved = await meetingOf(db(), demo.planId, id);
		expect(moved.startsAt.toISOString()).toBe('2027-01-14T12:30:00.000Z');
		expect(moved.movedAt).not.toBeNull();
		expect(moved).toMatchObject({ place: '', videoLink: 'https://video.example.no/rom/42' });

		// The specialist coordinator plans too; NAV and the patient do not.
		const second = await plan('dps', form({ date: '2027-03-01' }));
		expect(await refusal(plan('nav'))).toMatchObject({ status: 403 });
		expect(await refusal(plan('patient'))).toMatchObject({ status: 403 });
		await cancelMeeting(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, second);
		expect((await meetingOf(db(), demo.planId, second)).status).toBe('cancelled');
		expect(
			await refusal(
				moveMeeting(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, second, form())
			)
		).toMatchObject({ status: 409 });

		const { upcoming, past } = await listMeetings(db(), demo.planId, demo.userIds.nav);
		expect(upcoming.map((m) => m.id)).toContain(id);
		expect(past.map((m) => m.id)).toContain(second);
		expect(upcoming.find((m) => m.id === id)!.invited).toBe(true);

		const actions = (await db().select().from(auditEvents).where(eq(auditEvents.planId, demo.planId)))
			.filter((e) => e.target === id)
			.map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['meeting.planned', 'meeting.moved', 'meeting.agenda_changed']));
	});

	it('refuses bad input by field, writing nothing', async () => {
		const before = (await db().select().from(meetings)).length;
		expect(await refusal(plan('coordinator', form({ date: '' })))).toMatchObject({
			status: 400,
			code: 'date_required',
			field: 'date'
		});
		expect(await refusal(plan('coordinator', form({ date: '2027-02-30' })))).toMatchObject({ field: 'date' });
		expect(await refusal(plan('coordinator', form({ time: '25:00' })))).toMatchObject({ field: 'time' });
		expect(await refusal(plan('coordinator', form({ duration: '5' })))).toMatchObject({ code: 'duration_invalid' });
		expect(await refusal(plan('coordinator', form({ place: ' ', videoLink: '' })))).toMatchObject({
			code: 'place_or_link_required',
			field: 'place'
		});
		expect(await refusal(plan('coordinator', form({ videoLink: 'http://video.example.no/rom' })))).toMatchObject({
			code: 'link_not_https',
			field: 'videoLink'
		});
		expect(await refusal(plan('coordinator', form({ videoLink: 'javascript:alert(1)' })))).toMatchObject({
			code: 'link_not_https'
		});
		expect((await db().select().from(meetings)).length).toBe(before);
	});

	it('who may see meetings: consent to the meetings scope; the minutes writable by writers, read by readers, nothing for others', async () => {
		const id = await plan();
		const doc = meetingDocName(id);
		const level = async (userId: string) => (await docAccess(db(), userId, doc)).level;
		expect(await level(demo.userIds.nav)).toBe('write');
		expect(await level(demo.userIds.patient)).toBe('write');
		expect(await level(demo.userIds.sister)).toBe('read');
		expect(await level(demo.userIds.outsider)).toBe('none');
		expect((await docAccess(db(), demo.userIds.nav, doc)).planId).toBe(demo.planId);
		// A member whose consent covers the plan but not the meetings sees no meeting.
		const planOnly = await createUser(db(), { name: 'Kun plan' });
		await addMember(db(), demo.planId, planOnly.id, 'service_provider', 'write', ['plan']);
		expect(seesMeetings(await planAccess(db(), planOnly.id, demo.planId))).toBe(false);
		expect(await level(planOnly.id)).toBe('none');
		// An id nobody has (not derived from a real one: a random id may already start with the letter put in).
		expect(await level('nosuchuser000000000000000')).toBe('none');
		expect((await docAccess(db(), demo.userIds.nav, meetingDocName('nosuchmeeting'))).level).toBe('none');
		// Not invited by default, and no status note.
		expect(
			await refusal(
				saveStatusNote(db(), planOnly.id, await planAccess(db(), planOnly.id, demo.planId), demo.planId, id, 'Hei')
			)
		).toMatchObject({ status: 403 });
		// The meeting of one plan is not found through another.
		expect(await refusal(meetingOf(db(), demo.secondPlanId, id))).toMatchObject({ status: 404 });
	});

	it('status notes: one per invited member, edited in place, also from a reader who cannot come', async () => {
		const id = await plan();
		await saveStatusNote(
			db(),
			demo.userIds.sister,
			await access('sister'),
			demo.planId,
			id,
			'Jeg kommer ikke, men Jonas har hatt en god måned.'
		);
		await saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, 'Blodprøver tatt.');
		await saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, '  Blodprøver tatt, alt fint.  ');
		const notes = await listStatusNotes(db(), id);
		expect(notes.map((n) => [n.userId, n.body])).toEqual(
			expect.arrayContaining([
				[demo.userIds.sister, 'Jeg kommer ikke, men Jonas har hatt en god måned.'],
				[demo.userIds.gp, 'Blodprøver tatt, alt fint.']
			])
		);
		expect(notes).toHaveLength(2);
		expect(
			await refusal(saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, '   '))
		).toMatchObject({ code: 'text_required', field: 'body' });
		expect(
			await refusal(saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, 'x'.repeat(2001)))
		).toMatchObject({ code: 'too_long' });
		expect(
			await refusal(saveStatusNote(db(), demo.userIds.outsider, await access('outsider'), demo.planId, id, 'Hei'))
		).toMatchObject({ status: 403 });
	});

	it('the agenda is generated from the plan and edited: the patient’s points, measures, evaluations, expiring consents; added, renamed, moved, removed, regenerated', async () => {
		// A consent running out in 20 days goes on the agenda with its id.
		const expiring = await grantConsent(db(), demo.planId, demo.userIds.housing, ['plan'], {
			validUntil: new Date(Date.now() + 20 * 86_400_000)
		});
		// A waiting measure, and a goal the patient expressed.
		const planDoc = new Y.Doc();
		Y.applyUpdate(planDoc, await node.collab.readDocState(planDocName(demo.planId)));
		const goals = listGoals(planDoc);
		const measures = listAllMeasures(planDoc);
		planDoc.destroy();
		const id = await plan();
		const agenda = await listAgenda(db(), id);
		expect(agenda.every((i) => i.generated)).toBe(true);
		expect(agenda.map((i) => i.position)).toEqual(agenda.map((_, i) => i));
		const kinds = new Set(agenda.map((i) => i.kind));
		// First the patient's own points: their words and own goals as they stand when it is shown.
		expect(agenda[0]).toMatchObject({ kind: 'patient_point', ref: 'voice', title: 'Det Jonas vil ta opp' });
		expect(agenda).toContainEqual(expect.objectContaining({ kind: 'expiring_consent', ref: expiring }));
		for (const g of goals.filter(
			(g) => g.expressedBy === 'patient' && g.status !== 'achieved' && g.status !== 'cancelled'
		))
			expect(agenda).toContainEqual(expect.objectContaining({ kind: 'patient_point', ref: g.id, title: g.title }));
		for (const x of measures.filter((x) => x.status === 'on_hold'))
			expect(agenda.some((i) => i.ref === x.id && (i.kind === 'waiting_measure' || i.kind === 'overdue_measure'))).toBe(
				true
			);
		expect(kinds.has('goal_evaluation')).toBe(true);

		// By hand: NAV an open question, the patient their own point (whatever kind they ask for).
		const question = await addAgendaItem(db(), demo.userIds.nav, await access('nav'), demo.planId, id, {
			kind: 'other',
			title: '  Hvordan  går det med søknaden? '
		});
		const own = await addAgendaItem(db(), demo.userIds.patient, await access('patient'), demo.planId, id, {
			kind: 'open_question',
			title: 'Jeg vil snakke om jobb'
		});
		let items = await listAgenda(db(), id);
		expect(items.find((i) => i.id === question)).toMatchObject({
			kind: 'open_question',
			title: 'Hvordan går det med søknaden?',
			generated: false,
			position: agenda.length
		});
		expect(items.find((i) => i.id === own)).toMatchObject({ kind: 'patient_point', position: agenda.length + 1 });
		// The sister reads only: she adds nothing.
		expect(
			await refusal(
				addAgendaItem(db(), demo.userIds.sister, await access('sister'), demo.planId, id, {
					kind: 'open_question',
					title: 'Hei'
				})
			)
		).toMatchObject({ status: 403 });
		expect(
			await refusal(
				addAgendaItem(db(), demo.userIds.nav, await access('nav'), demo.planId, id, {
					kind: 'open_question',
					title: ' '
				})
			)
		).toMatchObject({ field: 'title' });

		await renameAgendaItem(
			db(),
			demo.userIds.patient,
			await access('patient'),
			demo.planId,
			id,
			own,
			'Jeg vil snakke om arbeidstrening'
		);
		// NAV may not rename the patient's point; the coordinator may move and remove anything.
		expect(
			await refusal(renameAgendaItem(db(), demo.userIds.nav, await access('nav'), demo.planId, id, own, 'Nei'))
		).toMatchObject({ status: 403 });
		await moveAgendaItem(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, own, 'up');
		items = await listAgenda(db(), id);
		expect(items.at(-2)).toMatchObject({ id: own, title: 'Jeg vil snakke om arbeidstrening' });
		expect(items.at(-1)!.id).toBe(question);
		await removeAgendaItem(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, items[0].id);
		expect((await listAgenda(db(), id)).some((i) => i.id === items[0].id)).toBe(false);

		// Generated again: the generated items come back, the hand-made ones stay after them in their order.
		await generateAgenda(deps(), demo.userIds.coordinator, demo.planId, id);
		const again = await listAgenda(db(), id);
		expect(again.filter((i) => i.generated)).toHaveLength(agenda.length);
		expect(again.slice(-2).map((i) => i.id)).toEqual([own, question]);
	});

	it('a decision becomes a measure for NAV in one step, NAV accepts it, and the summary lists it from the adopted version', async () => {
		const id = await plan();
		const goalId = await (async () => {
			const d = new Y.Doc();
			Y.applyUpdate(d, await node.collab.readDocState(planDocName(demo.planId)));
			const g = listGoals(d)[0].id;
			d.destroy();
			return g;
		})();
		const input = {
			goalId,
			title: 'Søke om arbeidsavklaringspenger',
			serviceId: demo.serviceIds.nav,
			personId: demo.userIds.nav,
			dueDate: '2027-02-15'
		};
		const { measureId } = await decideMeasure(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			id,
			input
		);
		const [decision] = await db().select().from(meetingDecisions).where(eq(meetingDecisions.meetingId, id));
		expect(decision).toMatchObject({ measureId, decidedBy: demo.userIds.coordinator });
		// Bad input is the measure form's: refused by field, nothing recorded.
		await expect(
			decideMeasure(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, {
				...input,
				title: ' '
			})
		).rejects.toMatchObject({ field: 'title' });
		expect(await db().select().from(meetingDecisions).where(eq(meetingDecisions.meetingId, id))).toHaveLength(1);
		// The sister reads only.
		expect(
			await refusal(decideMeasure(deps(), demo.userIds.sister, await access('sister'), demo.planId, id, input))
		).toMatchObject({ status: 403 });

		await runMeasureAction({ db: db(), collab: node.collab }, demo.userIds.nav, demo.planId, measureId, {
			action: 'accept',
			personId: demo.userIds.nav
		});
		await closeMeeting(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			id,
			form({ date: '2027-04-01' })
		);
		const summary = (await agreedSummary(db(), await meetingOf(db(), demo.planId, id)))!;
		expect(summary.decided).toEqual([
			expect.objectContaining({
				id: measureId,
				title: 'Søke om arbeidsavklaringspenger',
				status: 'accepted',
				service: 'NAV Fjordvik',
				person: 'Ahmed Karimi',
				dueDate: '2027-02-15'
			})
		]);
		expect(
			summary.ongoing.every((x) => x.id !== measureId && !['completed', 'cancelled', 'rejected'].includes(x.status))
		).toBe(true);
		// A later change to the live plan does not change what was agreed.
		await runMeasureAction({ db: db(), collab: node.collab }, demo.userIds.nav, demo.planId, measureId, {
			action: 'start'
		});
		expect((await agreedSummary(db(), await meetingOf(db(), demo.planId, id)))!.decided[0].status).toBe('accepted');
	});

	it('closing: the next meeting is required; the minutes freeze (a socket write is dropped); attendance settles; the adopted version is stored', async () => {
		const id = await plan();
		const doc = meetingDocName(id);
		const nav = await user('nav');
		const writer = await connectSynced(node, doc, nav);
		const watcher = await connectSynced(node, doc, await user('patient'));
		writer.doc.getXmlFragment(MEETING_ROOT.minutes).insert(0, [new Y.XmlElement('paragraph')]);
		(writer.doc.getXmlFragment(MEETING_ROOT.minutes).get(0) as Y.XmlElement).insert(0, [
			new Y.XmlText('NAV søker AAP.')
		]);
		await waitFor(async () => (await countUpdates(db(), doc)) >= 1, { what: 'minutes stored' });
		await waitFor(() => watcher.doc.getXmlFragment(MEETING_ROOT.minutes).length === 1, { what: 'minutes seen' });

		await saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, 'Kan ikke komme.');
		await recordAttendance(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, {
			[demo.userIds.nav]: 'present',
			[demo.userIds.patient]: 'present',
			[demo.userIds.coordinator]: 'present'
		});
		expect(
			await refusal(
				recordAttendance(db(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, {
					[demo.userIds.nav]: 'sleeping'
				})
			)
		).toMatchObject({ status: 400 });
		expect(
			await refusal(
				recordAttendance(db(), demo.userIds.nav, await access('nav'), demo.planId, id, {
					[demo.userIds.nav]: 'present'
				})
			)
		).toMatchObject({ status: 403 });

		// Not without the next meeting, nor one before this; not by NAV.
		expect(
			await refusal(
				closeMeeting(deps(), demo.userIds.coordinator, await access('coordinator'), demo.planId, id, form({ date: '' }))
			)
		).toMatchObject({ code: 'next_required', field: 'date' });
		expect(
			await refusal(
				closeMeeting(
					deps(),
					demo.userIds.coordinator,
					await access('coordinator'),
					demo.planId,
					id,
					form({ date: '2027-01-01' })
				)
			)
		).toMatchObject({ code: 'next_before' });
		expect(
			await refusal(
				closeMeeting(deps(), demo.userIds.nav, await access('nav'), demo.planId, id, form({ date: '2027-05-01' }))
			)
		).toMatchObject({ status: 403 });
		expect((await meetingOf(db(), demo.planId, id)).status).toBe('planned');

		const { nextMeetingId, versionId } = await closeMeeting(
			deps(),
			demo.userIds.coordinator,
			await access('coordinator'),
			demo.planId,
			id,
			form({ date: '2027-05-01', time: '09:00', place: '' })
		);
		const closed = await meetingOf(db(), demo.planId, id);
		expect(closed).toMatchObject({ status: 'closed', closedBy: demo.userIds.coordinator, nextMeetingId });
		expect(closed.closedAt).not.toBeNull();
		const next = await meetingOf(db(), demo.planId, nextMeetingId);
		expect(next).toMatchObject({ status: 'planned', place: closed.place });
		expect(next.startsAt.toISOString()).toBe('2027-05-01T07:00:00.000Z');
		expect((await listAgenda(db(), nextMeetingId)).length).toBeGreaterThan(0);
		expect(
			await refusal(
				closeMeeting(
					deps(),
					demo.userIds.coordinator,
					await access('coordinator'),
					demo.planId,
					id,
					form({ date: '2027-06-01' })
				)
			)
		).toMatchObject({ status: 409 });

		const [version] = await db().select().from(planVersions).where(eq(planVersions.id, versionId));
		expect(version).toMatchObject({ planId: demo.planId, meetingId: id, adoptedBy: demo.userIds.coordinator });
		const docs = await db()
			.select({ docName: planVersionDocs.docName })
			.from(planVersionDocs)
			.where(eq(planVersionDocs.versionId, versionId));
		expect(docs.map((d) => d.docName).sort()).toEqual([
			`crisis:${demo.planId}`,
			`plan:${demo.planId}`,
			`voice:${demo.planId}`
		]);
		const [closedEvent] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'meeting.closed'), eq(auditEvents.target, id)));
		expect(closedEvent).toMatchObject({ actorId: demo.userIds.coordinator, planId: demo.planId });

		// Attendance: recorded stays, the GP sent a note, the rest were absent.
		const people = new Map((await listParticipants(db(), demo.planId, id)).map((p) => [p.userId, p.attendance]));
		expect(people.get(demo.userIds.nav)).toBe('present');
		expect(people.get(demo.userIds.gp)).toBe('status_note');
		expect(people.get(demo.userIds.dps)).toBe('absent');

		// The open socket was downgraded: its write is dropped, stored nowhere and seen by nobody.
		const stored = await countUpdates(db(), doc);
		expect((await docAccess(db(), demo.userIds.nav, doc)).level).toBe('read');
		(writer.doc.getXmlFragment(MEETING_ROOT.minutes).get(0) as Y.XmlElement).insert(0, [
			new Y.XmlText('Endret etterpå. ')
		]);
		// A new connection may not write either.
		const late = await connectSynced(node, doc, await user('coordinator'));
		late.doc.getXmlFragment(MEETING_ROOT.minutes).insert(0, [new Y.XmlElement('paragraph')]);
		await sleep(300);
		expect(await countUpdates(db(), doc)).toBe(stored);
		expect(watcher.doc.getXmlFragment(MEETING_ROOT.minutes).toString()).not.toContain('Endret etterpå');
		expect(JSON.stringify(await readMinutes(node.collab, id))).toContain('NAV søker AAP.');
		expect(JSON.stringify(await readMinutes(node.collab, id))).not.toContain('Endret etterpå');
		// Nothing changes in a closed meeting.
		expect(
			await refusal(saveStatusNote(db(), demo.userIds.gp, await access('gp'), demo.planId, id, 'For sent'))
		).toMatchObject({ status: 409 });
	});

	it('absence is counted over the last meetings per member', async () => {
		const counts = await absenceCounts(db(), demo.planId, [demo.userIds.nav, demo.userIds.dps, demo.userIds.gp]);
		// Two closed meetings above: NAV came to one of them (the first was settled as absent), DPS to none.
		expect(counts[demo.userIds.dps]).toEqual({ meetings: 2, missed: 2 });
		expect(counts[demo.userIds.nav]).toEqual({ meetings: 2, missed: 1 });
		expect(counts[demo.userIds.gp].missed).toBe(2);
		expect(await absenceCounts(db(), demo.planId, [demo.userIds.nav], 1)).toEqual({
			[demo.userIds.nav]: { meetings: 1, missed: 0 }
		});
	});
});
