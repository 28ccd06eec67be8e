import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	customType,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { newId } from '../id';
import type {
	UserKind,
	ServiceKind,
	ServiceLevel,
	PlanStatus,
	MemberRole,
	Access,
	ConsentScope,
	ConsentGiver,
	MeetingStatus,
	Attendance,
	AgendaKind,
	ContactKind,
	ApplicationStatus,
	DecisionOutcome,
	NoticeDelivery,
	JobState,
	ArchiveDeliveryState,
	ArchiveReason
} from '../../vocabulary';

/** Yjs updates and hashes are raw bytes; both engines speak bytea. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
	fromDriver: (v) => (v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer))
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		/** Optional: many patients have no e-mail, and a plan works without the patient logging in. */
		email: text('email'),
		name: text('name').notNull(),
		phone: text('phone'),
		kind: text('kind').$type<UserKind>().notNull(),
		isAdmin: boolean('is_admin').notNull().default(false),
		/** Null until the person sets a password (through an invitation): no login is possible before. */
		passwordHash: text('password_hash'),
		/** Patients: to tell two people with the same name apart when a plan is started. */
		birthDate: date('birth_date'),
		/** Patients: a guardian (hjelpeverge) acts for them, and may consent on their behalf. */
		guardianActs: boolean('guardian_acts').notNull().default(false),
		/** The UI language the person last picked while logged in (nb, nn, en): it follows them to every device. */
		locale: text('locale'),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('users_email_unique').on(sql`lower(${t.email})`)]
);

/** Lucia-guide sessions: the cookie carries `<id>.<secret>`, we keep only SHA-256(secret). */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: bytea('secret_hash').notNull(),
		createdAt: createdAt(),
		lastVerifiedAt: timestamp('last_verified_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/**
 * Login throttling, one row per key (account, IP, account+IP, trusted browser; see auth/throttle.ts). A key's
 * `failures` restart after an idle window; `next_attempt_at` is when the key may try again. A browser key with
 * `trusted_until` in the future logged into that account before: it skips the account-wide and IP keys.
 */
export const loginThrottle = pgTable(
	'login_throttle',
	{
		key: text('key').primaryKey(),
		failures: integer('failures').notNull().default(0),
		lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		trustedUntil: timestamp('trusted_until', { withTimezone: true })
	},
	// Old rows are pruned by age; without the index that would scan a table anyone can grow.
	(t) => [index('login_throttle_last_failure_idx').on(t.lastFailureAt)]
);

/** A service (tjeneste): an organisation unit in a municipality or a health trust. */
export const services = pgTable('services', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	kind: text('kind').$type<ServiceKind>().notNull(),
	/** The law asks for a municipal coordinator: only staff of a municipal service can hold that role. */
	level: text('level').$type<ServiceLevel>().notNull().default('municipal'),
	/** The municipality or health trust (helseforetak) the unit belongs to. */
	organisation: text('organisation').notNull(),
	offers: text('offers').notNull().default(''),
	phone: text('phone'),
	email: text('email'),
	address: text('address'),
	createdAt: createdAt()
});

