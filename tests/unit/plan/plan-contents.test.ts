import { describe, expect, test } from 'vitest';
import { planSections } from '../../../src/lib/components/plan/plan-contents';
import { LIFE_AREAS, type LifeAreaContent, type PlanContent } from '../../../src/lib/plan';

/** Life areas in page order, with `goals` goals in the named ones (the goals themselves do not matter here). */
function areas(goals: Partial<Record<(typeof LIFE_AREAS)[number], number>>): LifeAreaContent[] {
	return LIFE_AREAS.map((lifeArea) => ({
		lifeArea,
		goals: Array.from({ length: goals[lifeArea] ?? 0 }, () => ({}) as LifeAreaContent['goals'][number])
	}));
}
const whole = (lifeAreas: LifeAreaContent[]): Pick<PlanContent, 'voice' | 'lifeAreas' | 'crisisPlan'> => ({
	voice: {} as PlanContent['voice'],
	lifeAreas,
	crisisPlan: {} as PlanContent['crisisPlan']
});

describe('the plan page’s table of contents', () => {
	test('follows the page: voice, goals, each life area with goals (in life-area order, with its count), crisis plan, group', () => {
		const sections = planSections(whole(areas({ economy: 2, housing: 1 })), { showsGroup: true, mayAddGoal: false });
		expect(sections.map((s) => s.target)).toEqual([
			'voice-heading',
			'goals-heading',
			'area-housing',
			'area-economy',
			'crisis-heading',
			'group-heading'
		]);
		expect(sections.filter((s) => s.kind === 'area').map((s) => (s.kind === 'area' ? s.goals : 0))).toEqual([1, 2]);
	});

	test('empty life areas are not listed: they hold a form, not content', () => {
		const sections = planSections(whole(areas({})), { showsGroup: false, mayAddGoal: false });
		expect(sections.some((s) => s.kind === 'area')).toBe(false);
	});

	test('"new goal" comes right after the goals heading, and only for someone who may add one', () => {
		expect(
			planSections(whole(areas({ housing: 1 })), { showsGroup: false, mayAddGoal: true }).map((s) => s.kind)
		).toEqual(['voice', 'goals', 'new-goal', 'area', 'crisis']);
		expect(
			planSections(whole(areas({ housing: 1 })), { showsGroup: false, mayAddGoal: false }).some(
				(s) => s.kind === 'new-goal'
			)
		).toBe(false);
	});

	test('lists only the parts this person sees: consent for the crisis plan alone gives the crisis plan alone', () => {
		const sections = planSections(
			{ voice: null, lifeAreas: null, crisisPlan: {} as PlanContent['crisisPlan'] },
			{ showsGroup: false, mayAddGoal: true }
		);
		expect(sections).toEqual([{ kind: 'crisis', target: 'crisis-heading' }]);
	});
});
