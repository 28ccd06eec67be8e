import { getContext, setContext } from 'svelte';
import type { LivePlan, Me } from '$lib/collab/live-plan.svelte';

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
	people: GroupPerson[];
	services: { id: string; name: string }[];
	canWritePlan: boolean;
	canWriteCrisis: boolean;
	canWriteVoice: boolean;
	patientName: string;
}

const KEY = Symbol('plan');
export const setPlanContext = (ctx: PlanContext) => setContext(KEY, ctx);
export const getPlanContext = () => getContext<PlanContext>(KEY);
