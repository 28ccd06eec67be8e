import { DOC_KINDS, type DocKind } from '../../plan';
import type { PlanAccess } from '../access/plans';

/**
 * The documents whose history a person sees: those they may see now (consent decides today, not then), so a
 * relative without the crisis scope sees no crisis history, however long they were in the group.
 */
export function historyKinds(access: Pick<PlanAccess, 'docs'>): DocKind[] {
	return DOC_KINDS.filter((kind) => access.docs[kind] !== 'none');
}
