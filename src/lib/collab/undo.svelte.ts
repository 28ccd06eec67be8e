import * as Y from 'yjs';

/**
 * Undo and redo of this person's own structural edits (goals, measures, lists) in one document. Only
 * transactions made with `origin` are tracked, so a colleague's changes arriving over the network are never
 * undone here. Rich text has its own per-editor undo in Tiptap, equally limited to local edits.
 */
export class LocalUndo {
	#canUndo = $state(false);
	#canRedo = $state(false);
	private readonly manager: Y.UndoManager;

	get canUndo(): boolean {
		return this.#canUndo;
	}
	get canRedo(): boolean {
		return this.#canRedo;
	}

	constructor(scope: Y.AbstractType<unknown>[], origin: object) {
		// captureTimeout 0: every structural edit (add, move, a changed field) is a step of its own, however quick.
		// The origins Yjs tracks are its own configuration, not page state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		this.manager = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
		const refresh = () => {
			this.#canUndo = this.manager.undoStack.length > 0;
			this.#canRedo = this.manager.redoStack.length > 0;
		};
		// Stamp each step so undo across two documents can take the most recent one first.
		this.manager.on('stack-item-added', ({ stackItem }) => {
			if (!stackItem.meta.has('at')) stackItem.meta.set('at', performance.now());
			refresh();
		});
		this.manager.on('stack-item-popped', refresh);
		this.manager.on('stack-cleared', refresh);
	}

	/** When the step that undo (or redo) would revert was made; -1 if there is none. */
	latest(stack: 'undo' | 'redo'): number {
		const items = stack === 'undo' ? this.manager.undoStack : this.manager.redoStack;
		return (items.at(-1)?.meta.get('at') as number | undefined) ?? -1;
	}

	undo = () => this.manager.undo();
	redo = () => this.manager.redo();
	destroy = () => this.manager.destroy();
}

/** One undo/redo over several documents (the plan and the patient's voice): the latest step first. */
export class CombinedUndo {
	constructor(private readonly parts: LocalUndo[]) {}

	get canUndo(): boolean {
		return this.parts.some((p) => p.canUndo);
	}
	get canRedo(): boolean {
		return this.parts.some((p) => p.canRedo);
	}
	undo = () => this.pick('undo')?.undo();
	redo = () => this.pick('redo')?.redo();

	private pick(stack: 'undo' | 'redo'): LocalUndo | undefined {
		return this.parts
			.filter((p) => (stack === 'undo' ? p.canUndo : p.canRedo))
			.sort((a, b) => b.latest(stack) - a.latest(stack))[0];
	}

	destroy(): void {
		for (const p of this.parts) p.destroy();
	}
}
