import { m } from '$lib/paraglide/messages';
import { roleLabel, scopeLabel } from './labels';
import { joinList } from './instants';
import { granteeText } from './consent';

/** A log entry as the sentence builder needs it (`server/audit/views.ts` makes them). */
export interface LogLine {
	action: string;
	actor: { id: string; name: string; role: string | null; serviceName: string | null } | null;
	parts: string[];
	subject: { type: 'user' | 'service'; id: string; name: string } | null;
	consentKind: 'plan' | 'access' | null;
	scopes: string[];
}

/** `Ahmed Karimi (NAV Fjordvik)`, `Silje Berg (Pårørende)`, or `Du` for the person reading. */
export function actorText(actor: LogLine['actor'], viewerId?: string): string {
	if (!actor) return m.log_system();
	if (actor.id === viewerId) return m.log_you();
	if (!actor.name) return m.log_someone();
	const context = actor.serviceName ?? (actor.role ? roleLabel(actor.role) : null);
	return context ? m.consent_who_with({ name: actor.name, context }) : actor.name;
}

const PART_ORDER = ['voice', 'plan', 'crisis', 'meetings'];
const partsText = (parts: string[]) =>
	joinList([...parts].sort((a, b) => PART_ORDER.indexOf(a) - PART_ORDER.indexOf(b)).map(scopeLabel));

function subjectText(line: LogLine): string {
	if (!line.subject) return m.log_someone();
	return line.subject.type === 'service'
		? granteeText({ type: 'service', name: line.subject.name })
		: line.subject.name;
}

/** What an entry was about, in words (the `what` of `GET /api/plans/<id>/access-log`). */
export function logWhat(line: LogLine): string {
	if (line.parts.length) return partsText(line.parts);
	if (line.consentKind === 'plan') return m.consent_plan_label();
	if (line.action === 'consent.recorded' && line.scopes.length)
		return `${subjectText(line)}: ${partsText(line.scopes)}`;
	if (line.subject) return subjectText(line);
	return '';
}

/** One entry of the log as a plain sentence: "Ahmed Karimi (NAV Fjordvik) åpnet planen". */
export function logSentence(line: LogLine, viewerId?: string): string {
	const who = actorText(line.actor, viewerId);
	const subject = () => subjectText(line);
	switch (line.action) {
		case 'plan.read':
		case 'doc.open':
			if (line.parts.includes('plan') || line.parts.length === 0) return m.log_opened_plan({ who });
			return m.log_saw({ who, parts: partsText(line.parts) });
		case 'doc.change':
			return m.log_changed({ who, parts: partsText(line.parts.length ? line.parts : ['plan']) });
		case 'plan.denied':
		case 'doc.denied':
			return m.log_denied({ who });
		case 'consent.recorded':
			return line.consentKind === 'plan'
				? m.log_consent_plan_given({ who })
				: m.log_consent_given({ who, subject: subject(), scopes: partsText(line.scopes) });
		case 'consent.withdrawn':
			return line.consentKind === 'plan'
				? m.log_consent_plan_withdrawn({ who })
				: m.log_consent_withdrawn({ who, subject: subject() });
		case 'member.added':
			return m.log_member_added({ who, subject: subject() });
		case 'member.updated':
			return m.log_member_updated({ who, subject: subject() });
		case 'member.ended':
			return m.log_member_ended({ who, subject: subject() });
		case 'member.handed_over':
			return m.log_member_handed_over({ who, subject: subject() });
		case 'member.invited':
			return m.log_member_invited({ who, subject: subject() });
		case 'role.offered':
			return m.log_role_offered({ who, subject: subject() });
		case 'role.answered':
			return m.log_role_answered({ who });
		case 'measure.added':
			return m.log_measure_added({ who });
		case 'measure.answered':
			return m.log_measure_answered({ who });
		case 'measure.status_changed':
			return m.log_measure_status({ who });
		case 'measure.followed':
			return m.log_measure_followed({ who });
		case 'measure.unfollowed':
			return m.log_measure_unfollowed({ who });
		case 'service.proposed':
			return m.log_service_proposed({ who, subject: subject() });
		case 'plan.started':
			return m.log_plan_started({ who });
		case 'plan.updated':
			return m.log_plan_updated({ who });
		case 'plan.status_changed':
			return m.log_plan_status({ who });
		case 'plan.exported':
			return m.log_plan_exported({ who });
		case 'meeting.opened':
			return m.log_meeting_opened({ who });
		case 'access_log.read':
			return m.log_read_log({ who });
		case 'consent.read':
			return m.log_read_consents({ who });
		case 'history.read':
			return m.log_read_history({ who });
		case 'history.restored':
			return m.log_restored({ who, parts: partsText(line.parts.length ? line.parts : ['plan']) });
		case 'contact.read':
			return m.log_contact_read({ who });
		case 'contact.recorded':
			return m.log_contact_recorded({ who });
		case 'contact.struck':
			return m.log_contact_struck({ who });
		case 'contact.flagged':
			return m.log_contact_flagged();
		case 'contact.flag_cleared':
			return m.log_contact_flag_cleared();
		case 'application.read':
			return m.log_application_read({ who });
		case 'application.recorded':
			return m.log_application_recorded({ who });
		case 'application.updated':
			return m.log_application_updated({ who });
		case 'meeting.read':
			return m.log_meeting_read({ who });
		case 'meeting.planned':
			return m.log_meeting_planned({ who });
		case 'meeting.moved':
			return m.log_meeting_moved({ who });
		case 'meeting.cancelled':
			return m.log_meeting_cancelled({ who });
		case 'meeting.status_note':
			return m.log_meeting_status_note({ who });
		case 'meeting.agenda_changed':
		case 'meeting.attendance':
			return m.log_meeting_changed({ who });
		case 'meeting.decided':
			return m.log_meeting_decided({ who });
		case 'meeting.closed':
			return m.log_meeting_closed({ who });
		case 'archive.requested':
			return m.log_archive_requested({ who });
		case 'archive.delivered':
			return m.log_archive_delivered();
		case 'plan.deleted':
			return m.log_plan_deleted();
		default:
			return m.log_other({ who, action: line.action });
	}
}
