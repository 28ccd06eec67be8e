import { describe, expect, it } from 'vitest';
import type { MemberRole } from '../../../src/lib/vocabulary';
import {
	canCreateGoal,
	canCreateMeasure,
	canSetExpressedBy,
	canSetPerson,
	canSetProposal,
	canSetStatus,
	evaluationRights,
	goalRights,
	measureRights,
	nextStatuses,
	writesCrisisPlan,
	type Actor
} from '../../../src/lib/plan/rights';

const actor = (userId: string, roles: MemberRole[], serviceIds: string[] = []): Actor => ({
	userId,
	roles: new Set(roles),
	serviceIds: new Set(serviceIds)
});

const patient = actor('pasient', ['patient']);
const guardian = actor('verge', ['guardian']);
const coordinator = actor('koordinator', ['coordinator'], ['psykisk-helse']);
const nav = actor('nav-ansatt', ['service_provider'], ['nav']);
const dps = actor('dps-behandler', ['service_provider'], ['dps']);
const sister = actor('søster', ['relative']);

// One block per row of the table in issue 8 ("Rights inside the document, enforced by the server").
describe('rights inside the plan, row by row', () => {
	// "The patient's voice: the patient (or a guardian)" is a document of its own, written only by them: that row
	// is decided per document in planAccess (tests/integration/plans/lifecycle.test.ts), as is the crisis plan's.

	it('a goal: any writer proposes and edits its text; a goal the patient expressed only the patient (or the coordinator, in the meeting)', () => {
		for (const who of [patient, coordinator, nav, sister]) expect(canCreateGoal(who)).toBe(true);
		const staffGoal = { expressedBy: 'staff', createdBy: 'koordinator', status: 'active' };
		for (const who of [patient, coordinator, nav, sister]) expect(goalRights(who, staffGoal).editText).toBe(true);
		const patientsGoal = { expressedBy: 'patient', createdBy: 'pasient', status: 'active' };
		expect(goalRights(patient, patientsGoal).editText).toBe(true);
		expect(goalRights(guardian, patientsGoal).editText).toBe(true);
		expect(goalRights(coordinator, patientsGoal).editText).toBe(true);
		expect(goalRights(nav, patientsGoal).editText).toBe(false);
		expect(goalRights(sister, patientsGoal).editText).toBe(false);
	});

	// Issue 10: one list of goals. The patient's words are theirs: staff, the coordinator included, propose a wording.
	it("a goal's title: any writer rewords it, but the patient's own goal only the patient (or guardian)", () => {
		const staffGoal = { expressedBy: 'staff', createdBy: 'koordinator', status: 'active' };
		for (const who of [patient, guardian, coordinator, nav, sister])
			expect(goalRights(who, staffGoal).reword).toBe(true);
		const patientsGoal = { expressedBy: 'patient', createdBy: 'pasient', status: 'active' };
		expect(goalRights(patient, patientsGoal).reword).toBe(true);
		expect(goalRights(guardian, patientsGoal).reword).toBe(true);
		for (const who of [coordinator, nav, dps, sister])
			expect(goalRights(who, patientsGoal).reword, who.userId).toBe(false);
		// Nor can staff relabel the goal as not the patient's (and then reword it); they may record one as the patient's.
		expect(canSetExpressedBy(coordinator, patientsGoal, 'staff')).toBe(false);
		expect(canSetExpressedBy(nav, patientsGoal, 'staff')).toBe(false);
		expect(canSetExpressedBy(patient, patientsGoal, 'staff')).toBe(true);
		expect(canSetExpressedBy(coordinator, staffGoal, 'patient')).toBe(true);
		expect(canSetExpressedBy(nav, staffGoal, 'patient')).toBe(false);
		expect(canSetExpressedBy(nav, staffGoal, 'relative')).toBe(true);
	});

	it("a proposed wording: any writer proposes one for the patient's goal, signed; only the patient (or guardian) answers it", () => {
		const patientsGoal = { expressedBy: 'patient', createdBy: 'pasient', status: 'active' };
		const staffGoal = { ...patientsGoal, expressedBy: 'staff' };
		for (const who of [coordinator, nav, dps, sister, patient])
			expect(goalRights(who, patientsGoal).proposeTitle, who.userId).toBe(true);
		// A goal staff wrote is simply reworded; nothing to propose.
		for (const who of [coordinator, nav, patient]) expect(goalRights(who, staffGoal).proposeTitle).toBe(false);
		expect(goalRights(patient, patientsGoal).answerProposal).toBe(true);
		expect(goalRights(guardian, patientsGoal).answerProposal).toBe(true);
		for (const who of [coordinator, nav, sister]) expect(goalRights(who, patientsGoal).answerProposal).toBe(false);

		expect(canSetProposal(nav, patientsGoal, 'proposedTitle', 'Egen leilighet nær søsteren')).toBe(true);
		expect(canSetProposal(nav, patientsGoal, 'proposedBy', 'nav-ansatt')).toBe(true);
		expect(canSetProposal(nav, patientsGoal, 'proposedBy', 'koordinator')).toBe(false);
		expect(canSetProposal(nav, staffGoal, 'proposedTitle', 'Egen leilighet')).toBe(false);
		expect(canSetProposal(nav, patientsGoal, 'proposedTitle', 42)).toBe(false);
		// Clearing it is answering it: accepting (the title becomes the proposal) or declining.
		expect(canSetProposal(patient, patientsGoal, 'proposedTitle', null)).toBe(true);
		expect(canSetProposal(guardian, patientsGoal, 'proposedBy', null)).toBe(true);
		expect(canSetProposal(coordinator, patientsGoal, 'proposedTitle', null)).toBe(false);
		expect(canSetProposal(nav, patientsGoal, 'proposedBy', null)).toBe(false);
		// Its proposer may take it back (an undo of proposing does the same); nobody else.
		const proposedByNav = { ...patientsGoal, proposedBy: 'nav-ansatt' };
		expect(goalRights(nav, proposedByNav).withdrawProposal).toBe(true);
		expect(canSetProposal(nav, proposedByNav, 'proposedTitle', null)).toBe(true);
		for (const who of [coordinator, dps, sister])
			expect(canSetProposal(who, proposedByNav, 'proposedTitle', null), who.userId).toBe(false);
		expect(goalRights(patient, proposedByNav).withdrawProposal).toBe(false);
	});

	it('a goal: status and delete by the coordinator, and by its author while it is still proposed', () => {
		const proposedByNav = { expressedBy: 'staff', createdBy: 'nav-ansatt', status: 'proposed' };
		expect(goalRights(coordinator, proposedByNav)).toMatchObject({ setStatus: true, remove: true });
		expect(goalRights(nav, proposedByNav)).toMatchObject({ setStatus: true, remove: true });
		expect(goalRights(dps, proposedByNav)).toMatchObject({ setStatus: false, remove: false });
		expect(goalRights(patient, proposedByNav)).toMatchObject({ setStatus: false, remove: false });
		const activeByNav = { ...proposedByNav, status: 'active' };
		expect(goalRights(nav, activeByNav)).toMatchObject({ setStatus: false, remove: false });
		expect(goalRights(coordinator, activeByNav)).toMatchObject({ setStatus: true, remove: true });
		// Evaluations are anybody's to write; changing one is its author's or the coordinator's.
		expect(goalRights(sister, activeByNav).evaluate).toBe(true);
		expect(evaluationRights(sister, { by: 'søster' })).toEqual({ edit: true, remove: true });
		expect(evaluationRights(nav, { by: 'søster' })).toEqual({ edit: false, remove: false });
		expect(evaluationRights(coordinator, { by: 'søster' })).toEqual({ edit: true, remove: true });
	});

	it('a measure: any writer creates one (proposed), and edits its text while it is proposed', () => {
		for (const who of [patient, coordinator, nav, sister]) expect(canCreateMeasure(who)).toBe(true);
		const proposed = { serviceId: 'dps', createdBy: 'koordinator', status: 'requested' };
		for (const who of [patient, coordinator, nav, dps, sister])
			expect(measureRights(who, proposed).editText).toBe(true);
		const accepted = { ...proposed, status: 'accepted' };
		expect(measureRights(dps, accepted).editText).toBe(true);
		expect(measureRights(coordinator, accepted).editText).toBe(true);
		expect(measureRights(nav, accepted).editText).toBe(false);
		expect(measureRights(patient, accepted).editText).toBe(false);
	});

	it('a measure: accept, decline, counter-propose and set the named person: a member of the owning service', () => {
		const proposed = { serviceId: 'dps', createdBy: 'koordinator', status: 'requested' };
		expect(measureRights(dps, proposed).answer).toBe(true);
		expect(measureRights(nav, proposed).answer).toBe(false);
		expect(measureRights(coordinator, proposed).answer).toBe(false);
		expect(measureRights(patient, proposed).answer).toBe(false);
		// No owner yet: nobody answers.
		expect(measureRights(dps, { ...proposed, serviceId: null }).answer).toBe(false);
		const accepted = { ...proposed, status: 'accepted' };
		expect(canSetPerson(dps, accepted)).toBe(true);
		expect(canSetPerson(nav, accepted)).toBe(false);
		expect(canSetPerson(coordinator, accepted)).toBe(false);
		// While nobody has answered, whoever may move the proposal may still change whom it names.
		expect(canSetPerson(coordinator, proposed)).toBe(true);
		// The answers themselves are server actions: never a status a client writes, not even the owner.
		for (const status of ['accepted', 'rejected', 'counter_proposed']) {
			expect(canSetStatus(dps, proposed, status)).toBe(false);
			expect(nextStatuses(dps, proposed)).not.toContain(status);
		}
	});

	it('a measure: in progress, waiting, done by the owning service and the coordinator', () => {
		const accepted = { serviceId: 'dps', createdBy: 'koordinator', status: 'accepted' };
		expect(measureRights(dps, accepted).progress).toBe(true);
		expect(measureRights(coordinator, accepted).progress).toBe(true);
		expect(measureRights(nav, accepted).progress).toBe(false);
		expect(measureRights(patient, accepted).progress).toBe(false);
		expect(nextStatuses(dps, accepted)).toEqual(['in_progress', 'on_hold', 'completed']);
		expect(nextStatuses(nav, accepted)).toEqual([]);
		expect(nextStatuses(dps, { ...accepted, status: 'in_progress' })).toEqual(['on_hold', 'completed']);
		expect(nextStatuses(dps, { ...accepted, status: 'on_hold' })).toEqual(['in_progress', 'completed']);
		expect(canSetStatus(nav, accepted, 'cancelled')).toBe(false);
		expect(canSetStatus(nav, accepted, 'accepted')).toBe(true); // staying where it is
	});

	it('a measure: cancel, delete, move by the coordinator, and by its creator while it is still proposed', () => {
		const proposedByNav = { serviceId: 'dps', createdBy: 'nav-ansatt', status: 'requested' };
		expect(measureRights(nav, proposedByNav)).toMatchObject({ cancel: true, remove: true, move: true });
		expect(measureRights(coordinator, proposedByNav)).toMatchObject({ cancel: true, remove: true, move: true });
		expect(measureRights(dps, proposedByNav)).toMatchObject({ cancel: false, remove: false, move: false });
		expect(measureRights(patient, proposedByNav)).toMatchObject({ cancel: false, remove: false, move: false });
		const accepted = { ...proposedByNav, status: 'accepted' };
		expect(measureRights(nav, accepted)).toMatchObject({ cancel: false, remove: false, move: false });
		expect(measureRights(coordinator, accepted)).toMatchObject({ cancel: true, remove: true, move: true });
		expect(nextStatuses(coordinator, accepted)).toEqual(['in_progress', 'on_hold', 'completed', 'cancelled']);
		expect(nextStatuses(nav, proposedByNav)).toEqual(['cancelled']);
		// After a decline, the coordinator decides: propose it again, or cancel it.
		expect(nextStatuses(coordinator, { ...accepted, status: 'rejected' })).toEqual(['requested', 'cancelled']);
		expect(nextStatuses(dps, { ...accepted, status: 'rejected' })).toEqual([]);
	});

	it('a measure: status notes by any writer', () => {
		const accepted = { serviceId: 'dps', createdBy: 'koordinator', status: 'on_hold' };
		for (const who of [patient, coordinator, nav, dps, sister]) expect(measureRights(who, accepted).notes).toBe(true);
	});

	it('the crisis plan: the patient, the coordinator and clinical staff', () => {
		expect(writesCrisisPlan(patient.roles, new Set())).toBe(true);
		expect(writesCrisisPlan(coordinator.roles, new Set())).toBe(true);
		expect(writesCrisisPlan(new Set(['gp']), new Set())).toBe(true);
		expect(writesCrisisPlan(new Set(['specialist_coordinator']), new Set())).toBe(true);
		for (const kind of ['gp', 'dps', 'tsb', 'act', 'mental_health', 'substance_use'] as const) {
			expect(writesCrisisPlan(new Set(['service_provider']), new Set([kind])), kind).toBe(true);
		}
		for (const kind of ['nav', 'housing', 'home_care', 'other'] as const) {
			expect(writesCrisisPlan(new Set(['service_provider']), new Set([kind])), kind).toBe(false);
		}
		expect(writesCrisisPlan(sister.roles, new Set())).toBe(false);
		expect(writesCrisisPlan(new Set(['observer']), new Set())).toBe(false);
	});
});

