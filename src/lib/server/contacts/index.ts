export { followUpAccess, FollowUpError, type FollowUpAccess, type ContactCtx } from './access';
export {
	recordContact,
	strikeContact,
	mayStrike,
	listContacts,
	contactCounts,
	validateContact,
	type ContactInput,
	type ContactEntryView
} from './log';
export { missedInARow, streakEntries } from './flag';
export {
	missRuns,
	flaggedRuns,
	MISS_KINDS,
	REACHED_KINDS,
	MISSES_FLAGGED_AT,
	NOTE_MAX,
	STRIKE_REASON_MAX,
	type MissRun
} from './rules';
export { osloWallTime, toOsloWallTime } from './oslo-time';
export { planMeasureTitles } from './plan-measures';
