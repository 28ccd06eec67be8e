import { m } from '$lib/paraglide/messages';
import type { ActivationGap } from '$lib/server/plans/lifecycle';
import type { PlanWarning } from '$lib/server/plans/warnings';
import { formatDate, roleLabel } from './labels';
import { missRunText, outcomeLabel } from './contacts';

/** What is missing before a plan may be active, as one plain sentence each. */
const gaps: Record<ActivationGap, () => string> = {
	plan_consent: m.gap_plan_consent,
	municipal_coordinator: m.gap_municipal_coordinator,
	period: m.gap_period,
	revision_date: m.gap_revision_date
};
export const gapText = (gap: ActivationGap) => gaps[gap]();

/** A warning for the coordinator, in the reader's language. */
export function warningText(w: PlanWarning): string {
	switch (w.kind) {
		case 'no_coordinator':
			return m.warning_no_coordinator();
		case 'no_gp':
			return m.warning_no_gp();
		case 'commitment_ending':
			return m.warning_commitment_ending({ name: w.name, role: roleLabel(w.role), date: formatDate(w.until) });
		case 'consent_expiring':
			return w.consentKind === 'plan' || !w.grantee
				? m.warning_plan_consent_expiring({ date: formatDate(w.until) })
				: m.warning_consent_expiring({ who: w.grantee, date: formatDate(w.until) });
		case 'revision_overdue':
			return m.warning_revision_overdue({ date: formatDate(w.revisionDate) });
		case 'draft_waiting':
			return m.warning_draft_waiting({ days: w.days });
		case 'contact_misses':
			return missRunText(w);
		case 'decision_arrived':
			return m.warning_decision_arrived({
				date: formatDate(w.decidedOn),
				what: w.what,
				outcome: outcomeLabel(w.outcome)
			});
	}
}
