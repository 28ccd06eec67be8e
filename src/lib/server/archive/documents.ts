/**
 * The files of one delivery, written from its content: the plan (the adopted version, or marked as not adopted),
 * the minutes of the meeting that adopted it, and the consents in force then. The words are the app's own labels,
 * in the language the delivery is written in (bokmål: the municipality's archive language).
 */
import { createHash } from 'node:crypto';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import {
	expressedByLabel,
	formatDate,
	goalLevelLabel,
	goalStatusLabel,
	lifeAreaLabel,
	measureStatusLabel,
	planStatusLabel,
	roleLabel,
	warningLevelLabel
} from '$lib/i18n/labels';
import { formatDay, formatDateTime } from '$lib/i18n/instants';
import { giverLabel, granteeText, scopesText } from '$lib/i18n/consent';
import { attendanceLabel } from '$lib/components/meetings/meeting-words';
import { WARNING_LEVELS } from '../../plan/schema';
import { inLocale } from '../i18n/in-locale';
import type { ArchiveContent, ArchivedMeeting } from './content';
import { ArchivePdf } from './pdf';

/** One file of a delivery, as the arkivmelding describes it. */
export interface ArchiveFile {
	/** The file's name in the delivery (ASCII, no personal data). */
	name: string;
	title: string;
	/** The main document (hoveddokument) or an attachment (vedlegg). */
	role: 'main' | 'attachment';
	bytes: Buffer;
	sha256: string;
}

const SYSTEM = 'Fellesplan';

