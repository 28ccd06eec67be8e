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

/** Yjs updates and hashes are raw bytes; both engines speak bytea. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
	fromDriver: (v) => (v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer))
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const USER_KINDS = ['patient', 'relative', 'staff'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		phone: text('phone'),
		kind: text('kind').$type<UserKind>().notNull(),
		isAdmin: boolean('is_admin').notNull().default(false),
		passwordHash: text('password_hash').notNull(),
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

/** A service (tjeneste): an organisation unit in a municipality or a health trust. */
export const services = pgTable('services', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	kind: text('kind').$type<ServiceKind>().notNull(),
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

export const PLAN_STATUSES = ['draft', 'active', 'resting', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

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
		createdAt: createdAt()
	},
	(t) => [index('plans_patient_idx').on(t.patientId)]
);

export const MEMBER_ROLES = [
	'patient',
	'coordinator',
	'specialist_coordinator',
	'service_provider',
	'relative'
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type Access = 'read' | 'write';

/** A seat in the responsibility group (ansvarsgruppe). `endedAt` set = access is gone, at once. */
export const planMembers = pgTable(
	'plan_members',
	{
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
		endedAt: timestamp('ended_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.planId, t.userId] }), index('plan_members_user_idx').on(t.userId)]
);

/** Append-only: who read or changed what, when. Holds ids, never plan content. */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: text('actor_id'),
		action: text('action').notNull(),
		planId: text('plan_id'),
		target: text('target'),
		detail: jsonb('detail').$type<Record<string, unknown>>()
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
