/**
 * "Dette ble vi enige om": for the patient, who does what by when, from the plan as it was adopted when the
 * meeting closed (so it never changes afterwards): the measures decided in the meeting, and every measure still
 * under way, each with its service, person and due date. The page puts it in plain words
 * (`components/plan/measure-words.ts`, as the patient's own view does).
 */
import * as Y from 'yjs';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { listAllMeasures, listGoals, planDocName, type MeasureStatus } from '../../plan';
import type { Db } from '../db';
import { planVersionDocs, planVersions, services, users } from '../db/schema';
import { decidedMeasureIds } from './decisions';
import type { Meeting } from './access';

export interface AgreedMeasure {
	id: string;
	title: string;
	goalTitle: string;
	status: MeasureStatus;
	service: string | null;
	person: string | null;
	dueDate: string | null;
	statusReason: string;
	interimMeasure: string;
}

export interface AgreedSummary {
	versionId: string;
	adoptedAt: Date;
	decided: AgreedMeasure[];
	/** Every other measure still under way (proposed, accepted, started or waiting). */
	ongoing: AgreedMeasure[];
}

const UNDER_WAY: ReadonlySet<MeasureStatus> = new Set([
	'requested',
	'accepted',
	'counter_proposed',
	'in_progress',
	'on_hold'
]);

/** The adopted version a closed meeting stored, or null (not closed yet). */
export async function adoptedVersionOf(db: Db, meetingId: string): Promise<{ id: string; adoptedAt: Date } | null> {
	const [v] = await db
		.select({ id: planVersions.id, adoptedAt: planVersions.adoptedAt })
		.from(planVersions)
		.where(eq(planVersions.meetingId, meetingId))
		.orderBy(desc(planVersions.adoptedAt))
		.limit(1);
	return v ?? null;
}

export async function agreedSummary(db: Db, meeting: Meeting): Promise<AgreedSummary | null> {
	if (meeting.status !== 'closed') return null;
	const version = await adoptedVersionOf(db, meeting.id);
	if (!version) return null;
	const [stored] = await db
		.select({ state: planVersionDocs.state })
		.from(planVersionDocs)
		.where(and(eq(planVersionDocs.versionId, version.id), eq(planVersionDocs.docName, planDocName(meeting.planId))))
		.limit(1);
	const doc = new Y.Doc();
	try {
		if (stored) Y.applyUpdate(doc, stored.state);
		const goals = new Map(listGoals(doc).map((g) => [g.id, g.title]));
		const measures = listAllMeasures(doc);
		const decidedIds = await decidedMeasureIds(db, meeting.id);
		const serviceIds = [...new Set(measures.map((x) => x.serviceId).filter((id): id is string => !!id))];
		const personIds = [...new Set(measures.map((x) => x.personId).filter((id): id is string => !!id))];
		const serviceNames = new Map(
			serviceIds.length
				? (
						await db
							.select({ id: services.id, name: services.name })
							.from(services)
							.where(inArray(services.id, serviceIds))
					).map((s) => [s.id, s.name])
				: []
		);
		const personNames = new Map(
			personIds.length
				? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, personIds))).map(
						(u) => [u.id, u.name]
					)
				: []
		);
		const agreed = (x: (typeof measures)[number]): AgreedMeasure => ({
			id: x.id,
			title: x.title,
			goalTitle: goals.get(x.goalId) ?? '',
			status: x.status,
			service: x.serviceId ? (serviceNames.get(x.serviceId) ?? null) : null,
			person: x.personId ? (personNames.get(x.personId) ?? null) : null,
			dueDate: x.dueDate,
			statusReason: x.statusReason,
			interimMeasure: x.interimMeasure
		});
		const byId = new Map(measures.map((x) => [x.id, x]));
		const decided = decidedIds.map((id) => byId.get(id)).filter((x): x is (typeof measures)[number] => !!x);
		const decidedSet = new Set(decidedIds);
		const ongoing = measures
			.filter((x) => !decidedSet.has(x.id) && UNDER_WAY.has(x.status))
			.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'));
		return {
			versionId: version.id,
			adoptedAt: version.adoptedAt,
			decided: decided.map(agreed),
			ongoing: ongoing.map(agreed)
		};
	} finally {
		doc.destroy();
	}
}
