import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CombinedUndo, LocalUndo } from '../../../src/lib/collab/undo.svelte';
import { addGoal, addOwnResource, listGoals, listOwnResources, planScope, voiceScope } from '../../../src/lib/plan';

function setup() {
	const plan = new Y.Doc();
	const voice = new Y.Doc();
	const origin = { local: true };
	const undo = new CombinedUndo([new LocalUndo(planScope(plan), origin), new LocalUndo(voiceScope(voice), origin)]);
	return { plan, voice, origin, undo };
}

describe('undo of my own edits across the plan and the voice', () => {
	it('undoes the latest step first, whichever document it was in, and redoes it', () => {
		const { plan, voice, origin, undo } = setup();
		addGoal(plan, { lifeArea: 'housing', title: 'Egen leilighet', expressedBy: 'patient' }, origin);
		// No pause needed: each structural edit is its own step, however quickly the next one follows.
		addOwnResource(voice, { text: 'Lager middag selv' }, origin);
		expect(undo.canUndo).toBe(true);

		undo.undo();
		expect(listOwnResources(voice)).toHaveLength(0);
		expect(listGoals(plan)).toHaveLength(1);
		undo.undo();
		expect(listGoals(plan)).toHaveLength(0);
		expect(undo.canUndo).toBe(false);

		undo.redo();
		expect(listGoals(plan)).toHaveLength(1);
		expect(listOwnResources(voice)).toHaveLength(0);
		expect(undo.canRedo).toBe(true);
	});

	it('never undoes a change that came from someone else', () => {
		const { plan, origin, undo } = setup();
		const colleague = new Y.Doc();
		addGoal(colleague, { lifeArea: 'economy', title: 'Budsjett', expressedBy: 'staff' });
		Y.applyUpdate(plan, Y.encodeStateAsUpdate(colleague), 'provider');
		expect(undo.canUndo).toBe(false);
		addGoal(plan, { lifeArea: 'housing', title: 'Egen leilighet', expressedBy: 'patient' }, origin);
		undo.undo();
		expect(listGoals(plan).map((g) => g.title)).toEqual(['Budsjett']);
	});
});
