import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/server/collab/gate';
import { goalFacts, measureFacts } from '../../../src/lib/server/collab/gate/fields';
import { fillDemoPlan } from '../../../src/lib/server/seed/demo-plan';
import {
	addGoal,
	addMeasure,
	LIFE_AREAS,
	listAllMeasures,
	listGoals,
	moveMeasureToGoal,
	removeGoal,
	removeMeasure,
	ROOT,
	updateGoal,
	updateMeasure
} from '../../../src/lib/plan';
import { GOAL_FIELDS, MEASURE_FIELDS } from '../../../src/lib/plan/field-schema';
import { MEASURE_STATUSES } from '../../../src/lib/plan/schema';
import { canSetPerson, canSetStatus, goalRights, measureRights, type Actor } from '../../../src/lib/plan/rights';
import type { MemberRole } from '../../../src/lib/vocabulary';
import { mulberry32 } from '../../helpers/random';

const SEED = Number(process.env.RIGHTS_FUZZ_SEED ?? 20261122);
const ROUNDS = 400;

const services = { nav: 's1', housing: 's2', gp: 's3', dps: 's4', mental_health: 's5', act: 's6' };
const people = { coordinator: 'u1', nav: 'u2', gp: 'u3', dps: 'u4', housing: 'u5', patient: 'u6', sister: 'u7' };
const actor = (userId: string, roles: MemberRole[], serviceIds: string[] = []): Actor => ({
	userId,
	roles: new Set(roles),
	serviceIds: new Set(serviceIds)
});
const MEMBERS: Actor[] = [
	actor(people.nav, ['service_provider'], [services.nav]),
	actor(people.dps, ['service_provider'], [services.dps]),
	actor(people.housing, ['service_provider'], [services.housing]),
	actor(people.patient, ['patient']),
	actor(people.sister, ['relative']),
	actor(people.coordinator, ['coordinator'], [services.mental_health])
];

const json = (v: unknown) => (v instanceof Y.AbstractType ? v.toJSON() : v);

/**
 * What this member may not change, as it is now: per entity, the values of the fields the member has no right
 * to change (from the entity as it is before the update), and whether it may be removed at all.
 */
function protectedView(doc: Y.Doc, who: Actor) {
	const view: Record<
		string,
		{
			ref: Y.Map<unknown>;
			mustExist: boolean;
			fixed: Record<string, unknown>;
			status?: { from: unknown; facts: ReturnType<typeof measureFacts> };
		}
	> = {};
	doc.getMap(ROOT.goals).forEach((value, id) => {
		if (!(value instanceof Y.Map)) return;
		const g = value as Y.Map<unknown>;
		const rights = goalRights(who, goalFacts(g));
		const fixed: Record<string, unknown> = { createdBy: g.get('createdBy'), createdAt: g.get('createdAt') };
		if (!rights.editText)
			Object.assign(fixed, {
				title: json(g.get('title')),
				description: json(g.get('description')),
				lifeArea: g.get('lifeArea'),
				expressedBy: g.get('expressedBy')
			});
		if (!rights.setStatus) Object.assign(fixed, { status: g.get('status'), level: g.get('level') });
		view[`goal ${id}`] = { ref: g, mustExist: !rights.remove, fixed };
	});
	doc.getMap(ROOT.measures).forEach((value, id) => {
		if (!(value instanceof Y.Map)) return;
		const m = value as Y.Map<unknown>;
		const facts = measureFacts(m);
		const rights = measureRights(who, facts);
		const fixed: Record<string, unknown> = {
			createdBy: m.get('createdBy'),
			createdAt: m.get('createdAt'),
			answeredBy: m.get('answeredBy'),
			answeredAt: m.get('answeredAt'),
			counterOf: m.get('counterOf')
		};
		if (!rights.editText)
			Object.assign(fixed, {
				title: json(m.get('title')),
				description: json(m.get('description')),
				startDate: m.get('startDate'),
				dueDate: m.get('dueDate')
			});
		if (!rights.move)
			Object.assign(fixed, { goalId: m.get('goalId'), serviceId: m.get('serviceId'), order: m.get('order') });
		if (!canSetPerson(who, facts)) fixed.personId = m.get('personId');
		view[`measure ${id}`] = { ref: m, mustExist: !rights.remove, fixed, status: { from: m.get('status'), facts } };
	});
	return view;
}

