/**
 * Convergence fuzzer: several replicas make random model operations while their updates travel
 * over lossy, reordering links; after a final state-vector sync every replica must render the same
 * plan and hold the same state. Each seed is reproducible: the seed is in every assertion message.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	addGoal,
	addMeasure,
	acceptProposedTitle,
	addOwnResource,
	addWarningSign,
	clearOpenReturn,
	compareOrdered,
	EXPRESSED_BY,
	GOAL_STATUSES,
	getWhatHelps,
	getWhatMatters,
	getWishes,
	LIFE_AREAS,
	listAllMeasures,
	listContacts,
	listGoals,
	declineProposedTitle,
	listOwnResources,
	listWarningSigns,
	MEASURE_STATUSES,
	moveContact,
	moveGoal,
	moveMeasure,
	moveMeasureToGoal,
	moveOwnResource,
	moveWarningSign,
	PlanValidationError,
	removeContact,
	removeGoal,
	removeMeasure,
	proposeGoalTitle,
	removeOwnResource,
	removeWarningSign,
	renderPlan,
	ROOT,
	setOpenReturn,
	updateContact,
	updateGoal,
	updateMeasure,
	updateOwnResource,
	updateWarningSign,
	type Placement,
	type PlanContent
} from '../../../src/lib/plan';
import { mulberry32 } from './helpers';

const SEEDS = [1, 2, 3, 42, 1337, 4711, 65535, 20261001];
const CLIENTS = 5;
const OPS_PER_SEED = 400;
const DROP_RATE = 0.1;
const REMOTE = Symbol('remote');

type Kind = 'plan' | 'voice';
interface Message {
	kind: Kind;
	update: Uint8Array;
}
interface Client {
	index: number;
	plan: Y.Doc;
	voice: Y.Doc;
	origin: { client: number };
	counter: number;
}

class Rng {
	private readonly next: () => number;
	constructor(seed: number) {
		this.next = mulberry32(seed);
	}
	float(): number {
		return this.next();
	}
	int(n: number): number {
		return Math.floor(this.next() * n);
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T | undefined {
		return items.length === 0 ? undefined : items[this.int(items.length)];
	}
}

const WORDS = ['bolig', 'NAV', 'søster', 'budsjett', 'DPS', 'tur', 'søvn', 'arbeid', 'ære', '<b>', 'ok'];

function phrase(rng: Rng): string {
	const n = 1 + rng.int(3);
	return Array.from({ length: n }, () => rng.pick(WORDS)!).join(' ');
}

function date(rng: Rng): string | null {
	if (rng.chance(0.15)) return null;
	if (rng.chance(0.03)) return '2026-02-30'; // invalid on purpose
	const month = 1 + rng.int(12);
	const day = 1 + rng.int(28);
	return `${rng.chance(0.5) ? 2026 : 2027}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function placement(rng: Rng, ids: string[]): Placement | undefined {
	const r = rng.int(5);
	if (r === 0) return undefined;
	if (r === 1) return 'start';
	if (r === 2) return 'end';
	const ref = rng.pick(ids);
	if (ref === undefined) return 'end';
	return r === 3 ? { before: ref } : { after: ref };
}

/** What an editor binding does to a fragment: paragraphs, typed text, deletions, formatting. */
function editRichText(rng: Rng, fragment: Y.XmlFragment, origin: unknown): void {
	fragment.doc!.transact(() => {
		const paragraphs = fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
		const r = rng.float();
		if (paragraphs.length === 0 || r < 0.2) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(phrase(rng))]);
			fragment.insert(rng.int(fragment.length + 1), [p]);
			return;
		}
		const p = rng.pick(paragraphs)!;
		let text = p.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
		if (!text) {
			text = new Y.XmlText();
			p.insert(0, [text]);
		}
		if (r < 0.6) {
			text.insert(rng.int(text.length + 1), phrase(rng), rng.chance(0.3) ? { bold: {} } : undefined);
		} else if (r < 0.8 && text.length > 0) {
			const at = rng.int(text.length);
			text.delete(at, 1 + rng.int(Math.min(6, text.length - at)));
		} else if (r < 0.9 && text.length > 0) {
			const at = rng.int(text.length);
			text.format(at, 1 + rng.int(text.length - at), { italic: rng.chance(0.7) ? {} : null });
		} else {
			fragment.delete(fragment.toArray().indexOf(p), 1);
		}
	}, origin);
}

