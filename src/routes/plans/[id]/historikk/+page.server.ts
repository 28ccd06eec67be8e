import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePlanAccess } from '$lib/server/access/guards';
import { recordAudit } from '$lib/server/audit';
import { getRuntime } from '$lib/server/runtime';
import { renderPlan } from '$lib/plan';
import { formChangeBudget, MemberChangeError } from '$lib/server/patient-view/apply';
import {
	compareStates,
	destroyDocs,
	docsAtPoint,
	historyKinds,
	lastUpdateAt,
	listPlanVersions,
	loadTimeline,
	namesOf,
	osloDateTimeValue,
	parseOsloDateTime,
	parsePoint,
	parseRestoreTarget,
	pointParam,
	restoreFromHistory,
	stateAt,
	updateInfo,
	type HistoryPoint
} from '$lib/server/history';
import type { DocKind } from '$lib/plan';
import type { Db } from '$lib/server/db';

/** What a point is, in words the page can show: when, and by whom or which version. */
interface PointInfo {
	param: string;
	kind: HistoryPoint['kind'];
	at: string | null;
	by: string | null;
}

async function describePoint(
	db: Db,
	planId: string,
	kinds: readonly DocKind[],
	point: HistoryPoint,
	versions: { id: string; adoptedAt: Date; adoptedByName: string }[]
): Promise<PointInfo | null> {
	if (point.kind === 'now') return { param: 'now', kind: 'now', at: null, by: null };
	if (point.kind === 'version') {
		const v = versions.find((x) => x.id === point.id);
		return v ? { param: v.id, kind: 'version', at: v.adoptedAt.toISOString(), by: v.adoptedByName } : null;
	}
	if (point.id === 0) return { param: '0', kind: 'update', at: null, by: null };
	const row = await updateInfo(db, planId, kinds, point.id);
	if (!row) return { param: String(point.id), kind: 'update', at: null, by: null };
	const names = row.userId ? await namesOf(db, [row.userId]) : new Map<string, string>();
	return {
		param: String(point.id),
		kind: 'update',
		at: row.createdAt.toISOString(),
		by: row.userId ? (names.get(row.userId) ?? null) : null
	};
}

/**
 * The plan's history: a timeline of working sessions, the plan at any earlier point or adopted version, and a
 * comparison of two points. Only the parts the reader may see now are read; reading is logged.
 */
