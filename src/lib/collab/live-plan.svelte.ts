import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { DOC_KINDS, DOC_PREFIX, renderPlan, scopeOf, type DocKind, type PlanContent } from '$lib/plan';
import { LiveDoc, type ConnectionState, type Refusal } from './live-doc.svelte';
import { CombinedUndo, LocalUndo } from './undo.svelte';
import { Presence } from './presence.svelte';

export interface Me {
	id: string;
	name: string;
	color: string;
}

/**
 * A plan open in the browser: the live documents this person may see (consent decides which of plan, crisis
 * plan and voice), a JSON snapshot that re-renders on every change, presence across them, and undo scoped to
 * this person's own edits.
 *
 * A document can be replaced by a fresh one when the server refuses an update (see `LiveDoc`). Everything here
 * that works on a document is attached with `LiveDoc.bind`, so it follows: the render subscription, the undo
 * manager, the awareness state with my name, and presence over every document's awareness. The editors follow
 * through the page: `ready` drops while a document is replaced, and they mount again on the new one.
 */
export class LivePlan {
	/** The open documents, by kind; a kind the person may not see is not opened at all. */
	readonly docs: Readonly<Partial<Record<DocKind, LiveDoc>>>;
	/** Origin of every local structural edit, so undo can tell ours from theirs. */
	readonly origin = { local: true };
	#content = $state.raw<PlanContent>() as PlanContent;
	#undoParts = $state.raw<Partial<Record<DocKind, LocalUndo>>>({});
	#undo = $derived(new CombinedUndo(Object.values(this.#undoParts)));
	#presence = $state.raw<Presence>() as Presence;
	#frame = 0;
	readonly #unbind: (() => void)[];

	constructor(planId: string, me: Me, initial: PlanContent, kinds: readonly DocKind[]) {
		this.#content = initial;
		const docs: Partial<Record<DocKind, LiveDoc>> = {};
		for (const kind of DOC_KINDS) if (kinds.includes(kind)) docs[kind] = new LiveDoc(DOC_PREFIX[kind] + planId, me.id);
		this.docs = docs;
		const user = { id: me.id, name: me.name, color: me.color };
		this.#unbind = this.#open().map(([kind, live]) =>
			live.bind((doc, awareness) => this.#attach(kind, doc, awareness, user))
		);
	}

	#open(): Array<[DocKind, LiveDoc]> {
		return Object.entries(this.docs) as Array<[DocKind, LiveDoc]>;
	}

	#attach(kind: DocKind, doc: Y.Doc, awareness: Awareness, user: Me): () => void {
		awareness.setLocalStateField('user', user);
		doc.on('update', this.#schedule);
		const undo = new LocalUndo(scopeOf(kind, doc), this.origin);
		this.#undoParts = { ...this.#undoParts, [kind]: undo };
		// Presence spans every document: rebuilt over all current awarenesses whenever one is new.
		this.#presence?.destroy();
		this.#presence = new Presence(this.#open().map(([, live]) => live.awareness));
		return () => {
			doc.off('update', this.#schedule);
			undo.destroy();
			if (this.#undoParts[kind] === undo) {
				const rest = { ...this.#undoParts };
				delete rest[kind];
				this.#undoParts = rest;
			}
		};
	}

	get plan(): LiveDoc | null {
		return this.docs.plan ?? null;
	}

	get crisis(): LiveDoc | null {
		return this.docs.crisis ?? null;
	}

	get voice(): LiveDoc | null {
		return this.docs.voice ?? null;
	}

	get content(): PlanContent {
		return this.#content;
	}

	/** Undo and redo of my own changes, across the documents. */
	get undo(): CombinedUndo {
		return this.#undo;
	}

	get presence(): Presence {
		return this.#presence;
	}

	/** Every document has content (from the server or the offline copy): switch from the SSR snapshot to live. */
	get ready(): boolean {
		return this.#open().every(([, live]) => live.ready);
	}

	get state(): ConnectionState {
		const states = this.#open().map(([, live]) => live.state);
		for (const s of ['refused', 'offline', 'busy', 'delayed', 'reconnecting', 'connecting', 'syncing'] as const)
			if (states.includes(s)) return s;
		return 'online';
	}

	get refusedWith(): number | null {
		for (const [, live] of this.#open()) if (live.refusedWith !== null) return live.refusedWith;
		return null;
	}

	/** The latest refused update in any document, until dismissed. */
	get refusal(): Refusal | null {
		let latest: Refusal | null = null;
		for (const [, live] of this.#open())
			if (live.refusal && (!latest || live.refusal.at >= latest.at)) latest = live.refusal;
		return latest;
	}

	dismissRefusal(): void {
		for (const [, live] of this.#open()) live.dismissRefusal();
	}

	/** How many times a document of this plan was replaced after a refusal. */
	get generation(): number {
		return this.#open().reduce((n, [, live]) => n + live.generation, 0);
	}

	#render(): PlanContent {
		return renderPlan({ plan: this.docs.plan?.doc, crisis: this.docs.crisis?.doc, voice: this.docs.voice?.doc });
	}

	// One re-render per animation frame, however many updates arrive in it.
	#schedule = () => {
		if (this.#frame) return;
		this.#frame = requestAnimationFrame(() => {
			this.#frame = 0;
			if (this.ready) this.#content = this.#render();
		});
	};

	/** Called when `ready` flips, so the first live render does not wait for the next edit. */
	refresh(): void {
		this.#content = this.#render();
	}

	destroy(): void {
		cancelAnimationFrame(this.#frame);
		for (const unbind of this.#unbind) unbind();
		this.#presence.destroy();
		for (const [, live] of this.#open()) live.destroy();
	}
}
