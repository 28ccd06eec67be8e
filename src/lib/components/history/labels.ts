import { m } from '$lib/paraglide/messages';
import {
	formatDate,
	formatDateTime,
	expressedByLabel,
	goalLevelLabel,
	goalStatusLabel,
	lifeAreaLabel,
	measureStatusLabel
} from '$lib/i18n/labels';

/** Field names of goals and measures, as history names them ("changed the goal: title, status"). */
const FIELDS: Record<string, () => string> = {
	title: m.history_field_title,
	lifeArea: m.history_field_life_area,
	status: m.history_field_status,
	level: m.history_field_level,
	expressedBy: m.history_field_expressed_by,
	description: m.history_field_description,
	proposedTitle: m.history_field_proposed_title,
	evaluations: m.history_field_evaluations,
	goalId: m.history_field_goal,
	serviceId: m.history_field_service,
	personId: m.history_field_person,
	startDate: m.history_field_start_date,
	dueDate: m.history_field_due_date,
	startsAfter: m.history_field_starts_after,
	statusReason: m.history_field_status_reason,
	interimMeasure: m.history_field_interim_measure
};

const TEXTS: Record<string, () => string> = {
	whatMatters: m.history_text_what_matters,
	ownResources: m.history_text_own_resources,
	warningSigns: m.history_text_warning_signs,
	whatHelps: m.history_text_what_helps,
	wishes: m.history_text_wishes,
	contacts: m.history_text_contacts,
	openReturn: m.history_text_open_return
};

export const fieldLabel = (field: string) => (FIELDS[field] ?? (() => field))();
export const textLabel = (field: string) => (TEXTS[field] ?? (() => field))();
export const fieldList = (fields: readonly string[]) => fields.map(fieldLabel).join(', ');

/** A stored value in the reader's words: codes become labels, days become dates. */
export function valueLabel(field: string, value: string | null, isMeasure: boolean): string {
	if (value === null || value === '') return m.history_empty_value();
	if (field === 'status') return isMeasure ? measureStatusLabel(value) : goalStatusLabel(value);
	if (field === 'lifeArea') return lifeAreaLabel(value);
	if (field === 'level') return goalLevelLabel(value);
	if (field === 'expressedBy') return expressedByLabel(value);
	if (field === 'startDate' || field === 'dueDate') return formatDate(value);
	return value;
}

export interface PointInfo {
	param: string;
	kind: 'now' | 'update' | 'version';
	at: string | null;
	by: string | null;
}

/** A point in history as a heading says it. */
export function pointLabel(point: PointInfo): string {
	if (point.kind === 'now') return m.history_point_now();
	if (point.kind === 'version') return m.history_point_version({ time: point.at ? formatDateTime(point.at) : '' });
	if (!point.at) return m.history_point_start();
	return point.by
		? m.history_point_update_by({ time: formatDateTime(point.at), name: point.by })
		: m.history_point_update({ time: formatDateTime(point.at) });
}
