import type { LifeArea, PlanContent } from '$lib/plan';

/** One entry of the plan page's table of contents: where it jumps to (an element id on the page) and what it is. */
export type PlanSection =
	| { kind: 'voice' | 'goals' | 'crisis' | 'group' | 'new-goal'; target: string }
	| { kind: 'area'; target: string; lifeArea: LifeArea; goals: number };

/** The id a life area's heading has on the plan page (goals-section.svelte), so links and headings agree. */
export const areaTarget = (lifeArea: string) => `area-${lifeArea}`;
/** The new goal's title field: the table of contents jumps straight into it. */
export const NEW_GOAL_TARGET = 'new-goal-title';

/**
 * The table of contents of the plan page, in the page's order: the patient's voice, the goals (with each life
 * area that has goals; empty areas are forms, not content), the crisis plan and the group. Only the parts this
 * person sees are listed; "new goal" only for someone who may add one.
 */
export function planSections(
	content: Pick<PlanContent, 'voice' | 'lifeAreas' | 'crisisPlan'>,
	options: { showsGroup: boolean; mayAddGoal: boolean }
): PlanSection[] {
	const sections: PlanSection[] = [];
	if (content.voice) sections.push({ kind: 'voice', target: 'voice-heading' });
	if (content.lifeAreas) {
		sections.push({ kind: 'goals', target: 'goals-heading' });
		if (options.mayAddGoal) sections.push({ kind: 'new-goal', target: NEW_GOAL_TARGET });
		for (const area of content.lifeAreas) {
			if (area.goals.length > 0)
				sections.push({
					kind: 'area',
					target: areaTarget(area.lifeArea),
					lifeArea: area.lifeArea,
					goals: area.goals.length
				});
		}
	}
	if (content.crisisPlan) sections.push({ kind: 'crisis', target: 'crisis-heading' });
	if (options.showsGroup) sections.push({ kind: 'group', target: 'group-heading' });
	return sections;
}
