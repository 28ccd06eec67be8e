import { m } from '$lib/paraglide/messages';
import { CLOSE, REFUSAL, type RefusalReason } from '$lib/sync/close-codes';
import type { ConnectionState } from '$lib/collab/live-doc.svelte';

/** The connection state in words; a refusal says why, per close code. */
export function connectionText(state: ConnectionState, refusedWith: number | null): string {
	switch (state) {
		case 'online':
			return m.conn_online();
		case 'syncing':
			return m.conn_syncing();
		case 'offline':
			return m.conn_offline();
		case 'reconnecting':
			return m.conn_reconnecting();
		case 'busy':
			return m.conn_busy();
		case 'refused':
			return refusalCloseText(refusedWith);
		default:
			return m.conn_connecting();
	}
}

function refusalCloseText(code: number | null): string {
	switch (code) {
		case CLOSE.unauthenticated:
			return m.conn_refused_4401();
		case CLOSE.forbidden:
			return m.conn_refused_4403();
		case CLOSE.badMessage:
			return m.conn_refused_4400();
		case CLOSE.refused:
			return m.conn_refused_4422();
		default:
			// CLOSE.tooLarge among them: a presence message only an altered client sends.
			return m.conn_refused_other();
	}
}

/** What the page says after the server refused an update of ours and the plan was fetched again. */
export function refusalText(reason: RefusalReason | null): string {
	switch (reason) {
		case REFUSAL.tooDeep:
			return m.refusal_too_deep();
		case REFUSAL.unknownRoot:
			return m.refusal_unknown_root();
		case REFUSAL.valueTooLarge:
			return m.refusal_value_too_large();
		case REFUSAL.documentFull:
			return m.refusal_document_full();
		case REFUSAL.unsupported:
			return m.refusal_unsupported();
		default:
			return m.refusal_other();
	}
}
