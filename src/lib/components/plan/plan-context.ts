import { getContext, setContext } from 'svelte';
import type { LivePlan, Me } from '$lib/collab/live-plan.svelte';
import type { Actor } from '$lib/plan/rights';

/** A service of the directory and the staff who work there: a measure may go to any of them. */
export interface DirectoryService {
	id: string;
	name: string;
	staff: { userId: string; name: string }[];
}

export interface GroupPerson {
	userId: string;
	name: string;
	serviceId: string | null;
	serviceName: string | null;
}

/** What every section of the plan page needs: the live plan (null until it is here), who I am, and the group. */
export interface PlanContext {
	readonly live: LivePlan | null;
	me: Me;
	/** Who I am in this plan (roles, services): what `plan/rights.ts` decides the controls by. */
	actor: Actor;
	people: GroupPerson[];
	services: { id: string; name: string }[];
	canWritePlan: boolean;
	canWriteCrisis: boolean;
	canWriteVoice: boolean;
	patientName: string;
	/** Every service, for giving a measure to one (writers only; empty for readers). */
	directory: DirectoryService[];
	/** The patient, or a guardian acting for them, is reading: measures speak to them in plain words. */
	speaksForPatient: boolean;
	/** Every measure's title by id, for "starts after" and "counter-proposal to". */
	measureTitles: Map<string, string>;
}

const KEY = Symbol('plan');
export const setPlanContext = (ctx: PlanContext) => setContext(KEY, ctx);
export const getPlanContext = () => getContext<PlanContext>(KEY);
