/**
 * The whole plan as plain JSON: for SSR, print, export and projections. Shared types become
 * rich-text trees; the output is deterministic, so two converged replicas render identically.
 */
import type * as Y from 'yjs';
import { getOpenReturn, listContacts, listWarningSigns, type Contact, type OpenReturn } from './crisis-plan';
import { goalsByLifeArea, type Goal } from './goals';
import { measuresByGoal, type Measure } from './measures';
import { fragmentToRichText, type RichTextNode } from './rich-text';
import { whatHelpsRoot, wishesRoot } from './roots';
import type { LifeArea } from './schema';
import type { TextEntry } from './text-list';
import { readVoice } from './voice';

export type MeasureContent = Omit<Measure, 'description'> & { description: RichTextNode };

export type GoalContent = Omit<Goal, 'description'> & { description: RichTextNode; measures: MeasureContent[] };

export interface LifeAreaContent {
	lifeArea: LifeArea;
	goals: GoalContent[];
}

export interface CrisisPlanContent {
	warningSigns: TextEntry[];
	whatHelps: RichTextNode;
	wishes: RichTextNode;
	contacts: Contact[];
	openReturn: OpenReturn | null;
}

export interface VoiceContent {
	whatMatters: RichTextNode;
	ownGoals: TextEntry[];
	ownResources: TextEntry[];
}

export interface PlanContent {
	/** The patient's voice comes first, as it does on the page. */
	voice: VoiceContent;
	/** Every life area in `LIFE_AREAS` order, with its goals (possibly none) and their measures. */
	lifeAreas: LifeAreaContent[];
	crisisPlan: CrisisPlanContent;
}

function renderMeasure(measure: Measure): MeasureContent {
	const { description, ...rest } = measure;
	return { ...rest, description: fragmentToRichText(description) };
}

function renderGoal(goal: Goal, measures: Measure[]): GoalContent {
	const { description, ...rest } = goal;
	return { ...rest, description: fragmentToRichText(description), measures: measures.map(renderMeasure) };
}

export function renderCrisisPlan(planDoc: Y.Doc): CrisisPlanContent {
	return {
		warningSigns: listWarningSigns(planDoc),
		whatHelps: fragmentToRichText(whatHelpsRoot(planDoc)),
		wishes: fragmentToRichText(wishesRoot(planDoc)),
		contacts: listContacts(planDoc),
		openReturn: getOpenReturn(planDoc)
	};
}

export function renderVoice(voiceDoc: Y.Doc): VoiceContent {
	const voice = readVoice(voiceDoc);
	return {
		whatMatters: fragmentToRichText(voice.whatMatters),
		ownGoals: voice.ownGoals,
		ownResources: voice.ownResources
	};
}

/** A JSON-serialisable snapshot of the plan and the patient's voice. Never throws on damaged documents. */
export function renderPlan(planDoc: Y.Doc, voiceDoc: Y.Doc): PlanContent {
	const measures = measuresByGoal(planDoc);
	return {
		voice: renderVoice(voiceDoc),
		lifeAreas: goalsByLifeArea(planDoc).map(({ lifeArea, goals }) => ({
			lifeArea,
			goals: goals.map((g) => renderGoal(g, measures.get(g.id) ?? []))
		})),
		crisisPlan: renderCrisisPlan(planDoc)
	};
}