describe('the gate, for updates the table does not spell out', () => {
	it('the coordinator may put back a goal someone else wrote (an undone delete); others may not sign as someone else', async () => {
		const Y = await import('yjs');
		const { addGoal, removeGoal } = await import('../../../src/lib/plan');
		const { checkUpdate } = await import('../../../src/lib/server/collab/gate');
		const server = new Y.Doc();
		const id = addGoal(server, {
			lifeArea: 'housing',
			title: 'Egen leilighet',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'pasient'
		});
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const undo = new Y.UndoManager(client.getMap('goals'));
		removeGoal(client, id);
		const deleted = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(checkUpdate(server, 'plan', deleted, coordinator)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, deleted);
		const sv = Y.encodeStateVector(server);
		undo.undo();
		const restored = Y.encodeStateAsUpdate(client, sv);
		expect(checkUpdate(server, 'plan', restored, coordinator)).toEqual({ kind: 'accept' });
		expect(checkUpdate(server, 'plan', restored, nav)).toEqual({
			kind: 'refuse',
			reason: `not-allowed goal/createdBy ${id}`
		});
	});

	it("the patient's goal: staff propose a wording, never write one; the patient accepts or declines it", async () => {
		const Y = await import('yjs');
		const { acceptProposedTitle, addGoal, declineProposedTitle, getGoal, proposeGoalTitle, updateGoal } =
			await import('../../../src/lib/plan');
		const { checkUpdate } = await import('../../../src/lib/server/collab/gate');
		const server = new Y.Doc();
		const id = addGoal(server, {
			lifeArea: 'housing',
			title: 'Egen leilighet',
			expressedBy: 'patient',
			status: 'active',
			createdBy: 'pasient'
		});
		/** What `edit` makes of a client copy of the server, as the update it would send. */
		const updateOf = (edit: (doc: InstanceType<typeof Y.Doc>) => void) => {
			const client = new Y.Doc();
			Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
			edit(client);
			return Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		};
		const refused = (field: string) => ({ kind: 'refuse', reason: `not-allowed goal/${field} ${id}` });

		const reword = updateOf((d) => updateGoal(d, id, { title: 'Egen leilighet, med oppfølging' }));
		expect(checkUpdate(server, 'plan', reword, coordinator)).toEqual(refused('title'));
		expect(checkUpdate(server, 'plan', reword, nav)).toEqual(refused('title'));
		expect(checkUpdate(server, 'plan', reword, patient)).toEqual({ kind: 'accept' });
		const relabel = updateOf((d) => updateGoal(d, id, { expressedBy: 'staff' }));
		expect(checkUpdate(server, 'plan', relabel, coordinator)).toEqual(refused('expressedBy'));

		expect(
			checkUpdate(
				server,
				'plan',
				updateOf((d) => proposeGoalTitle(d, id, 'Leilighet', 'koordinator')),
				nav
			)
		).toEqual(refused('proposedBy'));
		const proposal = updateOf((d) => proposeGoalTitle(d, id, 'Egen leilighet med egen inngang', 'nav-ansatt'));
		expect(checkUpdate(server, 'plan', proposal, nav)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, proposal);
		expect(getGoal(server, id)!.proposal).toEqual({ title: 'Egen leilighet med egen inngang', by: 'nav-ansatt' });

		// Nobody answers for the patient: not the proposer, not the coordinator. The proposer may only take it back.
		const decline = updateOf((d) => declineProposedTitle(d, id));
		const accept = updateOf((d) => acceptProposedTitle(d, id));
		for (const who of [nav, coordinator]) expect(checkUpdate(server, 'plan', accept, who)).toEqual(refused('title'));
		expect(checkUpdate(server, 'plan', decline, coordinator)).toEqual(refused('proposedTitle'));
		expect(checkUpdate(server, 'plan', decline, dps)).toEqual(refused('proposedTitle'));
		expect(checkUpdate(server, 'plan', decline, nav)).toEqual({ kind: 'accept' });
		expect(checkUpdate(server, 'plan', decline, patient)).toEqual({ kind: 'accept' });
		expect(checkUpdate(server, 'plan', accept, guardian)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, accept);
		expect(getGoal(server, id)).toMatchObject({
			title: 'Egen leilighet med egen inngang',
			proposal: null,
			expressedBy: 'patient'
		});
	});

	it("the proposer undoes proposing (as the page's undo does): the gate takes it", async () => {
		const Y = await import('yjs');
		const { addGoal, getGoal, proposeGoalTitle } = await import('../../../src/lib/plan');
		const { checkUpdate } = await import('../../../src/lib/server/collab/gate');
		const server = new Y.Doc();
		const id = addGoal(server, {
			lifeArea: 'economy',
			title: 'Penger til mat',
			expressedBy: 'patient',
			createdBy: 'pasient'
		});
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const local = { local: true };
		const undo = new Y.UndoManager(client.getMap('goals'), { trackedOrigins: new Set([local]) });
		proposeGoalTitle(client, id, 'Fast budsjett', 'nav-ansatt', local);
		const proposed = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(checkUpdate(server, 'plan', proposed, nav)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, proposed);
		const sv = Y.encodeStateVector(server);
		undo.undo();
		const undone = Y.encodeStateAsUpdate(client, sv);
		expect(checkUpdate(server, 'plan', undone, dps)).toEqual({
			kind: 'refuse',
			reason: `not-allowed goal/proposedTitle ${id}`
		});
		expect(checkUpdate(server, 'plan', undone, nav)).toEqual({ kind: 'accept' });
		Y.applyUpdate(server, undone);
		expect(getGoal(server, id)?.proposal).toBeNull();
	});
});
