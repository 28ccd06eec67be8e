import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { planDocName, planScope, renderPlan, voiceDocName, voiceScope, type PlanContent } from '$lib/plan';
import { LiveDoc, type ConnectionState, type Refusal } from './live-doc.svelte';
import { CombinedUndo, LocalUndo } from './undo.svelte';
import { Presence } from './presence.svelte';

export interface Me {
	id: string;
	name: string;
	color: string;
}

/**
 * A plan open in the browser: its two live documents, a JSON snapshot that re-renders on every change,
 * presence across both, and undo scoped to this person's own edits.
 *
 * Either document can be replaced by a fresh one when the server refuses an update (see `LiveDoc`). Everything
 * here that works on a document is attached with `LiveDoc.bind`, so it follows: the render subscription, the
 * undo manager, the awareness state with my name, and presence over both documents' awareness. The editors
 * follow through the page: `ready` drops while a document is replaced, and they mount again on the new one.
 */
export class LivePlan {
	readonly plan: LiveDoc;
	readonly voice: LiveDoc;
	/** Origin of every local structural edit, so undo can tell ours from theirs. */
	readonly origin = { local: true };
	#content = $state.raw<PlanContent>() as PlanContent;
	#undoParts = $state.raw<{ plan: LocalUndo | null; voice: LocalUndo | null }>({ plan: null, voice: null });
	#undo = $derived(new CombinedUndo([this.#undoParts.plan, this.#undoParts.voice].filter((p) => p !== null)));
	#presence = $state.raw<Presence>() as Presence;
	#frame = 0;
	readonly #unbind: (() => void)[];

	constructor(planId: string, me: Me, initial: PlanContent) {
		this.#content = initial;
		this.plan = new LiveDoc(planDocName(planId), me.id);
		this.voice = new LiveDoc(voiceDocName(planId), me.id);
		const user = { id: me.id, name: me.name, color: me.color };
		this.#unbind = [
			this.plan.bind((doc, awareness) => this.#attach('plan', doc, awareness, planScope(doc), user)),
			this.voice.bind((doc, awareness) => this.#attach('voice', doc, awareness, voiceScope(doc), user))
		];
	}

	#attach(part: 'plan' | 'voice', doc: Y.Doc, awareness: Awareness, scope: Y.AbstractType<unknown>[], user: Me): () => void {
		awareness.setLocalStateField('user', user);
		doc.on('update', this.#schedule);
		const undo = new LocalUndo(scope, this.origin);
		this.#undoParts = { ...this.#undoParts, [part]: undo };
		// Presence spans both documents: rebuilt over both current awarenesses whenever either is new.
		this.#presence?.destroy();
		this.#presence = new Presence([this.plan.awareness, this.voice.awareness]);
		return () => {
			doc.off('update', this.#schedule);
			undo.destroy();
			if (this.#undoParts[part] === undo) this.#undoParts = { ...this.#undoParts, [part]: null };
		};
	}

	get content(): PlanContent {
		return this.#content;
	}

	/** Undo and redo of my own changes, across both documents. */
	get undo(): CombinedUndo {
		return this.#undo;
	}

	get presence(): Presence {
		return this.#presence;
	}

	/** Both documents have content (from the server or the offline copy): switch from the SSR snapshot to live. */
	get ready(): boolean {
		return this.plan.ready && this.voice.ready;
	}

	get state(): ConnectionState {
		const states = [this.plan.state, this.voice.state];
		for (const s of ['refused', 'offline', 'busy', 'reconnecting', 'connecting', 'syncing'] as const) if (states.includes(s)) return s;
		return 'online';
	}

	get refusedWith(): number | null {
		return this.plan.refusedWith ?? this.voice.refusedWith;
	}

	/** The latest refused update in either document, until dismissed. */
	get refusal(): Refusal | null {
		const [a, b] = [this.plan.refusal, this.voice.refusal];
		return a && b ? (a.at >= b.at ? a : b) : (a ?? b);
	}

	dismissRefusal(): void {
		this.plan.dismissRefusal();
		this.voice.dismissRefusal();
	}

	/** How many times a document of this plan was replaced after a refusal. */
	get generation(): number {
		return this.plan.generation + this.voice.generation;
	}

	// One re-render per animation frame, however many updates arrive in it.
	#schedule = () => {
		if (this.#frame) return;
		this.#frame = requestAnimationFrame(() => {
			this.#frame = 0;
			if (this.ready) this.#content = renderPlan(this.plan.doc, this.voice.doc);
		});
	};

	/** Called when `ready` flips, so the first live render does not wait for the next edit. */
	refresh(): void {
		this.#content = renderPlan(this.plan.doc, this.voice.doc);
	}

	destroy(): void {
		cancelAnimationFrame(this.#frame);
		for (const unbind of this.#unbind) unbind();
		this.#presence.destroy();
		this.plan.destroy();
		this.voice.destroy();
	}
}
