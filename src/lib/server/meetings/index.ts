export { MeetingError, isMeetingError, type MeetingErrorCode } from './errors';
export { seesMeetings, runsMeetings, writesMeetings, meetingOf, type Meeting } from './access';
export { readMeetingTime, readMeetingPlace, meetingFormTime, osloWallTime, type MeetingForm } from './input';
export {
	planMeeting,
	moveMeeting,
	cancelMeeting,
	listMeetings,
	defaultInvitees,
	type MeetingListing
} from './planning';
export { lastClosedMeeting, latestClosedMeetingId } from './held';
export {
	generateAgenda,
	agendaFromPlan,
	listAgenda,
	addAgendaItem,
	renameAgendaItem,
	removeAgendaItem,
	moveAgendaItem,
	addableKinds,
	type AgendaItem,
	type AgendaDeps
} from './agenda';
export { saveStatusNote, listStatusNotes, isInvited, type StatusNote } from './status-notes';
export {
	listParticipants,
	recordAttendance,
	absenceCounts,
	ABSENCE_WINDOW,
	type Participant,
	type AbsenceCount
} from './attendance';
export { decideMeasure, decidedMeasureIds } from './decisions';
export { closeMeeting, type Closed } from './close';
export { agreedSummary, adoptedVersionOf, type AgreedSummary, type AgreedMeasure } from './summary';
export { readMinutes } from './minutes';
