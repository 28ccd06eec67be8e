/**
 * What one delivery to the archive holds, as plain data: the plan at the adopted version (or as it stands, not
 * adopted), the group at that moment, the minutes of the meeting that adopted it, and the consents in force then.
 * Read through the model's renderers and the modules that own each part; nothing here writes.
 */
import * as Y from 'yjs';
import { and, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import { DOC_KINDS, DOC_PREFIX, renderPlan, type DocKind, type PlanContent, type RichTextNode } from '../../plan';
import type { CollabServer } from '../collab';
import type { Db } from '../db';
import { consents, meetings, planMembers, plans, planVersions, services, users } from '../db/schema';
import { docsOfVersion, destroyDocs } from '../history/log';
import { listConsents, type ConsentRecord } from '../consent/list';
import { listParticipants, type Participant } from '../meetings/attendance';
import { listAgenda } from '../meetings/agenda';
import { decidedMeasureIds } from '../meetings/decisions';
import { readMinutes } from '../meetings/minutes';
import { seatIsLive } from '../access/seats';
import type { MemberRole, PlanStatus } from '../../vocabulary';

export interface ArchivedPlan {
	id: string;
	title: string;
	status: PlanStatus;
	patientName: string;
	periodStart: string | null;
	periodEnd: string | null;
	revisionDate: string | null;
	createdAt: Date;
	closedAt: Date | null;
}

export interface ArchivedVersion {
	id: string;
	adoptedAt: Date;
	adoptedByName: string;
	meetingId: string | null;
}

export interface ArchivedMember {
	name: string;
	role: MemberRole;
	service: string | null;
}

export interface ArchivedMeeting {
	id: string;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	closedAt: Date | null;
	closedByName: string | null;
	participants: Participant[];
	agenda: string[];
	minutes: RichTextNode;
	/** Titles of the measures decided in the meeting, as the adopted version holds them. */
	decided: string[];
}

export interface ArchiveContent {
	plan: ArchivedPlan;
	/** Null: the plan as it stood when rendered, never adopted in a meeting. */
	version: ArchivedVersion | null;
	/** The moment the content describes: the adoption, or the rendering of a plan not adopted. */
	at: Date;
	members: ArchivedMember[];
	content: PlanContent;
	/** Names of the services and people measures name, by id. */
	serviceNames: Map<string, string>;
	personNames: Map<string, string>;
	meeting: ArchivedMeeting | null;
	consents: ConsentRecord[];
}

export interface ContentDeps {
	db: Db;
	collab: Pick<CollabServer, 'readDocState'>;
}

export class ArchiveContentMissing extends Error {
	readonly code = 'ARCHIVE_CONTENT_MISSING';
	constructor(what: string) {
		super(`archive content missing: ${what}`);
		this.name = 'ArchiveContentMissing';
	}
}

/** The content of a delivery of `planId` at `versionId` (null: as it stands now, `now`). */
export async function loadArchiveContent(
	deps: ContentDeps,
	planId: string,
	versionId: string | null,
	now = new Date()
): Promise<ArchiveContent> {
	const { db } = deps;
	const [plan] = await db
		.select({
			id: plans.id,
			title: plans.title,
			status: plans.status,
			patientName: users.name,
			periodStart: plans.periodStart,
			periodEnd: plans.periodEnd,
			revisionDate: plans.revisionDate,
			createdAt: plans.createdAt,
			closedAt: plans.closedAt
		})
		.from(plans)
		.innerJoin(users, eq(users.id, plans.patientId))
		.where(eq(plans.id, planId));
	if (!plan) throw new ArchiveContentMissing('plan');

	const version = versionId ? await versionOf(db, planId, versionId) : null;
	const at = version?.adoptedAt ?? now;
	const docs = version ? await docsOfVersion(db, planId, version.id, DOC_KINDS) : await currentDocs(deps, planId);
	if (!docs) throw new ArchiveContentMissing('version');
	let content: PlanContent;
	try {
		content = renderPlan(docs);
	} finally {
		destroyDocs(docs);
	}
	const measures = (content.lifeAreas ?? []).flatMap((a) => a.goals.flatMap((g) => g.measures));
	const [serviceNames, personNames] = await Promise.all([
		namesOf(
			db,
			'services',
			measures.map((x) => x.serviceId)
		),
		namesOf(
			db,
			'users',
			measures.map((x) => x.personId)
		)
	]);
	const titles = new Map(measures.map((x) => [x.id, x.title]));
	return {
		plan,
		version,
		at,
		members: await membersAt(db, planId, at),
		content,
		serviceNames,
		personNames,
		meeting: version?.meetingId ? await meetingOf(deps, planId, version.meetingId, titles) : null,
		consents: await consentsInForce(db, planId, at)
	};
}

async function versionOf(db: Db, planId: string, versionId: string): Promise<ArchivedVersion> {
	const [row] = await db
		.select({
			id: planVersions.id,
			adoptedAt: planVersions.adoptedAt,
			adoptedByName: users.name,
			meetingId: planVersions.meetingId
		})
		.from(planVersions)
		.innerJoin(users, eq(users.id, planVersions.adoptedBy))
		.where(and(eq(planVersions.id, versionId), eq(planVersions.planId, planId)));
	if (!row) throw new ArchiveContentMissing('version');
	return row;
}

/** The documents as they stand: from memory where a node holds them, else from storage. */
async function currentDocs(deps: ContentDeps, planId: string): Promise<Partial<Record<DocKind, Y.Doc>>> {
	const docs: Partial<Record<DocKind, Y.Doc>> = {};
	for (const kind of DOC_KINDS) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await deps.collab.readDocState(DOC_PREFIX[kind] + planId));
		docs[kind] = doc;
	}
	return docs;
}