function file(name: string, title: string, role: ArchiveFile['role'], bytes: Buffer): ArchiveFile {
	return { name, title, role, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Every file of the delivery, the plan first. */
export async function renderArchiveFiles(content: ArchiveContent, locale: Locale = 'nb'): Promise<ArchiveFile[]> {
	return inLocale(locale, async () => {
		const files = [file('plan.pdf', m.archive_doc_plan(), 'main', await planPdf(content))];
		if (content.meeting)
			files.push(
				file(
					'referat.pdf',
					m.archive_doc_minutes({ date: formatDay(content.meeting.startsAt) }),
					'attachment',
					await minutesPdf(content, content.meeting)
				)
			);
		files.push(file('samtykker.pdf', m.archive_doc_consents_title(), 'attachment', await consentsPdf(content)));
		return files;
	});
}

function pdf(content: ArchiveContent, title: string): ArchivePdf {
	return new ArchivePdf({
		title,
		subject: content.plan.title,
		author: SYSTEM,
		keywords: [m.archive_doc_plan(), content.version ? m.archive_admin_adopted() : m.archive_admin_not_adopted()].join(
			', '
		),
		created: content.at,
		footer: `${SYSTEM} · ${title} · ${formatDay(content.at)}`
	});
}

/** "Vedtatt versjon, vedtatt …" or "IKKE VEDTATT …": the first thing a reader of any file sees. */
function standing(content: ArchiveContent): string {
	return content.version
		? m.archive_doc_adopted({ date: formatDateTime(content.version.adoptedAt), name: content.version.adoptedByName })
		: m.archive_doc_not_adopted({ date: formatDateTime(content.at) });
}

async function planPdf(content: ArchiveContent): Promise<Buffer> {
	const { plan, content: parts } = content;
	const doc = pdf(content, m.archive_doc_plan());
	doc.h1(plan.title).p(standing(content));
	doc.field(m.archive_doc_patient(), plan.patientName);
	doc.field(m.plan_status(), planStatusLabel(plan.status));
	if (plan.periodStart || plan.periodEnd)
		doc.field(
			m.plan_period(),
			m.plan_period_value({ start: formatDate(plan.periodStart), end: formatDate(plan.periodEnd) })
		);
	doc.field(m.plan_revision(), plan.revisionDate ? formatDate(plan.revisionDate) : null);
	doc.field(m.archive_doc_created(), formatDay(plan.createdAt));
	doc.field(m.archive_doc_closed(), plan.closedAt ? formatDay(plan.closedAt) : null);

	doc.h2(m.plan_group());
	doc.list(content.members.map((x) => [x.name, roleLabel(x.role), x.service].filter(Boolean).join(' – ')));

	if (parts.voice) {
		doc.h2(m.voice_heading());
		doc.h3(m.voice_what_matters()).richText(parts.voice.whatMatters, m.crisis_view_empty());
		doc.h3(m.voice_own_resources());
		if (parts.voice.ownResources.length) doc.list(parts.voice.ownResources.map((r) => r.text));
		else doc.note(m.crisis_view_empty());
	}

	doc.h2(m.goals_heading());
	for (const area of parts.lifeAreas ?? []) {
		for (const goal of area.goals) {
			doc.h3(`${lifeAreaLabel(area.lifeArea)}: ${goal.title}`);
			doc.note(
				[
					goalStatusLabel(goal.status),
					expressedByLabel(goal.expressedBy),
					goal.level ? goalLevelLabel(goal.level) : null
				]
					.filter(Boolean)
					.join(' · ')
			);
			doc.richText(goal.description);
			doc.list(
				goal.measures.map((x) =>
					[
						`${m.measure_title()}: ${x.title}`,
						x.serviceId ? (content.serviceNames.get(x.serviceId) ?? '') : m.measure_no_service(),
						x.personId ? (content.personNames.get(x.personId) ?? '') : null,
						measureStatusLabel(x.status),
						x.startDate ? `${m.measure_start()} ${formatDate(x.startDate)}` : null,
						x.dueDate ? `${m.measure_due()} ${formatDate(x.dueDate)}` : null,
						x.statusReason ? `${m.measure_reason_label()}: ${x.statusReason}` : null,
						x.interimMeasure ? `${m.measure_interim_label()}: ${x.interimMeasure}` : null
					]
						.filter(Boolean)
						.join(' · ')
				)
			);
		}
	}

	if (parts.crisisPlan) {
		const crisis = parts.crisisPlan;
		doc.h2(m.crisis_heading());
		doc.h3(m.crisis_warning_signs());
		const signs = WARNING_LEVELS.flatMap((level) =>
			crisis.warningSigns.filter((s) => s.level === level).map((s) => `${warningLevelLabel(level)}: ${s.text}`)
		);
		if (signs.length) doc.list(signs);
		else doc.note(m.crisis_view_empty());
		doc.h3(m.crisis_what_helps()).richText(crisis.whatHelps, m.crisis_view_empty());
		doc.h3(m.crisis_wishes()).richText(crisis.wishes, m.crisis_view_empty());
		doc.h3(m.crisis_contacts());
		if (crisis.contacts.length)
			doc.list(crisis.contacts.map((c) => [c.name, c.role, c.phone].filter(Boolean).join(' – ')));
		else doc.note(m.crisis_view_empty());
		doc.h3(m.crisis_open_return());
		if (crisis.openReturn) {
			doc.field(m.crisis_open_return_unit(), crisis.openReturn.unit);
			doc.field(m.crisis_open_return_until(), crisis.openReturn.until ? formatDate(crisis.openReturn.until) : null);
			doc.field(m.crisis_open_return_note(), crisis.openReturn.note);
		} else doc.note(m.crisis_open_return_none());
	}
	return doc.finish();
}

async function minutesPdf(content: ArchiveContent, meeting: ArchivedMeeting): Promise<Buffer> {
	const title = m.archive_doc_minutes({ date: formatDay(meeting.startsAt) });
	const doc = pdf(content, title);
	doc.h1(title).p(content.plan.title).p(standing(content));
	doc.field(m.archive_doc_when(), `${formatDateTime(meeting.startsAt)} (${meeting.durationMinutes} min)`);
	doc.field(m.meetings_field_place(), meeting.place);
	if (meeting.closedAt && meeting.closedByName)
		doc.note(m.archive_doc_minutes_closed({ date: formatDateTime(meeting.closedAt), name: meeting.closedByName }));
	doc.h2(m.meetings_participants());
	doc.list(
		meeting.participants.map(
			(p) => `${p.name}: ${p.attendance ? attendanceLabel(p.attendance) : m.meetings_attendance_unknown()}`
		)
	);
	doc.h2(m.meetings_agenda());
	if (meeting.agenda.length) doc.list(meeting.agenda);
	else doc.note(m.meetings_agenda_empty());
	doc.h2(m.meetings_minutes());
	doc.richText(meeting.minutes, m.archive_doc_minutes_empty());
	doc.h2(m.meetings_decisions());
	if (meeting.decided.length) doc.list(meeting.decided);
	else doc.note(m.meetings_decisions_none());
	return doc.finish();
}

async function consentsPdf(content: ArchiveContent): Promise<Buffer> {
	const title = m.archive_doc_consents({ date: formatDay(content.at) });
	const doc = pdf(content, m.archive_doc_consents_title());
	doc.h1(title).p(content.plan.title).p(standing(content));
	if (content.consents.length === 0) doc.p(m.archive_doc_consents_none());
	for (const c of content.consents) {
		doc.h2(granteeText(c.grantee));
		if (c.kind === 'access') doc.field(m.consent_covers(), scopesText(c.scopes));
		doc.field(
			m.consent_period(),
			c.untilDay
				? m.consent_from_until({ from: formatDate(c.fromDay), until: formatDate(c.untilDay) })
				: m.consent_from_open({ from: formatDate(c.fromDay) })
		);
		doc.field(m.consent_given_by(), giverLabel(c.givenBy));
		if (c.capacityReviewDate) doc.note(m.consent_review({ date: formatDate(c.capacityReviewDate) }));
		doc.field(
			m.consent_recorded_by(),
			m.consent_recorded_by_value({ name: c.recordedBy.name, date: formatDay(c.recordedAt) })
		);
		doc.field(m.consent_note(), c.note);
	}
	return doc.finish();
}