export const serviceStaff = pgTable(
	'service_staff',
	{
		serviceId: text('service_id')
			.notNull()
			.references(() => services.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		title: text('title').notNull().default('')
	},
	(t) => [primaryKey({ columns: [t.serviceId, t.userId] }), index('service_staff_user_idx').on(t.userId)]
);

export const plans = pgTable(
	'plans',
	{
		id: text('id').primaryKey(),
		patientId: text('patient_id')
			.notNull()
			.references(() => users.id),
		title: text('title').notNull(),
		status: text('status').$type<PlanStatus>().notNull().default('draft'),
		periodStart: date('period_start'),
		periodEnd: date('period_end'),
		revisionDate: date('revision_date'),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		/** When the plan was closed: retention counts from here. */
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [index('plans_patient_idx').on(t.patientId)]
);

/**
 * A seat in the responsibility group (ansvarsgruppe). A person may hold a seat, leave and come back: each is
 * its own row, and a seat handed over points at the seat it continues. The seat is live from `joinedAt` until
 * `endedAt` (which may lie ahead: the overlap of a handover); what the member sees also needs consent.
 */
export const planMembers = pgTable(
	'plan_members',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		role: text('role').$type<MemberRole>().notNull(),
		serviceId: text('service_id').references(() => services.id),
		access: text('access').$type<Access>().notNull(),
		joinedAt: createdAt(),
		/** How long the member committed to stay (hospital staff: at least 3 months after discharge). */
		committedUntil: date('committed_until'),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		/** The seat this one took over (a handover keeps the history of who held it). */
		handedOverFrom: text('handed_over_from'),
		addedBy: text('added_by').references(() => users.id)
	},
	(t) => [index('plan_members_plan_idx').on(t.planId, t.userId), index('plan_members_user_idx').on(t.userId)]
);

/** The role of coordinator is offered to a successor, and only changes hands when the successor accepts. */
export const roleOffers = pgTable(
	'role_offers',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		role: text('role').$type<'coordinator'>().notNull(),
		fromUserId: text('from_user_id').references(() => users.id),
		toUserId: text('to_user_id')
			.notNull()
			.references(() => users.id),
		serviceId: text('service_id').references(() => services.id),
		createdAt: createdAt(),
		/** Set when the successor answered; `accepted` says how. */
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		accepted: boolean('accepted')
	},
	(t) => [index('role_offers_plan_idx').on(t.planId)]
);

/**
 * Consent (samtykke), as live data. `kind = 'plan'`: the patient wants a plan at all (no grantee). `kind = 'access'`:
 * one member (`granteeUserId`) or every member from one service (`granteeServiceId`) may see `scopes`, from
 * `validFrom` until `validUntil` (open if null). Never deleted or edited: a withdrawal sets `withdrawnAt`, and the
 * history is the rows.
 */
export const consents = pgTable(
	'consents',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<'plan' | 'access'>().notNull(),
		granteeUserId: text('grantee_user_id').references(() => users.id),
		granteeServiceId: text('grantee_service_id').references(() => services.id),
		scopes: jsonb('scopes').$type<ConsentScope[]>().notNull(),
		validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
		validUntil: timestamp('valid_until', { withTimezone: true }),
		givenBy: text('given_by').$type<ConsentGiver>().notNull(),
		/** When the patient lacks capacity: the date that judgement is looked at again. */
		capacityReviewDate: date('capacity_review_date'),
		note: text('note').notNull().default(''),
		recordedBy: text('recorded_by')
			.notNull()
			.references(() => users.id),
		recordedAt: createdAt(),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
		withdrawnBy: text('withdrawn_by').references(() => users.id)
	},
	(t) => [index('consents_plan_idx').on(t.planId)]
);

/** A single-use link to set a password and join; only SHA-256 of its secret is stored. */
export const invitations = pgTable(
	'invitations',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		tokenHash: bytea('token_hash').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		planId: text('plan_id').references(() => plans.id, { onDelete: 'cascade' }),
		invitedBy: text('invited_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('invitations_user_idx').on(t.userId)]
);

/** One-off data migrations that run at start (after the SQL migrations), each once. */
export const dataMigrations = pgTable('data_migrations', {
	name: text('name').primaryKey(),
	ranAt: createdAt()
});

/**
 * Append-only: who read or changed what, when. Holds ids, never plan content. Each row carries the SHA-256 of the
 * previous row's hash and its own fields (`hash`), so a changed or removed row breaks the chain from there on; a
 * trigger refuses UPDATE and DELETE.
 */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: text('actor_id'),
		action: text('action').notNull(),
		planId: text('plan_id'),
		target: text('target'),
		detail: jsonb('detail').$type<Record<string, unknown>>(),
		prevHash: bytea('prev_hash'),
		hash: bytea('hash')
	},
	(t) => [index('audit_plan_idx').on(t.planId, t.at), index('audit_actor_idx').on(t.actorId, t.at)]
);

/** Every accepted Yjs update, with who sent it: the attribution behind history and audit. */
export const docUpdates = pgTable(
	'doc_updates',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		docName: text('doc_name').notNull(),
		update: bytea('update').notNull(),
		userId: text('user_id'),
		createdAt: createdAt()
	},
	(t) => [index('doc_updates_doc_idx').on(t.docName, t.id)]
);

