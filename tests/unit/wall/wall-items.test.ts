import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGoal, addMeasure, getWhatMatters, renderPlan, setRichTextFromParagraphs } from '../../../src/lib/plan';
import { itemForKey, itemIndex, wallItems, wallView } from '../../../src/lib/components/wall/wall-items';
import { WALL_SIGNED_IN_MS, keepAliveDecision, wallSignedInUntil } from '../../../src/lib/server/meetings/wall';

function plan() {
	const planDoc = new Y.Doc();
	const voice = new Y.Doc();
	const crisis = new Y.Doc();
	const housing = addGoal(planDoc, {
		lifeArea: 'housing',
		title: 'Egen leilighet',
		expressedBy: 'patient',
		status: 'active',
		createdBy: 'u1'
	});
	const health = addGoal(planDoc, {
		lifeArea: 'mental_health',
		title: 'Sove bedre',
		expressedBy: 'staff',
		status: 'active',
		createdBy: 'u2'
	});
	const measure = addMeasure(planDoc, {
		goalId: housing,
		title: 'Søke bolig',
		serviceId: 's1',
		personId: 'u3',
		status: 'requested',
		createdBy: 'u2'
	});
	return { planDoc, voice, crisis, housing, health, measure };
}

describe('wall items', () => {
	it('derives items from the plan when the meeting has no agenda: voice, each life area with goals, crisis plan', () => {
		const p = plan();
		const content = renderPlan({ plan: p.planDoc, voice: p.voice, crisis: p.crisis });
		const areas = content.lifeAreas!.filter((a) => a.goals.length > 0).map((a) => a.lifeArea);
		expect(areas.sort()).toEqual(['housing', 'mental_health']);
		expect(wallItems([], content).map((i) => i.ref)).toEqual([
			'voice',
			...content.lifeAreas!.filter((a) => a.goals.length > 0).map((a) => a.lifeArea),
			'crisis'
		]);
		// Without the crisis plan and voice (consent does not cover them): only the life areas.
		expect(wallItems([], renderPlan({ plan: p.planDoc })).every((i) => i.kind === 'life_area')).toBe(true);
	});

	it("shows an agenda item's goal, measure, life area and the patient's own points from the content as it is now", () => {
		const p = plan();
		const agenda = [
			{ id: 'a1', kind: 'patient_point', title: 'Jonas sine punkter', ref: null },
			{ id: 'a2', kind: 'goal_evaluation', title: 'Bolig', ref: p.housing },
			{ id: 'a3', kind: 'waiting_measure', title: 'Venter', ref: p.measure },
			{ id: 'a4', kind: 'other', title: 'Helse', ref: 'mental_health' },
			{ id: 'a5', kind: 'other', title: 'Neste møte', ref: null },
			{ id: 'a6', kind: 'overdue_measure', title: 'Borte', ref: 'gone' }
		];
		const items = wallItems(agenda, renderPlan({ plan: p.planDoc, voice: p.voice }));
		expect(items.map((i) => i.key)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);

		// A goal the patient adds later shows under their points, and a new measure under its goal: the view is read at render.
		setRichTextFromParagraphs(getWhatMatters(p.voice), ['Å bo for meg selv']);
		addGoal(p.planDoc, {
			lifeArea: 'other',
			title: 'Gå på kafé med søsteren min',
			expressedBy: 'patient',
			status: 'proposed',
			createdBy: 'u1'
		});
		addMeasure(p.planDoc, {
			goalId: p.housing,
			title: 'Visning',
			serviceId: 's1',
			personId: null,
			status: 'requested',
			createdBy: 'u2'
		});
		const now = renderPlan({ plan: p.planDoc, voice: p.voice });

		const own = wallView(items[0], now);
		expect(own.type === 'voice' && own.ownGoals.map((g) => g.title)).toEqual([
			'Egen leilighet',
			'Gå på kafé med søsteren min'
		]);
		expect(own.type === 'voice' && JSON.stringify(own.voice!.whatMatters)).toContain('Å bo for meg selv');
		const goal = wallView(items[1], now);
		expect(goal.type === 'goal' && goal.goal.measures.map((x) => x.title)).toEqual(['Søke bolig', 'Visning']);
		const measure = wallView(items[2], now);
		expect(measure.type === 'measure' && [measure.measure.title, measure.goal.title]).toEqual([
			'Søke bolig',
			'Egen leilighet'
		]);
		const area = wallView(items[3], now);
		expect(area.type === 'life_area' && area.area.goals.map((g) => g.title)).toEqual(['Sove bedre']);
		expect(wallView(items[4], now)).toEqual({ type: 'title' });
		expect(wallView(items[5], now)).toEqual({ type: 'title' });
		// A crisis item without the crisis document (consent does not cover it) shows its title only.
		expect(wallView({ key: 'x', kind: 'other', title: 'Krise', ref: 'crisis' }, now)).toEqual({ type: 'title' });
	});

	it('reads ?item=N and the keys a keyboard or a presentation clicker sends', () => {
		expect(itemIndex('2', 4)).toBe(1);
		expect(itemIndex('99', 4)).toBe(3);
		expect(itemIndex('0', 4)).toBe(0);
		expect(itemIndex('abc', 4)).toBe(0);
		expect(itemIndex(null, 0)).toBe(0);
		expect(itemForKey('PageDown', 0, 4)).toBe(1);
		expect(itemForKey('ArrowRight', 3, 4)).toBe(3);
		expect(itemForKey('PageUp', 2, 4)).toBe(1);
		expect(itemForKey('ArrowLeft', 0, 4)).toBe(0);
		expect(itemForKey('Home', 2, 4)).toBe(0);
		expect(itemForKey('End', 0, 4)).toBe(3);
		expect(itemForKey('a', 0, 4)).toBeNull();
		expect(itemForKey('PageDown', 0, 0)).toBeNull();
	});
});

describe('the keep-alive rule', () => {
	const openedAt = new Date('2026-11-23T09:00:00Z');
	it('refreshes only while the meeting is open and within the limit', () => {
		expect(keepAliveDecision({ status: 'open', openedAt }, new Date(openedAt.getTime() + 60_000))).toEqual({
			refresh: true,
			until: new Date(openedAt.getTime() + WALL_SIGNED_IN_MS)
		});
		expect(
			keepAliveDecision({ status: 'open', openedAt }, new Date(openedAt.getTime() + WALL_SIGNED_IN_MS - 1)).refresh
		).toBe(true);
		expect(keepAliveDecision({ status: 'open', openedAt }, new Date(openedAt.getTime() + WALL_SIGNED_IN_MS))).toEqual({
			refresh: false,
			reason: 'past_limit'
		});
		for (const status of ['planned', 'closed', 'cancelled'] as const)
			expect(keepAliveDecision({ status, openedAt }, openedAt)).toEqual({ refresh: false, reason: 'not_open' });
		expect(keepAliveDecision({ status: 'open', openedAt: null }, openedAt)).toEqual({
			refresh: false,
			reason: 'not_open'
		});
		expect(wallSignedInUntil({ status: 'open', openedAt })).toEqual(new Date('2026-11-23T13:00:00Z'));
	});
});
