/**
 * The whole plan as plain JSON: for SSR, print, export and projections. Shared types become
 * rich-text trees; the output is deterministic, so two converged replicas render identically.
 */
import type * as Y from 'yjs';
import {
	getOpenReturn,
	listContacts,
	listWarningSigns,
	type Contact,
	type OpenReturn,
	type WarningSign
} from './crisis-plan';
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
	/** In list order, each with its level (group with `warningSignsByLevel`). */
	warningSigns: WarningSign[];
	whatHelps: RichTextNode;
	wishes: RichTextNode;
	contacts: Contact[];
	openReturn: OpenReturn | null;
}

export interface VoiceContent {
	whatMatters: RichTextNode;
	ownResources: TextEntry[];
}

/**
 * The parts of a plan a person may see: each is null when its document is not there (consent does not cover it,
 * so it was never loaded).
 */
export interface PlanContent {
	/** The patient's voice comes first, as it does on the page. */
	voice: VoiceContent | null;
	/** Every life area in `LIFE_AREAS` order, with its goals (possibly none) and their measures. */
	lifeAreas: LifeAreaContent[] | null;
	crisisPlan: CrisisPlanContent | null;
}

/** The live documents of a plan that are at hand; a missing one renders as null. */
export interface PlanDocs {
	plan?: Y.Doc | null;
	crisis?: Y.Doc | null;
	voice?: Y.Doc | null;
}

function renderMeasure(measure: Measure): MeasureContent {
	const { description, ...rest } = measure;
	return { ...rest, description: fragmentToRichText(description) };
}

function renderGoal(goal: Goal, measures: Measure[]): GoalContent {
	const { description, ...rest } = goal;
	return { ...rest, description: fragmentToRichText(description), measures: measures.map(renderMeasure) };
}

export function renderCrisisPlan(crisisDoc: Y.Doc): CrisisPlanContent {
	return {
		warningSigns: listWarningSigns(crisisDoc),
		whatHelps: fragmentToRichText(whatHelpsRoot(crisisDoc)),
		wishes: fragmentToRichText(wishesRoot(crisisDoc)),
		contacts: listContacts(crisisDoc),
		openReturn: getOpenReturn(crisisDoc)
	};
}

export function renderVoice(voiceDoc: Y.Doc): VoiceContent {
	const voice = readVoice(voiceDoc);
	return {
		whatMatters: fragmentToRichText(voice.whatMatters),
		ownResources: voice.ownResources
	};
}

export function renderGoals(planDoc: Y.Doc): LifeAreaContent[] {
	const measures = measuresByGoal(planDoc);
	return goalsByLifeArea(planDoc).map(({ lifeArea, goals }) => ({
		lifeArea,
		goals: goals.map((g) => renderGoal(g, measures.get(g.id) ?? []))
	}));
}

/** A JSON-serialisable snapshot of the parts of a plan at hand. Never throws on damaged documents. */
export function renderPlan(docs: PlanDocs): PlanContent {
	return {
		voice: docs.voice ? renderVoice(docs.voice) : null,
		lifeAreas: docs.plan ? renderGoals(docs.plan) : null,
		crisisPlan: docs.crisis ? renderCrisisPlan(docs.crisis) : null
	};
}