/** A client bypassing the model, as a buggy or hostile one could. */
function writeGarbage(rng: Rng, c: Client): void {
	c.plan.transact(() => {
		const goals = c.plan.getMap<unknown>(ROOT.goals);
		const victim = rng.pick(listGoals(c.plan));
		const r = rng.int(4);
		if (r === 0) goals.set(`junk${c.index}-${c.counter++}`, rng.pick([42, 'x', { lifeArea: 'housing' }, null]));
		else if (r === 1 && victim) (goals.get(victim.id) as Y.Map<unknown>).set('order', 'bad key!');
		else if (r === 2 && victim) (goals.get(victim.id) as Y.Map<unknown>).set('status', 'exploded');
		else c.plan.getMap<unknown>(ROOT.measures).set(`orphan${c.index}-${c.counter++}`, new Y.Map());
	}, c.origin);
}

function randomOperation(rng: Rng, c: Client): void {
	const { plan, voice, origin } = c;
	const id = () => `c${c.index}n${c.counter++}`;
	const goals = listGoals(plan);
	const goalIds = goals.map((g) => g.id);
	const measures = listAllMeasures(plan);
	const goal = rng.pick(goals);
	const measure = rng.pick(measures);
	const siblingsOf = (goalId: string) => measures.filter((m) => m.goalId === goalId).map((m) => m.id);
	const signs = listWarningSigns(plan).map((w) => w.id);
	const contacts = listContacts(plan).map((x) => x.id);
	const ownResources = listOwnResources(voice).map((x) => x.id);

	const r = rng.int(100);
	if (r < 11) {
		addGoal(
			plan,
			{
				id: id(),
				lifeArea: rng.pick(LIFE_AREAS)!,
				title: phrase(rng),
				expressedBy: rng.pick(EXPRESSED_BY)!,
				status: rng.pick(GOAL_STATUSES),
				at: placement(rng, goalIds)
			},
			origin
		);
	} else if (r < 17 && goal) {
		const patch = rng.int(3);
		if (patch === 0) updateGoal(plan, goal.id, { title: phrase(rng) }, origin);
		else if (patch === 1) updateGoal(plan, goal.id, { status: rng.pick(GOAL_STATUSES) }, origin);
		else updateGoal(plan, goal.id, { lifeArea: rng.pick(LIFE_AREAS), expressedBy: rng.pick(EXPRESSED_BY) }, origin);
	} else if (r < 23 && goal) {
		moveGoal(plan, goal.id, placement(rng, goalIds) ?? 'end', origin);
	} else if (r < 25 && goal) {
		removeGoal(plan, goal.id, origin);
	} else if (r < 42 && goal) {
		addMeasure(
			plan,
			{
				id: id(),
				goalId: goal.id,
				title: phrase(rng),
				serviceId: rng.pick(['nav', 'dps', 'gp', null]),
				personId: rng.pick(['u1', 'u2', null]),
				startDate: date(rng),
				dueDate: date(rng),
				status: rng.pick(MEASURE_STATUSES),
				statusReason: rng.chance(0.5) ? phrase(rng) : '',
				at: placement(rng, siblingsOf(goal.id))
			},
			origin
		);
	} else if (r < 50 && measure) {
		const patch = rng.int(3);
		if (patch === 0)
			updateMeasure(plan, measure.id, { status: rng.pick(MEASURE_STATUSES), statusReason: phrase(rng) }, origin);
		else if (patch === 1) updateMeasure(plan, measure.id, { startDate: date(rng), dueDate: date(rng) }, origin);
		else updateMeasure(plan, measure.id, { title: phrase(rng), personId: rng.pick(['u1', 'u3', null]) }, origin);
	} else if (r < 54 && measure) {
		moveMeasure(plan, measure.id, placement(rng, siblingsOf(measure.goalId)) ?? 'start', origin);
	} else if (r < 56 && measure && goal) {
		moveMeasureToGoal(
			plan,
			measure.id,
			goal.id,
			placement(
				rng,
				siblingsOf(goal.id).filter((x) => x !== measure.id)
			),
			origin
		);
	} else if (r < 59 && measure) {
		removeMeasure(plan, measure.id, origin);
	} else if (r < 72) {
		const targets: Array<Y.XmlFragment | null> = [
			getWhatHelps(plan),
			getWishes(plan),
			getWhatMatters(voice),
			goal?.description ?? null,
			measure?.description ?? null,
			measure?.description ?? null
		];
		const fragment = rng.pick(targets.filter((f): f is Y.XmlFragment => f !== null));
		if (fragment) editRichText(rng, fragment, origin);
	} else if (r < 80) {
		const which = rng.int(4);
		const sign = rng.pick(signs);
		if (which === 0 || !sign) addWarningSign(plan, { id: id(), text: phrase(rng), at: placement(rng, signs) }, origin);
		else if (which === 1) updateWarningSign(plan, sign, phrase(rng), origin);
		else if (which === 2) moveWarningSign(plan, sign, placement(rng, signs) ?? 'start', origin);
		else removeWarningSign(plan, sign, origin);
	} else if (r < 86) {
		const which = rng.int(5);
		const contact = rng.pick(contacts);
		if (which === 0 || !contact)
			addContact(
				plan,
				{ id: id(), name: phrase(rng), role: phrase(rng), phone: rng.pick(['116 117', '000 00 101', 'nope']) },
				origin
			);
		else if (which === 1)
			updateContact(plan, contact, { phone: rng.pick(['000 00 202', '']), role: phrase(rng) }, origin);
		else if (which === 2) moveContact(plan, contact, placement(rng, contacts) ?? 'end', origin);
		else if (which === 3) removeContact(plan, contact, origin);
		else if (rng.chance(0.7)) setOpenReturn(plan, { unit: phrase(rng), until: date(rng), note: phrase(rng) }, origin);
		else clearOpenReturn(plan, origin);
	} else if (r < 97) {
		const which = rng.int(6);
		const res = rng.pick(ownResources);
		// Proposed wordings of the patient's goals (the voice no longer holds goals): they race with title edits.
		if (which === 0 && goal) proposeGoalTitle(plan, goal.id, phrase(rng), `user${c.index}`, origin);
		else if (which === 1 && goal) acceptProposedTitle(plan, goal.id, origin);
		else if (which === 2 && goal) declineProposedTitle(plan, goal.id, origin);
		else if (which === 3 && res) moveOwnResource(voice, res, placement(rng, ownResources) ?? 'end', origin);
		else if (which === 3 || !res)
			addOwnResource(voice, { id: id(), text: phrase(rng), at: placement(rng, ownResources) }, origin);
		else if (which === 4) updateOwnResource(voice, res, phrase(rng), origin);
		else removeOwnResource(voice, res, origin);
	} else {
		writeGarbage(rng, c);
	}
}

