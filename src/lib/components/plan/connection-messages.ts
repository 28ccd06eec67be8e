import { m } from '$lib/paraglide/messages';
import { CLOSE, REFUSAL, type RefusalDetail, type RefusalReason } from '$lib/sync/close-codes';
import type { ConnectionState } from '$lib/collab/live-doc.svelte';

/** The connection state in words; a refusal says why, per close code. */
export function connectionText(state: ConnectionState, refusedWith: number | null): string {
	switch (state) {
		case 'online':
			return m.conn_online();
		case 'syncing':
			return m.conn_syncing();
		case 'delayed':
			return m.conn_delayed();
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

/** What the page knows about the entity a refusal was about: the name of the service that owns it, and whether that is mine. */
export interface RefusalAbout {
	ownerName: string | null;
	ownedByMe: boolean;
}

/**
 * What the page says after the server refused an update of ours and the plan was fetched again. A refusal of
 * rights (`not-allowed measure/status`) says, per field, who may make that change, naming the owning service.
 */
export function refusalText(
	reason: RefusalReason | null,
	detail: RefusalDetail | null = null,
	about: RefusalAbout = { ownerName: null, ownedByMe: false }
): string {
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
		case REFUSAL.unknownKey:
			return m.refusal_unknown_key();
		case REFUSAL.invalidValue:
			return m.refusal_invalid_value();
		case REFUSAL.notAllowed: {
			const who = detail ? whoMay(detail, about) : null;
			return who ? `${who} ${m.refusal_reloaded()}` : m.refusal_not_allowed();
		}
		default:
			return m.refusal_other();
	}
}

/** Who may make the refused change, in a sentence; null when the detail is not one this page knows. */
function whoMay({ entity, field }: RefusalDetail, about: RefusalAbout): string | null {
	const service = about.ownerName ?? m.refusal_owner_unknown();
	if (entity === 'measure') {
		switch (field) {
			case 'status':
				// The owning service is refused a status only when it tried to answer by writing one.
				return about.ownedByMe ? m.refusal_measure_answer_own() : m.refusal_measure_status({ service });
			case 'answeredBy':
			case 'answeredAt':
			case 'counterOf':
				return about.ownedByMe ? m.refusal_measure_answer_own() : m.refusal_measure_answer({ service });
			case 'personId':
				return m.refusal_measure_person({ service });
			case 'title':
			case 'description':
			case 'startDate':
			case 'dueDate':
			case 'startsAfter':
				return m.refusal_measure_text({ service });
			case 'goalId':
			case 'serviceId':
			case 'order':
				return m.refusal_measure_move();
			case 'delete':
				return m.refusal_measure_delete();
			case 'createdBy':
			case 'createdAt':
				return m.refusal_measure_fixed();
			default:
				return null;
		}
	}
	if (entity === 'goal') {
		switch (field) {
			case 'delete':
				return m.refusal_goal_delete();
			case 'status':
			case 'level':
				return m.refusal_goal_status();
			case 'title':
			case 'description':
			case 'lifeArea':
			case 'expressedBy':
				return m.refusal_goal_text();
			case 'createdBy':
			case 'createdAt':
				return m.refusal_goal_fixed();
			default:
				return null;
		}
	}
	if (entity === 'evaluation') return m.refusal_evaluation();
	return null;
}