function now(doc: Y.Doc, key: string): Y.Map<unknown> | null {
	const [kind, id] = key.split(' ');
	const v = doc.getMap(kind === 'goal' ? ROOT.goals : ROOT.measures).get(id);
	return v instanceof Y.Map ? (v as Y.Map<unknown>) : null;
}

describe('rights fuzz: random changes from a member never change what that member may not change', () => {
	it(`holds for ${ROUNDS} random model edits and raw Yjs writes (seed ${SEED})`, () => {
		const rng = mulberry32(SEED);
		const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
		const server = new Y.Doc();
		const seed = { plan: new Y.Doc(), crisis: new Y.Doc(), voice: new Y.Doc() };
		fillDemoPlan(seed, { services, people });
		Y.applyUpdate(server, Y.encodeStateAsUpdate(seed.plan));
		const outcomes = { accept: 0, refuse: 0 };
		// The member's own copy, up to date with the server (taken again after a refusal, as the browser does).
		const copyOfServer = () => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
			return doc;
		};
		let client = copyOfServer();
		const reasons = new Set<string>();

		for (let round = 0; round < ROUNDS; round++) {
			const who = pick(MEMBERS);
			const goals = listGoals(client);
			const measures = listAllMeasures(client);
			const goal = goals.length ? pick(goals) : null;
			const measure = measures.length ? pick(measures) : null;
			let update: Uint8Array | null = null;
			const collect = (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u);
			client.on('update', collect);
			const r = rng();
			try {
				if (r < 0.08 || !goal)
					addGoal(client, {
						lifeArea: pick(LIFE_AREAS),
						title: `mål ${round}`,
						expressedBy: pick(['patient', 'staff'] as const),
						createdBy: rng() < 0.8 ? who.userId : 'u9'
					});
				else if (r < 0.16)
					updateGoal(
						client,
						goal.id,
						rng() < 0.5
							? { title: `endret ${round}` }
							: { status: pick(['proposed', 'active', 'achieved', 'cancelled'] as const) }
					);
				else if (r < 0.22) removeGoal(client, goal.id);
				else if (r < 0.3)
					addMeasure(client, {
						goalId: goal.id,
						title: `tiltak ${round}`,
						serviceId: pick(Object.values(services)),
						createdBy: who.userId,
						status: rng() < 0.8 ? 'requested' : 'accepted'
					});
				else if (r < 0.45 && measure)
					updateMeasure(client, measure.id, {
						status: pick(MEASURE_STATUSES.filter((s) => s !== 'counter_proposed')) as never,
						statusReason: 'fordi'
					});
				else if (r < 0.52 && measure) updateMeasure(client, measure.id, { title: `t ${round}`, dueDate: '2027-01-01' });
				else if (r < 0.57 && measure)
					updateMeasure(
						client,
						measure.id,
						rng() < 0.5 ? { serviceId: pick(Object.values(services)) } : { personId: pick(Object.values(people)) }
					);
				else if (r < 0.62 && measure) removeMeasure(client, measure.id);
				else if (r < 0.66 && measure && goal) moveMeasureToGoal(client, measure.id, goal.id);
				else {
					// Raw writes, as a hand-made client would send them.
					const rootName = pick([ROOT.goals, ROOT.measures, ROOT.goals, ROOT.measures, 'extra']);
					const root = client.getMap(rootName);
					const ids = [...root.keys()];
					const target = ids.length ? root.get(pick(ids)) : null;
					const key = pick([
						'status',
						'title',
						'serviceId',
						'personId',
						'answeredBy',
						'answeredAt',
						'counterOf',
						'createdBy',
						'expressedBy',
						'level',
						'order',
						'goalId',
						'junk',
						'description'
					]);
					const value = pick<unknown>([
						'accepted',
						'in_progress',
						'cancelled',
						'active',
						'patient',
						null,
						42,
						who.userId,
						'u9',
						{ x: 1 },
						'x'
					]);
					const raw = rng();
					client.transact(() => {
						if (raw < 0.45 && target instanceof Y.Map) target.set(key, value);
						else if (raw < 0.55 && target instanceof Y.Map) target.delete(pick([...target.keys()]) ?? key);
						else if (raw < 0.65 && target instanceof Y.Map && target.get('title') instanceof Y.Text)
							(target.get('title') as Y.Text).insert(0, 'x');
						else if (raw < 0.75 && target instanceof Y.Map) target.set('title', new Y.Text('ny'));
						else if (raw < 0.85 && ids.length) root.set(pick(ids), new Y.Map());
						else if (raw < 0.92) root.set(`e${round}`, new Y.Map([['status', value]]));
						else if (target instanceof Y.Map && target.get('description') instanceof Y.XmlFragment)
							(target.get('description') as Y.XmlFragment).insert(0, [new Y.XmlElement('paragraph')]);
						else root.set(`x${round}`, value);
					});
				}
			} catch {
				// The model refused the change before writing (a validation error): nothing to send.
			}
			client.off('update', collect);
			if (!update) continue;
			const before = protectedView(server, who);
			const verdict = checkUpdate(server, 'plan', update, who);
			expect(['accept', 'refuse'], `round ${round}: ${JSON.stringify(verdict)}`).toContain(verdict.kind);
			if (verdict.kind === 'refuse') {
				outcomes.refuse++;
				reasons.add(verdict.reason.split(' ').slice(0, 2).join(' '));
				client.destroy();
				client = copyOfServer();
				continue;
			}
			outcomes.accept++;
			Y.applyUpdate(server, update);
			expect(server.share.has('extra'), `round ${round}: an unknown root was stored`).toBe(false);
			for (const [rootName, fields] of [
				[ROOT.goals, GOAL_FIELDS],
				[ROOT.measures, MEASURE_FIELDS]
			] as const) {
				server.getMap(rootName).forEach((value, id) => {
					expect(value, `round ${round}: ${rootName}/${id} is not an entity`).toBeInstanceOf(Y.Map);
					for (const [field, v] of (value as Y.Map<unknown>).entries()) {
						expect(
							fields[field]?.check(v),
							`round ${round}: ${rootName}/${id}.${field} = ${JSON.stringify(json(v))}`
						).toBe(true);
					}
				});
			}
			for (const [key, was] of Object.entries(before)) {
				const entity = now(server, key);
				if (was.mustExist) expect(entity, `round ${round}: ${key} removed by ${who.userId}`).not.toBeNull();
				if (!entity) continue;
				// A new entity put at the same id removed the old one: only allowed where removing is.
				if (entity !== was.ref) {
					expect(was.mustExist, `round ${round}: ${key} replaced by ${who.userId}`).toBe(false);
					continue;
				}
				for (const [field, value] of Object.entries(was.fixed)) {
					const current = json(entity.get(field));
					expect(current, `round ${round}: ${key}.${field} changed by ${who.userId}`).toEqual(value);
				}
				if (was.status && entity.get('status') !== was.status.from) {
					expect(
						canSetStatus(who, was.status.facts, String(entity.get('status'))),
						`round ${round}: ${key} status → ${entity.get('status')} by ${who.userId}`
					).toBe(true);
				}
			}
		}
		// The fuzz did both: changes that passed, and changes the gate refused for many reasons.
		expect(outcomes.accept).toBeGreaterThan(100);
		expect(outcomes.refuse).toBeGreaterThan(100);
		expect(reasons.size).toBeGreaterThan(8);
	}, 60_000);
});