export const load: PageServerLoad = async (event) => {
	const planId = event.params.id;
	const db = event.locals.db;
	const { user, access } = await requirePlanAccess(event, planId);
	const kinds = historyKinds(access);
	if (kinds.length === 0) {
		await recordAudit(db, { actorId: user.id, action: 'plan.denied', planId, detail: { page: 'history' } });
		error(403, 'forbidden');
	}
	const params = event.url.searchParams;
	// A moment asked for by date and time becomes the log's point at that moment, in the address.
	const when = params.get('when');
	if (when !== null) {
		const instant = parseOsloDateTime(when);
		if (instant) {
			const next = new URLSearchParams(params);
			next.delete('when');
			next.set('at', String(await lastUpdateAt(db, planId, kinds, instant)));
			redirect(303, `${event.url.pathname}?${next}`);
		}
	}
	const collab = (await getRuntime()).collab;
	// Changes accepted a moment ago are in the log before it is read.
	await collab.flush();
	const deps = { db, collab };
	const pageNo = Math.max(1, Math.min(100_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
	const at = parsePoint(params.get('at'));
	const compare = parsePoint(params.get('compare'));
	const badPoint =
		(params.has('at') && !at) || (params.has('compare') && !compare) || (when !== null && !parseOsloDateTime(when));

	const [timeline, versions] = await Promise.all([
		loadTimeline(db, planId, kinds, pageNo),
		listPlanVersions(db, planId)
	]);
	const authors = await namesOf(
		db,
		timeline.sessions.map((s) => s.userId).filter((id): id is string => !!id)
	);

	let view: { point: PointInfo; content: ReturnType<typeof renderPlan> } | null = null;
	let comparison: { from: PointInfo; to: PointInfo; changes: Awaited<ReturnType<typeof compareStates>> } | null = null;
	let missing = false;
	if (at && compare) {
		const [from, to, before, after] = await Promise.all([
			describePoint(db, planId, kinds, at, versions),
			describePoint(db, planId, kinds, compare, versions),
			stateAt(deps, planId, kinds, at),
			stateAt(deps, planId, kinds, compare)
		]);
		if (from && to && before && after) comparison = { from, to, changes: await compareStates(db, before, after) };
		else missing = true;
	} else if (at) {
		const point = await describePoint(db, planId, kinds, at, versions);
		const docs = point ? await docsAtPoint(deps, planId, kinds, at) : null;
		if (point && docs) {
			try {
				view = { point, content: renderPlan(docs) };
			} finally {
				destroyDocs(docs);
			}
		} else missing = true;
	}
	// The names the plan view shows for services and people on measures.
	const refs =
		view?.content.lifeAreas?.flatMap((a) =>
			a.goals.flatMap((g) => g.measures.flatMap((x) => [x.serviceId, x.personId]))
		) ?? [];
	const refNames = Object.fromEntries(
		await namesOf(
			db,
			refs.filter((id): id is string => !!id)
		)
	);

	await recordAudit(db, {
		actorId: user.id,
		action: 'history.read',
		planId,
		detail: {
			parts: kinds,
			page: timeline.page,
			...(at ? { at: pointParam(at) } : {}),
			...(compare ? { compare: pointParam(compare) } : {})
		}
	});
	return {
		planId,
		kinds,
		writable: Object.fromEntries(kinds.map((k) => [k, access.docs[k] === 'write'])) as Partial<
			Record<DocKind, boolean>
		>,
		timeline: {
			page: timeline.page,
			hasMore: timeline.hasMore,
			total: timeline.total,
			sessions: timeline.sessions.map((s) => ({
				userId: s.userId,
				name: s.userId ? (authors.get(s.userId) ?? null) : null,
				firstId: s.firstId,
				lastId: s.lastId,
				startedAt: s.startedAt.toISOString(),
				endedAt: s.endedAt.toISOString(),
				updates: s.updates,
				kinds: s.kinds,
				goals: s.diff.goals.map((e) => ({
					id: e.id,
					change: e.change,
					title: e.title,
					fields: e.fields.map((f) => f.field)
				})),
				measures: s.diff.measures.map((e) => ({
					id: e.id,
					change: e.change,
					title: e.title,
					fields: e.fields.map((f) => f.field)
				})),
				texts: s.diff.texts.map((t) => t.field)
			}))
		},
		versions: versions.map((v) => ({ id: v.id, adoptedAt: v.adoptedAt.toISOString(), adoptedByName: v.adoptedByName })),
		query: {
			at: params.get('at') ?? '',
			compare: params.get('compare') ?? '',
			when: when ?? (view?.point.at ? osloDateTimeValue(new Date(view.point.at)) : '')
		},
		badPoint,
		missing,
		view,
		refNames,
		comparison
	};
};

const field = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

export const actions: Actions = {
	/** Puts back a goal, a measure or a text as it was at `from`: a new change by this person, through the gate. */
	restore: async (event) => {
		const planId = event.params.id;
		const { user, access } = await requirePlanAccess(event, planId);
		const form = await event.request.formData();
		const values = { from: field(form, 'from'), what: field(form, 'what'), id: field(form, 'id') };
		const from = parsePoint(values.from);
		const target = parseRestoreTarget(values.what, values.id);
		if (!from || !target) return fail(400, { restore: { ...values, error: 'invalid' } });
		try {
			await restoreFromHistory(
				{ db: event.locals.db, collab: (await getRuntime()).collab, budget: formChangeBudget },
				user.id,
				access,
				planId,
				from,
				target
			);
			return { restore: { ...values, done: true } };
		} catch (err) {
			if (err instanceof MemberChangeError) return fail(err.status, { restore: { ...values, error: err.code } });
			throw err;
		}
	}
};
