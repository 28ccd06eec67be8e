import type * as Y from 'yjs';
import { listAllMeasures, listGoals } from '../../plan';

/** One goal as the projection stores it (without timestamps). */
export interface GoalRow {
	goalId: string;
	lifeArea: string;
	title: string;
	expressedBy: string;
	level: string | null;
	status: string;
}

/** One measure as the projection stores it (without timestamps). */
export interface MeasureRow {
	measureId: string;
	goalId: string;
	title: string;
	serviceId: string | null;
	personId: string | null;
	status: string;
	statusReason: string;
	interimMeasure: string;
	startDate: string | null;
	dueDate: string | null;
	answeredBy: string | null;
	answeredAt: Date | null;
	counterOf: string | null;
}

// Fields the plan model gains with issue 8 (interimMeasure, counterOf, answeredBy/At, a goal's level) are read
// tolerantly: the model's readers decide what a field holds, and a reader that does not have it yet gives null.
const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
function instantOrNull(v: unknown): Date | null {
	if (typeof v !== 'string' || v === '') return null;
	const d = new Date(v);
	return Number.isNaN(d.getTime()) ? null : d;
}

/** Goals and visible measures of a `plan:` document, through the plan model's readers only. */
export function readPlanRows(doc: Y.Doc): { goals: GoalRow[]; measures: MeasureRow[] } {
	const goals = listGoals(doc).map((g): GoalRow => {
		const extra = g as unknown as Record<string, unknown>;
		return {
			goalId: g.id,
			lifeArea: g.lifeArea,
			title: text(g.title),
			expressedBy: g.expressedBy,
			level: textOrNull(extra.level),
			status: g.status
		};
	});
	const measures = listAllMeasures(doc).map((m): MeasureRow => {
		const extra = m as unknown as Record<string, unknown>;
		return {
			measureId: m.id,
			goalId: m.goalId,
			title: text(m.title),
			serviceId: m.serviceId,
			personId: m.personId,
			status: m.status,
			statusReason: m.statusReason,
			interimMeasure: text(extra.interimMeasure),
			startDate: m.startDate,
			dueDate: m.dueDate,
			answeredBy: textOrNull(extra.answeredBy),
			answeredAt: instantOrNull(extra.answeredAt),
			counterOf: textOrNull(extra.counterOf)
		};
	});
	return { goals, measures };
}