async function namesOf(db: Db, table: 'services' | 'users', ids: (string | null)[]): Promise<Map<string, string>> {
	const wanted = [...new Set(ids.filter((id): id is string => !!id))];
	if (wanted.length === 0) return new Map();
	const source = table === 'services' ? services : users;
	const rows = await db.select({ id: source.id, name: source.name }).from(source).where(inArray(source.id, wanted));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Who held a seat in the group at `at`: the plan's "who takes part" and "who coordinates". */
async function membersAt(db: Db, planId: string, at: Date): Promise<ArchivedMember[]> {
	const rows = await db
		.select({ name: users.name, role: planMembers.role, service: services.name })
		.from(planMembers)
		.innerJoin(users, eq(users.id, planMembers.userId))
		.leftJoin(services, eq(services.id, planMembers.serviceId))
		.where(and(eq(planMembers.planId, planId), seatIsLive(at)))
		.orderBy(planMembers.joinedAt);
	return rows;
}

async function meetingOf(
	deps: ContentDeps,
	planId: string,
	meetingId: string,
	measureTitles: Map<string, string>
): Promise<ArchivedMeeting | null> {
	const { db } = deps;
	const [row] = await db
		.select({
			id: meetings.id,
			startsAt: meetings.startsAt,
			durationMinutes: meetings.durationMinutes,
			place: meetings.place,
			closedAt: meetings.closedAt,
			closedByName: users.name
		})
		.from(meetings)
		.leftJoin(users, eq(users.id, meetings.closedBy))
		.where(and(eq(meetings.id, meetingId), eq(meetings.planId, planId)));
	if (!row) return null;
	const [participants, agenda, decided, minutes] = await Promise.all([
		listParticipants(db, planId, meetingId),
		listAgenda(db, meetingId),
		decidedMeasureIds(db, meetingId),
		readMinutes(deps.collab, meetingId)
	]);
	return {
		...row,
		participants,
		agenda: agenda.map((a) => a.title),
		minutes,
		decided: decided.map((id) => measureTitles.get(id)).filter((t): t is string => !!t)
	};
}

/** Consents in force at `at`: begun, not ended, and not withdrawn by then (a later withdrawal does not count). */
async function consentsInForce(db: Db, planId: string, at: Date): Promise<ConsentRecord[]> {
	const live = await db
		.select({ id: consents.id })
		.from(consents)
		.where(
			and(
				eq(consents.planId, planId),
				lte(consents.validFrom, at),
				or(isNull(consents.validUntil), gt(consents.validUntil, at)),
				or(isNull(consents.withdrawnAt), gt(consents.withdrawnAt, at))
			)
		);
	const ids = new Set(live.map((c) => c.id));
	return (await listConsents(db, planId, at)).filter((c) => ids.has(c.id));
}