function assertInvariants(rendered: PlanContent, plan: Y.Doc, label: string): void {
	// Every part is rendered here (the model-level test keeps the crisis plan in the plan document).
	const content = { lifeAreas: rendered.lifeAreas!, crisisPlan: rendered.crisisPlan!, voice: rendered.voice! };
	const key = (x: { id: string; order: string }) => ({ id: x.id, order: x.order === '' ? null : x.order });
	const isSorted = (list: Array<{ id: string; order: string }>) =>
		list.every((x, i) => i === 0 || compareOrdered(key(list[i - 1]), key(x)) < 0);

	const goals = content.lifeAreas.flatMap((a) => a.goals);
	const goalIds = new Set(goals.map((g) => g.id));
	expect(goalIds.size, `${label}: duplicate goal ids`).toBe(goals.length);
	const measures = goals.flatMap((g) => g.measures.map((m) => ({ m, g })));
	expect(new Set(measures.map(({ m }) => m.id)).size, `${label}: duplicate measure ids`).toBe(measures.length);
	for (const { m, g } of measures) expect(m.goalId, `${label}: measure ${m.id} under the wrong goal`).toBe(g.id);
	for (const m of listAllMeasures(plan))
		expect(goalIds.has(m.goalId), `${label}: measure ${m.id} has no goal`).toBe(true);
	for (const area of content.lifeAreas) {
		expect(isSorted(area.goals), `${label}: goals of ${area.lifeArea} not sorted`).toBe(true);
		for (const g of area.goals) {
			expect(g.lifeArea, label).toBe(area.lifeArea);
			expect(isSorted(g.measures), `${label}: measures of ${g.id} not sorted`).toBe(true);
		}
	}
	expect(isSorted(listGoals(plan)), `${label}: listGoals not sorted`).toBe(true);
	expect(isSorted(content.crisisPlan.warningSigns), `${label}: warning signs not sorted`).toBe(true);
	expect(isSorted(content.crisisPlan.contacts), `${label}: contacts not sorted`).toBe(true);
	expect(isSorted(content.voice.ownResources), `${label}: own resources not sorted`).toBe(true);
}

