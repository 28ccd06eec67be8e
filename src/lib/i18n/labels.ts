import { m } from '$lib/paraglide/messages';
import { intlLocale } from './intl-locale';
import type { WarningLevel } from '$lib/plan/schema';

/** Enum values are stored as stable English codes; these turn them into the reader's language. */
const roles: Record<string, () => string> = {
	patient: m.role_patient,
	coordinator: m.role_coordinator,
	specialist_coordinator: m.role_specialist_coordinator,
	service_provider: m.role_service_provider,
	relative: m.role_relative,
	guardian: m.role_guardian,
	gp: m.role_gp,
	observer: m.role_observer
};
const scopes: Record<string, () => string> = {
	plan: m.scope_plan,
	crisis: m.scope_crisis,
	voice: m.scope_voice,
	meetings: m.scope_meetings
};
const planStatuses: Record<string, () => string> = {
	draft: m.status_draft,
	active: m.status_active,
	resting: m.status_resting,
	closed: m.status_closed
};
const serviceKinds: Record<string, () => string> = {
	nav: m.kind_nav,
	mental_health: m.kind_mental_health,
	substance_use: m.kind_substance_use,
	housing: m.kind_housing,
	home_care: m.kind_home_care,
	gp: m.kind_gp,
	dps: m.kind_dps,
	tsb: m.kind_tsb,
	act: m.kind_act,
	emergency: m.kind_emergency,
	other: m.kind_other
};
const userKinds: Record<string, () => string> = {
	patient: m.person_kind_patient,
	relative: m.person_kind_relative,
	staff: m.person_kind_staff
};

const lifeAreas: Record<string, () => string> = {
	housing: m.life_housing,
	economy: m.life_economy,
	work_activity: m.life_work_activity,
	physical_health: m.life_physical_health,
	mental_health: m.life_mental_health,
	substance_use: m.life_substance_use,
	social_family: m.life_social_family,
	leisure: m.life_leisure,
	other: m.life_other
};
const goalStatuses: Record<string, () => string> = {
	proposed: m.goal_status_proposed,
	active: m.goal_status_active,
	achieved: m.goal_status_achieved,
	on_hold: m.goal_status_on_hold,
	cancelled: m.goal_status_cancelled
};
const expressedBy: Record<string, () => string> = {
	patient: m.expressed_patient,
	relative: m.expressed_relative,
	staff: m.expressed_staff
};
const measureStatuses: Record<string, () => string> = {
	requested: m.measure_status_requested,
	accepted: m.measure_status_accepted,
	rejected: m.measure_status_rejected,
	counter_proposed: m.measure_status_counter_proposed,
	in_progress: m.measure_status_in_progress,
	on_hold: m.measure_status_on_hold,
	completed: m.measure_status_completed,
	cancelled: m.measure_status_cancelled
};

const pick = (table: Record<string, () => string>, code: string) => (table[code] ?? (() => code))();

export const roleLabel = (code: string) => pick(roles, code);
export const scopeLabel = (code: string) => pick(scopes, code);
export const planStatusLabel = (code: string) => pick(planStatuses, code);
export const serviceKindLabel = (code: string) => pick(serviceKinds, code);
export const userKindLabel = (code: string) => pick(userKinds, code);
export const lifeAreaLabel = (code: string) => pick(lifeAreas, code);
export const goalStatusLabel = (code: string) => pick(goalStatuses, code);
export const expressedByLabel = (code: string) => pick(expressedBy, code);
export const measureStatusLabel = (code: string) => pick(measureStatuses, code);
const goalLevels: Record<string, () => string> = {
	abstinence: m.goal_level_abstinence,
	reduction: m.goal_level_reduction,
	stabilisation: m.goal_level_stabilisation,
	harm_reduction: m.goal_level_harm_reduction
};
export const goalLevelLabel = (code: string) => pick(goalLevels, code);
/** Typed by `WarningLevel`, so a level added to the model without words here fails the type check. */
const warningLevels: Record<WarningLevel, { label: () => string; hint: () => string }> = {
	early: { label: m.warning_level_early, hint: m.warning_level_early_hint },
	worse: { label: m.warning_level_worse, hint: m.warning_level_worse_hint },
	acute: { label: m.warning_level_acute, hint: m.warning_level_acute_hint }
};
export const warningLevelLabel = (level: WarningLevel) => warningLevels[level].label();
/** A plain sentence saying what the level means, for the patient's quick view. */
export const warningLevelHint = (level: WarningLevel) => warningLevels[level].hint();
export const accessLabel = (access: string) => (access === 'write' ? m.access_write() : m.access_read());

/** `2027-02-15` → `15. februar 2027` / `15 February 2027`. Dates are calendar days: no time zone shift. */
export function formatDate(isoDate: string | null | undefined): string {
	if (!isoDate) return m.plan_not_set();
	const [y, mo, d] = isoDate.split('-').map(Number);
	const date = new Date(Date.UTC(y, mo - 1, d));
	return new Intl.DateTimeFormat(intlLocale(), {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(date);
}

/** An instant as a Norwegian reader sees it: `22. november 2026, 21:05` (Oslo time, whatever the server's zone). */
export function formatDateTime(iso: string): string {
	return new Intl.DateTimeFormat(intlLocale(), {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/Oslo'
	}).format(new Date(iso));
}