/** Compacted state per document: a cold open is this plus the updates after `throughId`. */
export const docSnapshots = pgTable('doc_snapshots', {
	docName: text('doc_name').primaryKey(),
	state: bytea('state').notNull(),
	throughId: bigint('through_id', { mode: 'number' }).notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * Projections: goals and measures of the live `plan:<id>` documents, copied into SQL so that lists across plans
 * ("mine oppgaver", a service's list, the coordinator's overview) are one query. Derived data, rebuilt from
 * `doc_updates` at will (`npm run projections:rebuild`); access and consent are checked when a list is read,
 * never here. Titles are plain text, never the rich descriptions.
 */
export const projectedGoals = pgTable(
	'projected_goals',
	{
		planId: text('plan_id').notNull(),
		goalId: text('goal_id').notNull(),
		lifeArea: text('life_area').notNull(),
		title: text('title').notNull(),
		expressedBy: text('expressed_by').notNull(),
		level: text('level'),
		status: text('status').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.planId, t.goalId] })]
);

export const projectedMeasures = pgTable(
	'projected_measures',
	{
		planId: text('plan_id').notNull(),
		measureId: text('measure_id').notNull(),
		goalId: text('goal_id').notNull(),
		title: text('title').notNull(),
		serviceId: text('service_id'),
		personId: text('person_id'),
		status: text('status').notNull(),
		statusReason: text('status_reason').notNull().default(''),
		interimMeasure: text('interim_measure').notNull().default(''),
		startDate: date('start_date'),
		dueDate: date('due_date'),
		answeredBy: text('answered_by'),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		counterOf: text('counter_of'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.planId, t.measureId] }),
		index('projected_measures_person_idx').on(t.personId),
		index('projected_measures_service_idx').on(t.serviceId, t.status)
	]
);

/** How far each document is projected: the last `doc_updates.id` its rows reflect (idempotent re-projection). */
export const projectionState = pgTable('projection_state', {
	docName: text('doc_name').primaryKey(),
	throughId: bigint('through_id', { mode: 'number' }).notNull(),
	projectedAt: timestamp('projected_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A measure was given to a service that has no seat in the group: that service is proposed as a member. The
 * coordinator sees it on the group page; the service takes part once it has a seat and the patient's consent
 * covers it. Settled (`settledAt`) when the coordinator adds someone from it or sets the proposal aside.
 */
export const serviceProposals = pgTable(
	'service_proposals',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		serviceId: text('service_id')
			.notNull()
			.references(() => services.id),
		/** The measure that brought it up (an id in the plan document). */
		measureId: text('measure_id').notNull(),
		proposedBy: text('proposed_by').references(() => users.id),
		createdAt: createdAt(),
		settledAt: timestamp('settled_at', { withTimezone: true }),
		settledBy: text('settled_by').references(() => users.id)
	},
	(t) => [index('service_proposals_plan_idx').on(t.planId, t.serviceId)]
);

export const meetings = pgTable(
	'meetings',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		durationMinutes: integer('duration_minutes').notNull().default(60),
		/** A room, an address, or empty when the meeting is only on video. */
		place: text('place').notNull().default(''),
		videoLink: text('video_link').notNull().default(''),
		status: text('status').$type<MeetingStatus>().notNull().default('planned'),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		movedAt: timestamp('moved_at', { withTimezone: true }),
		openedAt: timestamp('opened_at', { withTimezone: true }),
		openedBy: text('opened_by').references(() => users.id),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		closedBy: text('closed_by').references(() => users.id),
		/** Set before closing: the meeting that follows this one. */
		nextMeetingId: text('next_meeting_id')
	},
	(t) => [index('meetings_plan_idx').on(t.planId, t.startsAt)]
);

/** Who is invited to a meeting, and (once recorded) whether they came, sent a status note, or were absent. */
export const meetingParticipants = pgTable(
	'meeting_participants',
	{
		meetingId: text('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		invitedAt: createdAt(),
		invitedBy: text('invited_by').references(() => users.id),
		attendance: text('attendance').$type<Attendance>(),
		attendanceRecordedAt: timestamp('attendance_recorded_at', { withTimezone: true }),
		attendanceRecordedBy: text('attendance_recorded_by').references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('meeting_participants_user_idx').on(t.userId)]
);

/** A member's status ahead of a meeting ("since last time…"), also from those who cannot come. */
export const meetingStatusNotes = pgTable(
	'meeting_status_notes',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		meetingId: text('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('meeting_status_notes_one_idx').on(t.meetingId, t.userId)]
);

export const meetingAgendaItems = pgTable(
	'meeting_agenda_items',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		meetingId: text('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		kind: text('kind').$type<AgendaKind>().notNull(),
		title: text('title').notNull(),
		ref: text('ref'),
		generated: boolean('generated').notNull().default(false),
		createdBy: text('created_by').references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [index('meeting_agenda_items_meeting_idx').on(t.meetingId, t.position)]
);

/**
 * An adopted version of the plan ("vedtatt versjon"): what each of the plan's documents held when a meeting
 * closed, with who closed it. `throughId` is the last `doc_updates.id` folded into `state`, so history can line
 * the version up with the attributed update log.
 */
export const planVersions = pgTable(
	'plan_versions',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		meetingId: text('meeting_id').references(() => meetings.id),
		adoptedBy: text('adopted_by')
			.notNull()
			.references(() => users.id),
		adoptedAt: createdAt()
	},
	(t) => [index('plan_versions_plan_idx').on(t.planId, t.adoptedAt)]
);

export const planVersionDocs = pgTable(
	'plan_version_docs',
	{
		versionId: text('version_id')
			.notNull()
			.references(() => planVersions.id, { onDelete: 'cascade' }),
		docName: text('doc_name').notNull(),
		state: bytea('state').notNull(),
		throughId: bigint('through_id', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.versionId, t.docName] })]
);

export const contactEntries = pgTable(
	'contact_entries',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		measureId: text('measure_id'),
		kind: text('kind').$type<ContactKind>().notNull(),
		/** When it happened (may be earlier than it was written down, never later). */
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
		recordedBy: text('recorded_by')
			.notNull()
			.references(() => users.id),
		/** The service the recorder worked for in this plan, as it was then. */
		serviceId: text('service_id').references(() => services.id),
		note: text('note'),
		createdAt: createdAt(),
		struckAt: timestamp('struck_at', { withTimezone: true }),
		struckBy: text('struck_by').references(() => users.id),
		struckReason: text('struck_reason')
	},
	(t) => [index('contact_entries_plan_idx').on(t.planId, t.occurredAt)]
);

