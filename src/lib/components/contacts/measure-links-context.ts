import { getContext, setContext } from 'svelte';
import type { MeasureWait } from '$lib/server/applications';

/** What the plan page knows about each measure's contact log and applications (set by the page, read per measure). */
export interface MeasureLinks {
	/** False for someone whose consent does not cover the plan's goals and measures. */
	shown: boolean;
	planId: string;
	/** Entries in the contact log per measure id. */
	counts: Record<string, number>;
	/** Applications each measure waits on. */
	waits: Record<string, MeasureWait[]>;
}

const KEY = Symbol('measure-links');
export const setMeasureLinks = (links: MeasureLinks) => setContext(KEY, links);
export const getMeasureLinks = () => getContext<MeasureLinks | undefined>(KEY);