function runSeed(seed: number) {
	const rng = new Rng(seed);
	const stats = { ops: 0, refused: 0, delivered: 0, dropped: 0, repairs: 0 };
	const clients: Client[] = Array.from({ length: CLIENTS }, (_, index) => {
		const plan = new Y.Doc();
		const voice = new Y.Doc();
		// Fixed client ids make the whole run a function of the seed.
		plan.clientID = 1000 + index;
		voice.clientID = 2000 + index;
		return { index, plan, voice, origin: { client: index }, counter: 0 };
	});
	const links: Message[][][] = clients.map(() => clients.map(() => []));
	for (const c of clients) {
		for (const kind of ['plan', 'voice'] as const) {
			c[kind].on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === REMOTE) return; // replicas relay only their own changes
				for (const other of clients) if (other !== c) links[c.index][other.index].push({ kind, update });
			});
		}
	}
	const deliverOne = (): boolean => {
		const busy: Array<[number, number]> = [];
		links.forEach((row, i) => row.forEach((q, j) => q.length > 0 && busy.push([i, j])));
		const link = rng.pick(busy);
		if (!link) return false;
		const queue = links[link[0]][link[1]];
		const [msg] = queue.splice(rng.int(queue.length), 1); // out of order within a link, too
		if (rng.chance(DROP_RATE)) stats.dropped++;
		else {
			Y.applyUpdate(clients[link[1]][msg.kind], msg.update, REMOTE);
			stats.delivered++;
		}
		return true;
	};
	const repair = (from: Client, to: Client) => {
		for (const kind of ['plan', 'voice'] as const) {
			Y.applyUpdate(to[kind], Y.encodeStateAsUpdate(from[kind], Y.encodeStateVector(to[kind])), REMOTE);
		}
		stats.repairs++;
	};

	while (stats.ops < OPS_PER_SEED) {
		const r = rng.float();
		if (r < 0.55) {
			const c = rng.pick(clients)!;
			try {
				randomOperation(rng, c);
			} catch (e) {
				if (!(e instanceof PlanValidationError))
					throw new Error(`seed ${seed}, op ${stats.ops}: ${String(e)}`, { cause: e });
				stats.refused++;
			}
			stats.ops++;
			if (stats.ops % 25 === 0) {
				assertInvariants(
					renderPlan({ plan: c.plan, crisis: c.plan, voice: c.voice }),
					c.plan,
					`seed ${seed}, op ${stats.ops}, client ${c.index}`
				);
			}
		} else if (r < 0.95) {
			deliverOne();
		} else {
			const from = rng.pick(clients)!;
			const to = rng.pick(clients.filter((x) => x !== from))!;
			repair(from, to);
		}
	}
	while (deliverOne());
	// Final anti-entropy: everyone into client 0, then client 0 out to everyone.
	for (const c of clients.slice(1)) repair(c, clients[0]);
	for (const c of clients.slice(1)) repair(clients[0], c);
	return { clients, stats };
}

describe('convergence fuzzer', () => {
	test.each(SEEDS)('seed %i: replicas converge after lossy, reordered delivery', (seed) => {
		const { clients, stats } = runSeed(seed);
		const label = `seed ${seed}`;
		// The run must have exercised what it claims to.
		expect(stats.delivered, `${label}: nothing delivered`).toBeGreaterThan(50);
		expect(stats.dropped, `${label}: nothing dropped`).toBeGreaterThan(0);
		expect(stats.refused, `${label}: no refused operations`).toBeGreaterThan(0);

		const reference = JSON.stringify(
			renderPlan({ plan: clients[0].plan, crisis: clients[0].plan, voice: clients[0].voice })
		);
		const planSv = Y.encodeStateVector(clients[0].plan);
		const voiceSv = Y.encodeStateVector(clients[0].voice);
		for (const c of clients) {
			expect(
				JSON.stringify(renderPlan({ plan: c.plan, crisis: c.plan, voice: c.voice })),
				`${label}: client ${c.index} renders differently`
			).toBe(reference);
			expect(Y.encodeStateVector(c.plan), `${label}: client ${c.index} plan state vector`).toEqual(planSv);
			expect(Y.encodeStateVector(c.voice), `${label}: client ${c.index} voice state vector`).toEqual(voiceSv);
		}
		const content = renderPlan({ plan: clients[0].plan, crisis: clients[0].plan, voice: clients[0].voice });
		assertInvariants(content, clients[0].plan, label);
		const goals = content.lifeAreas!.flatMap((a) => a.goals);
		expect(
			goals.length + content.crisisPlan!.warningSigns.length,
			`${label}: an empty end state proves little`
		).toBeGreaterThan(0);
	});
});