export const applications = pgTable(
	'applications',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		/** What was applied for, in a few words ("Bostøtte", "Uføretrygd"). */
		what: text('what').notNull(),
		/** To whom: a service of the directory, or a body named in free text (exactly one). */
		serviceId: text('service_id').references(() => services.id),
		body: text('body'),
		appliedOn: date('applied_on'),
		expectedOn: date('expected_on'),
		status: text('status').$type<ApplicationStatus>().notNull(),
		outcome: text('outcome').$type<DecisionOutcome>(),
		decidedOn: date('decided_on'),
		decisionText: text('decision_text'),
		/** When the decision was written down: the coordinator's "decisions that came in". */
		decisionRecordedAt: timestamp('decision_recorded_at', { withTimezone: true }),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		updatedBy: text('updated_by').references(() => users.id),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('applications_plan_idx').on(t.planId)]
);

/** A measure that waits on an application (its `measureId` is an id in the plan document). */
export const applicationMeasures = pgTable(
	'application_measures',
	{
		applicationId: text('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		measureId: text('measure_id').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.applicationId, t.measureId] }),
		index('application_measures_plan_idx').on(t.planId, t.measureId)
	]
);

/**
 * Notifications (issue 12). Ids only: the text is rendered from the kind and the plan as it is when read, and
 * only for a reader who still has access. `refs` holds the ids the text needs (a measure, a meeting, a consent).
 */
export const notifications = pgTable(
	'notifications',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		recipientId: text('recipient_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		planId: text('plan_id').references(() => plans.id, { onDelete: 'cascade' }),
		/** Where in the plan it points: a path with ids only (`/plans/<id>#measure-<id>-title`). */
		linkPath: text('link_path').notNull(),
		refs: jsonb('refs').$type<Record<string, string>>().notNull().default({}),
		/** The event it comes from: each notification is created once, whichever node sees the event. */
		dedupeKey: text('dedupe_key').notNull(),
		createdAt: createdAt(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('notifications_dedupe_idx').on(t.dedupeKey),
		index('notifications_recipient_idx').on(t.recipientId, t.createdAt)
	]
);

export const notificationPreferences = pgTable(
	'notification_preferences',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		email: text('email').$type<NoticeDelivery>().notNull(),
		sms: text('sms').$type<NoticeDelivery>().notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

/**
 * The job queue (notifications, archive deliveries, retention): rows claimed with `FOR UPDATE SKIP LOCKED`, so several
 * nodes share it and each job runs once. `dedupeKey` makes enqueueing idempotent; `payload` holds ids only;
 * `lastError` an error code, never an address or a message body.
 */
export const jobs = pgTable(
	'jobs',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		type: text('type').notNull(),
		dedupeKey: text('dedupe_key').notNull(),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		state: text('state').$type<JobState>().notNull().default('pending'),
		runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
		attempts: integer('attempts').notNull().default(0),
		maxAttempts: integer('max_attempts').notNull().default(6),
		lastError: text('last_error'),
		lockedBy: text('locked_by'),
		lockedAt: timestamp('locked_at', { withTimezone: true }),
		createdAt: createdAt(),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('jobs_dedupe_idx').on(t.dedupeKey), index('jobs_due_idx').on(t.state, t.runAt)]
);

/** SMS as the recording transport keeps them when no gateway is configured: the administrator sees them. */
export const smsOutbox = pgTable('sms_outbox', {
	id: text('id').primaryKey().$defaultFn(newId),
	toPhone: text('to_phone').notNull(),
	body: text('body').notNull(),
	createdAt: createdAt()
});

/**
 * A decision made in a meeting that became a measure of the plan ("Vedtak → tiltak"): the measure lives in the
 * plan document; this row says which meeting decided it, so the summary can list what was decided there.
 */
export const meetingDecisions = pgTable(
	'meeting_decisions',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		meetingId: text('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		/** The measure's id in the plan document. */
		measureId: text('measure_id').notNull(),
		decidedBy: text('decided_by')
			.notNull()
			.references(() => users.id),
		decidedAt: createdAt()
	},
	(t) => [
		index('meeting_decisions_meeting_idx').on(t.meetingId),
		uniqueIndex('meeting_decisions_measure_idx').on(t.meetingId, t.measureId)
	]
);

/**
 * Who follows a measure of the plan (issue 12: "a measure I … follow changes status"): told of its status changes
 * like its named person and its proposer. The measure lives in the plan document; this row holds ids only.
 */
export const measureFollowers = pgTable(
	'measure_followers',
	{
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id, { onDelete: 'cascade' }),
		/** The measure's id in the plan document. */
		measureId: text('measure_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.planId, t.measureId, t.userId] }),
		index('measure_followers_user_idx').on(t.userId, t.planId)
	]
);

/**
 * A delivery of a plan to the municipality's archive: the adopted version (`versionId`), or the plan as it stood
 * (`versionId` null: not adopted), with the minutes of `meetingId` and the consents in force. No foreign key to the
 * plan: the row and its receipt outlive the plan when retention deletes it. `files` and `receipt` hold names,
 * checksums and the archive's references, never plan content.
 */
export const archiveDeliveries = pgTable(
	'archive_deliveries',
	{
		id: text('id').primaryKey().$defaultFn(newId),
		planId: text('plan_id').notNull(),
		reason: text('reason').$type<ArchiveReason>().notNull(),
		versionId: text('version_id'),
		meetingId: text('meeting_id'),
		requestedBy: text('requested_by'),
		state: text('state').$type<ArchiveDeliveryState>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		files: jsonb('files').$type<{ name: string; title: string; bytes: number; sha256: string }[]>(),
		receipt: jsonb('receipt').$type<Record<string, string>>(),
		createdAt: createdAt(),
		deliveredAt: timestamp('delivered_at', { withTimezone: true })
	},
	(t) => [
		index('archive_deliveries_plan_idx').on(t.planId, t.createdAt),
		index('archive_deliveries_state_idx').on(t.state)
	]
);
