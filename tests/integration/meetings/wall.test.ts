/**
 * The wall screen's server side against the demo plan on both engines: its reads of the meeting tables, who may
 * see it and who may open the meeting (the page's own load and form action, as SvelteKit calls them), and the
 * keep-alive that keeps a wall screen signed in only while its meeting is open and within the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { engines, useTestDatabase } from '../../helpers/services';
import { installRuntime } from '../../helpers/runtime';
import { seedDemo, type DemoSeed } from '../../../src/lib/server/seed/demo';
import {
	auditEvents,
	meetingAgendaItems,
	meetingParticipants,
	meetings,
	sessions,
	users
} from '../../../src/lib/server/db/schema';
import { planAccess } from '../../../src/lib/server/access/plans';
import { createSession, validateSessionToken, type SessionUser } from '../../../src/lib/server/auth/session';
import {
	WALL_SIGNED_IN_MS,
	isWallKeepAlivePath,
	loadWallAgenda,
	loadWallMeeting,
	loadWallPresent,
	mayViewWall,
	openMeeting,
	wallMeetingToday
} from '../../../src/lib/server/meetings/wall';
import { actions, load } from '../../../src/routes/plans/[id]/moter/[meetingId]/skjerm/+page.server';
import { POST as keepAlive } from '../../../src/routes/plans/[id]/moter/[meetingId]/skjerm/keep-alive/+server';
import { cleanup, startNode } from '../collab/harness';

describe.each(engines)('the wall screen on %s', (engine) => {
	const testDb = useTestDatabase(engine);
	const db = () => testDb().db;
	let demo: DemoSeed;
	let seeded: string;
	let restoreRuntime = () => {};

	beforeAll(async () => {
		demo = await seedDemo(db());
		const node = await startNode(db());
		restoreRuntime = installRuntime(node.collab);
		[{ id: seeded }] = await db().select({ id: meetings.id }).from(meetings).where(eq(meetings.planId, demo.planId));
	});
	afterAll(async () => {
		restoreRuntime();
		await cleanup();
	});

	const user = async (who: string): Promise<SessionUser> =>
		(
			await db()
				.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
				.from(users)
				.where(eq(users.id, demo.userIds[who]))
		)[0];
	/** A planned meeting of the demo plan of its own, so each test starts from its own state. */
	async function plannedMeeting(planId = demo.planId): Promise<string> {
		const [row] = await db()
			.insert(meetings)
			.values({ planId, startsAt: new Date(), createdBy: demo.userIds.coordinator })
			.returning({ id: meetings.id });
		return row.id;
	}
	const event = async (who: string, meetingId: string, url = 'http://app.test/') =>
		({
			params: { id: demo.planId, meetingId },
			locals: { db: db(), user: await user(who), session: null, engine },
			url: new URL(url),
			request: new Request(url, { method: 'POST' })
		}) as never;
	const statusOf = async (id: string) => (await db().select().from(meetings).where(eq(meetings.id, id)))[0];

	it('reads the seeded meeting of this plan only, its agenda in position order, and who was recorded present', async () => {
		const meeting = await loadWallMeeting(db(), demo.planId, seeded);
		expect(meeting).toMatchObject({ id: seeded, planId: demo.planId, status: 'planned', openedAt: null });
		// Another plan's id with this meeting: as unknown as a missing meeting.
		expect(await loadWallMeeting(db(), demo.secondPlanId, seeded)).toBeNull();

		const agenda = await loadWallAgenda(db(), seeded);
		expect(agenda.map((a) => a.kind)).toEqual(['patient_point', 'goal_evaluation', 'waiting_measure', 'other']);
		expect(agenda[1].ref).toMatch(/^[A-Za-z0-9_-]+$/);

		// Positions decide, not the order rows were written in.
		const id = await plannedMeeting();
		await db()
			.insert(meetingAgendaItems)
			.values([
				{ meetingId: id, position: 3, kind: 'other', title: 'C' },
				{ meetingId: id, position: 1, kind: 'other', title: 'A' },
				{ meetingId: id, position: 2, kind: 'open_question', title: 'B' }
			]);
		expect((await loadWallAgenda(db(), id)).map((a) => a.title)).toEqual(['A', 'B', 'C']);
		expect(await loadWallAgenda(db(), await plannedMeeting())).toEqual([]);

		await db()
			.insert(meetingParticipants)
			.values([
				{ meetingId: id, userId: demo.userIds.nav, attendance: 'present' },
				{ meetingId: id, userId: demo.userIds.patient, attendance: 'present' },
				{ meetingId: id, userId: demo.userIds.gp, attendance: 'absent' },
				{ meetingId: id, userId: demo.userIds.dps, attendance: 'status_note' },
				{ meetingId: id, userId: demo.userIds.housing }
			]);
		expect(await loadWallPresent(db(), id)).toEqual([
			{ userId: demo.userIds.nav, name: 'Ahmed Karimi' },
			{ userId: demo.userIds.patient, name: 'Jonas Berg' }
		]);
	});

	it('is for members whose consent covers the meetings and the plan: the sister (crisis plan and meetings) and an outsider get 403', async () => {
		const access = async (who: string) => planAccess(db(), demo.userIds[who], demo.planId);
		expect(mayViewWall(await access('coordinator'))).toBe(true);
		expect(mayViewWall(await access('patient'))).toBe(true);
		expect(mayViewWall(await access('nav'))).toBe(true);
		expect(mayViewWall(await access('sister'))).toBe(false);
		expect(mayViewWall(await access('outsider'))).toBe(false);

		for (const who of ['sister', 'outsider']) {
			const refused = await Promise.resolve(load(await event(who, seeded))).then(
				() => null,
				(err: unknown) => err
			);
			expect(isHttpError(refused) && refused.status, who).toBe(403);
		}
		const denied = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.denied'), eq(auditEvents.actorId, demo.userIds.sister)));
		expect(denied.length).toBeGreaterThan(0);
	});

	it("renders the first paint from the stored plan: the agenda's items, the item asked for, and a plan.read in the log", async () => {
		const data = (await load(
			await event('nav', seeded, `http://app.test/plans/${demo.planId}/moter/${seeded}/skjerm?item=3`)
		)) as Record<string, unknown> & {
			agenda: unknown[];
			item: number;
			mayOpen: boolean;
			content: { lifeAreas: { goals: { title: string }[] }[] | null };
			bare: boolean;
		};
		expect(data.bare).toBe(true);
		expect(data.agenda).toHaveLength(4);
		expect(data.item).toBe(2);
		expect(data.mayOpen).toBe(false);
		expect(data.content.lifeAreas!.flatMap((a) => a.goals.map((g) => g.title))).toContain('Flytte til egen leilighet');
		const [read] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'plan.read'), eq(auditEvents.actorId, demo.userIds.nav)));
		expect(read.detail).toMatchObject({ meetingId: seeded });
		expect(((await load(await event('coordinator', seeded))) as { mayOpen: boolean }).mayOpen).toBe(true);
	});

	it('"Start møtet": only the coordinator or the specialist coordinator opens a planned meeting, once, and it is audited', async () => {
		const id = await plannedMeeting();
		for (const who of ['nav', 'patient', 'gp']) {
			const result = await actions.start(await event(who, id));
			expect(isActionFailure(result) && result.status, who).toBe(403);
		}
		const sister = await Promise.resolve(actions.start(await event('sister', id))).then(
			() => null,
			(err: unknown) => err
		);
		expect(isHttpError(sister) && sister.status).toBe(403);
		expect((await statusOf(id)).status).toBe('planned');

		expect(await actions.start(await event('coordinator', id))).toEqual({ start: { done: true } });
		const opened = await statusOf(id);
		expect(opened).toMatchObject({ status: 'open', openedBy: demo.userIds.coordinator });
		expect(opened.openedAt).toBeInstanceOf(Date);
		const [audit] = await db()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'meeting.opened'), eq(auditEvents.target, id)));
		expect(audit).toMatchObject({ actorId: demo.userIds.coordinator, planId: demo.planId });

		// A second press (another screen) does not open it again.
		const again = await actions.start(await event('dps', id));
		expect(isActionFailure(again) && again.status).toBe(409);
		expect((await statusOf(id)).openedBy).toBe(demo.userIds.coordinator);

		const other = await plannedMeeting();
		expect(await actions.start(await event('dps', other))).toEqual({ start: { done: true } });
		expect((await statusOf(other)).openedBy).toBe(demo.userIds.dps);

		// Another plan's meeting is not found from this plan.
		const foreign = await plannedMeeting(demo.secondPlanId);
		const result = await openMeeting(db(), {
			planId: demo.planId,
			meetingId: foreign,
			userId: demo.userIds.coordinator,
			access: await planAccess(db(), demo.userIds.coordinator, demo.planId)
		});
		expect(result).toEqual({ ok: false, code: 'not_found' });
		expect((await statusOf(foreign)).status).toBe('planned');
	});

	describe('keep-alive', () => {
		const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000);
		async function screen(who = 'coordinator') {
			const { session } = await createSession(db(), demo.userIds[who]);
			await db().update(sessions).set({ lastVerifiedAt: tenMinutesAgo() }).where(eq(sessions.id, session.id));
			return session.id;
		}
		const lastSeen = async (sessionId: string) =>
			(await db().select().from(sessions).where(eq(sessions.id, sessionId)))[0].lastVerifiedAt.getTime();
		async function beat(meetingId: string, sessionId: string | null, who = 'coordinator') {
			const response = await keepAlive({
				params: { id: demo.planId, meetingId },
				locals: {
					db: db(),
					user: sessionId ? await user(who) : null,
					session: sessionId ? { id: sessionId } : null,
					engine
				}
			} as never);
			return { status: response.status, body: (await response.json()) as Record<string, unknown> };
		}

		it('refreshes the session while the meeting is open and within the limit, and says until when', async () => {
			const id = await plannedMeeting();
			const openedAt = new Date(Date.now() - 60 * 60_000);
			await db()
				.update(meetings)
				.set({ status: 'open', openedAt, openedBy: demo.userIds.coordinator })
				.where(eq(meetings.id, id));
			const sessionId = await screen();
			const before = await lastSeen(sessionId);
			const res = await beat(id, sessionId);
			expect(res.status).toBe(200);
			expect(res.body.until).toBe(new Date(openedAt.getTime() + WALL_SIGNED_IN_MS).toISOString());
			expect(await lastSeen(sessionId)).toBeGreaterThan(before + 9 * 60_000);
		});

		it('refuses (409) and leaves the session alone while planned, after closing, and past the limit', async () => {
			const planned = await plannedMeeting();
			const closed = await plannedMeeting();
			await db()
				.update(meetings)
				.set({ status: 'closed', openedAt: new Date(), closedAt: new Date() })
				.where(eq(meetings.id, closed));
			const late = await plannedMeeting();
			await db()
				.update(meetings)
				.set({ status: 'open', openedAt: new Date(Date.now() - WALL_SIGNED_IN_MS - 60_000) })
				.where(eq(meetings.id, late));
			const sessionId = await screen();
			const before = await lastSeen(sessionId);
			expect(await beat(planned, sessionId)).toEqual({ status: 409, body: { error: 'not_open' } });
			expect(await beat(closed, sessionId)).toEqual({ status: 409, body: { error: 'not_open' } });
			expect(await beat(late, sessionId)).toEqual({ status: 409, body: { error: 'past_limit' } });
			expect(await lastSeen(sessionId)).toBe(before);
		});

		it('answers 401 without a session and 403 to a member the consent does not cover; the session hook does not count it as activity', async () => {
			expect((await beat(seeded, null)).status).toBe(401);
			const sister = await screen('sister');
			expect((await beat(seeded, sister, 'sister')).status).toBe(403);

			expect(isWallKeepAlivePath(`/plans/${demo.planId}/moter/${seeded}/skjerm/keep-alive`)).toBe(true);
			expect(isWallKeepAlivePath(`/plans/${demo.planId}/moter/${seeded}/skjerm`)).toBe(false);
			expect(isWallKeepAlivePath(`/plans/${demo.planId}`)).toBe(false);
			// What the hook does for that path: validate without touching, so only the rule above refreshes.
			const { token, session } = await createSession(db(), demo.userIds.coordinator);
			await db().update(sessions).set({ lastVerifiedAt: tenMinutesAgo() }).where(eq(sessions.id, session.id));
			const before = await lastSeen(session.id);
			expect(await validateSessionToken(db(), token, 60 * 60_000, false)).not.toBeNull();
			expect(await lastSeen(session.id)).toBe(before);
			expect(await validateSessionToken(db(), token, 60 * 60_000)).not.toBeNull();
			expect(await lastSeen(session.id)).toBeGreaterThan(before);
		});
	});

	it('finds the meeting of today for the plan page link: an open one, or a planned one for those who may open it', async () => {
		// Earlier tests left a planned meeting in the second plan: cancelled, it no longer counts.
		await db().update(meetings).set({ status: 'cancelled' }).where(eq(meetings.planId, demo.secondPlanId));
		expect(await wallMeetingToday(db(), demo.secondPlanId, { planned: true })).toBeNull();
		const other = await plannedMeeting(demo.secondPlanId);
		expect(await wallMeetingToday(db(), demo.secondPlanId, { planned: false })).toBeNull();
		expect(await wallMeetingToday(db(), demo.secondPlanId, { planned: true })).toBe(other);
		await db().update(meetings).set({ status: 'open', openedAt: new Date() }).where(eq(meetings.id, other));
		expect(await wallMeetingToday(db(), demo.secondPlanId, { planned: false })).toBe(other);
		expect(
			await wallMeetingToday(db(), demo.secondPlanId, { planned: false }, new Date(Date.now() + 3 * 86_400_000))
		).toBeNull();
		await db().update(meetings).set({ status: 'closed' }).where(eq(meetings.id, other));
		expect(await wallMeetingToday(db(), demo.secondPlanId, { planned: true })).toBeNull();
	});
});
