import { LIFE_AREAS, type LifeArea, type PlanContent } from '$lib/plan';
import type { CrisisPlanContent, GoalContent, LifeAreaContent, MeasureContent, VoiceContent } from '$lib/plan/render';

/**
 * The wall screen's items: the meeting's agenda when it has one, else items derived from the plan. An item names
 * what it is about; what it shows is looked up in the plan's content at every render, so the wall follows the live
 * documents (a goal typed on a phone appears under the item that shows it).
 *
 * An agenda row's `ref` is read as: a goal id or a measure id of the plan document; `voice`, `crisis`; a life area
 * code (`housing`, …). A patient's point without a ref shows the patient's own words and own goals. Anything else
 * shows its title alone.
 */
export interface WallItem {
	/** Stable within the page: the agenda row's id, or `derived:<what>`. */
	key: string;
	kind: string;
	/** The agenda's own title; empty for derived items (they are named by what they show). */
	title: string;
	ref: string | null;
}

export interface AgendaRow {
	id: string;
	kind: string;
	title: string;
	ref: string | null;
}

export type WallView =
	| { type: 'voice'; voice: VoiceContent | null; ownGoals: GoalContent[] }
	| { type: 'life_area'; area: LifeAreaContent }
	| { type: 'goal'; goal: GoalContent }
	| { type: 'measure'; measure: MeasureContent; goal: GoalContent }
	| { type: 'crisis'; crisis: CrisisPlanContent }
	/** Only a title: a hand-written item, or one whose goal or measure is gone (or not visible to this person). */
	| { type: 'title' };

const isLifeArea = (ref: string): ref is LifeArea => (LIFE_AREAS as readonly string[]).includes(ref);

/** The agenda's rows as items; with no agenda, the plan's parts: the patient's voice, each life area with goals, the crisis plan. */
export function wallItems(agenda: readonly AgendaRow[], content: PlanContent): WallItem[] {
	if (agenda.length > 0) return agenda.map((row) => ({ key: row.id, kind: row.kind, title: row.title, ref: row.ref }));
	const items: WallItem[] = [];
	if (content.voice) items.push({ key: 'derived:voice', kind: 'patient_point', title: '', ref: 'voice' });
	for (const area of content.lifeAreas ?? []) {
		if (area.goals.length > 0)
			items.push({ key: `derived:${area.lifeArea}`, kind: 'life_area', title: '', ref: area.lifeArea });
	}
	if (content.crisisPlan) items.push({ key: 'derived:crisis', kind: 'crisis', title: '', ref: 'crisis' });
	return items;
}

const ownGoals = (content: PlanContent): GoalContent[] =>
	(content.lifeAreas ?? []).flatMap((a) => a.goals.filter((g) => g.expressedBy === 'patient'));

/** What an item shows, from the plan as it is now. */
export function wallView(item: WallItem, content: PlanContent): WallView {
	const ref = item.ref;
	if (ref === 'voice' || (!ref && item.kind === 'patient_point')) {
		if (!content.voice && !content.lifeAreas) return { type: 'title' };
		return { type: 'voice', voice: content.voice, ownGoals: ownGoals(content) };
	}
	if (!ref) return { type: 'title' };
	if (ref === 'crisis') return content.crisisPlan ? { type: 'crisis', crisis: content.crisisPlan } : { type: 'title' };
	if (isLifeArea(ref)) {
		const area = content.lifeAreas?.find((a) => a.lifeArea === ref);
		return area ? { type: 'life_area', area } : { type: 'title' };
	}
	for (const area of content.lifeAreas ?? []) {
		for (const goal of area.goals) {
			if (goal.id === ref) return { type: 'goal', goal };
			const measure = goal.measures.find((x) => x.id === ref);
			if (measure) return { type: 'measure', measure, goal };
		}
	}
	return { type: 'title' };
}

/** `?item=N` (1-based) as an index into `count` items: out of range or unreadable goes to the nearest end. */
export function itemIndex(param: string | null, count: number): number {
	const n = Number.parseInt(param ?? '', 10);
	if (!Number.isFinite(n) || count === 0) return 0;
	return Math.min(Math.max(n, 1), count) - 1;
}

/** The item a key moves to (presentation clickers send PageDown/PageUp), or null for keys the wall leaves alone. */
export function itemForKey(key: string, index: number, count: number): number | null {
	if (count === 0) return null;
	switch (key) {
		case 'ArrowRight':
		case 'PageDown':
			return Math.min(index + 1, count - 1);
		case 'ArrowLeft':
		case 'PageUp':
			return Math.max(index - 1, 0);
		case 'Home':
			return 0;
		case 'End':
			return count - 1;
		default:
			return null;
	}
}
