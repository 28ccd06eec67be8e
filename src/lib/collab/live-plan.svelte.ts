import { planDocName, planScope, renderPlan, voiceDocName, voiceScope, type PlanContent } from '$lib/plan';
import { LiveDoc, type ConnectionState } from './live-doc.svelte';
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
 */
export class LivePlan {
	readonly plan: LiveDoc;
	readonly voice: LiveDoc;
	/** Origin of every local structural edit, so undo can tell ours from theirs. */
	readonly origin = { local: true };
	readonly undo: CombinedUndo;
	readonly presence: Presence;
	content = $state.raw<PlanContent>() as PlanContent;
	private frame = 0;

	constructor(planId: string, me: Me, initial: PlanContent) {
		this.content = initial;
		this.plan = new LiveDoc(planDocName(planId), me.id);
		this.voice = new LiveDoc(voiceDocName(planId), me.id);
		for (const d of [this.plan, this.voice]) {
			d.provider.awareness.setLocalStateField('user', { id: me.id, name: me.name, color: me.color });
			d.doc.on('update', this.schedule);
		}
		this.undo = new CombinedUndo([new LocalUndo(planScope(this.plan.doc), this.origin), new LocalUndo(voiceScope(this.voice.doc), this.origin)]);
		this.presence = new Presence([this.plan.provider.awareness, this.voice.provider.awareness]);
	}

	/** Both documents have content (from the server or the offline copy): switch from the SSR snapshot to live. */
	get ready(): boolean {
		return this.plan.ready && this.voice.ready;
	}

	get state(): ConnectionState {
		const states = [this.plan.state, this.voice.state];
		for (const s of ['refused', 'offline', 'connecting', 'syncing'] as const) if (states.includes(s)) return s;
		return 'online';
	}

	get refusedWith(): number | null {
		return this.plan.refusedWith ?? this.voice.refusedWith;
	}

	// One re-render per animation frame, however many updates arrive in it.
	private schedule = () => {
		if (this.frame) return;
		this.frame = requestAnimationFrame(() => {
			this.frame = 0;
			if (this.ready) this.content = renderPlan(this.plan.doc, this.voice.doc);
		});
	};

	/** Called when `ready` flips, so the first live render does not wait for the next edit. */
	refresh(): void {
		this.content = renderPlan(this.plan.doc, this.voice.doc);
	}

	destroy(): void {
		cancelAnimationFrame(this.frame);
		this.presence.destroy();
		this.undo.destroy();
		this.plan.destroy();
		this.voice.destroy();
	}
}
