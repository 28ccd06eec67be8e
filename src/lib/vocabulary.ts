/**
 * The shared vocabulary of Fellesplan: the kinds, roles, scopes and statuses that the database, the plan model,
 * the server and the pages all speak of. Plain data and types, safe in the browser. The database schema takes its
 * column types from here, so nothing shared with the browser imports the schema.
 */

export const USER_KINDS = ['patient', 'relative', 'staff'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const SERVICE_KINDS = [
	'nav',
	'mental_health',
	'substance_use',
	'housing',
	'home_care',
	'gp',
	'dps',
	'tsb',
	'act',
	'emergency',
	'other'
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Municipal services (kommunen, NAV) or the specialist health service (helseforetaket: DPS, TSB, ACT). */
export const SERVICE_LEVELS = ['municipal', 'specialist'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export const PLAN_STATUSES = ['draft', 'active', 'resting', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const MEMBER_ROLES = [
	'patient',
	'guardian',
	'coordinator',
	'specialist_coordinator',
	'service_provider',
	'gp',
	'relative',
	'observer'
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type Access = 'read' | 'write';

export const CONSENT_SCOPES = ['plan', 'crisis', 'voice', 'meetings'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** Who gave a consent: the patient, a guardian acting for them, or staff recording that the patient lacks capacity now. */
export const CONSENT_GIVERS = ['patient', 'guardian', 'staff_capacity'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/**
 * A meeting of the responsibility group (ansvarsgruppemøte). `planned` until the coordinator opens it on the wall
 * screen, `open` while it runs, `closed` once its minutes are frozen and the plan as it stood is adopted
 * (`plan_versions`). Moving a planned meeting changes `startsAt` and bumps `movedAt`, which is what tells invitees.
 */
export const MEETING_STATUSES = ['planned', 'open', 'closed', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const ATTENDANCE = ['present', 'status_note', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/**
 * The agenda: generated from the plan (the patient's points, overdue and waiting measures, goals due for
 * evaluation, expiring consents and commitments), then edited. `ref` points at what an item is about (a goal or
 * measure id in the plan document, a consent or seat id); items added by hand have none.
 */
export const AGENDA_KINDS = [
	'patient_point',
	'overdue_measure',
	'waiting_measure',
	'goal_evaluation',
	'expiring_consent',
	'expiring_commitment',
	'open_question',
	'other'
] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/**
 * The contact log (kontaktlogg): each attempt to reach the patient, or meeting with them, by a staff member of the
 * group, on the plan or on one measure (`measureId`, an id in the plan document). Append-only: a wrong entry is
 * struck out with a reason, never changed or deleted, and stays visible as struck.
 */
export const CONTACT_KINDS = ['phone', 'sms', 'home_visit', 'met', 'no_show', 'door_not_opened'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** Applications (søknader) made for the patient, and the decisions (vedtak) that answer them. */
export const APPLICATION_STATUSES = ['prepared', 'sent', 'decided', 'withdrawn', 'appealed'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const DECISION_OUTCOMES = ['granted', 'partly', 'refused'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** How a person wants each kind outside the app: at once, in the daily digest, or not at all. In-app is always on. */
export const NOTICE_DELIVERIES = ['now', 'digest', 'off'] as const;
export type NoticeDelivery = (typeof NOTICE_DELIVERIES)[number];

export const JOB_STATES = ['pending', 'running', 'done', 'failed', 'dropped'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Why a plan went to the archive: a meeting closed (adopting a version), the plan closed, or an administrator asked. */
export const ARCHIVE_REASONS = ['meeting_closed', 'plan_closed', 'requested'] as const;
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];

export const ARCHIVE_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type ArchiveDeliveryState = (typeof ARCHIVE_DELIVERY_STATES)[number];
