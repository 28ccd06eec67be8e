import type { DirectoryPerson } from '$lib/server/group/directory';

/** What the group page's actions send back (one shape, told apart by `action`; `seatId` says which card's form). */
export interface GroupForm {
	action: 'search' | 'choose' | 'add' | 'invite' | 'update' | 'handover' | 'end' | 'offer' | 'invitation';
	seatId?: string;
	values?: Record<string, string>;
	errors?: Record<string, string>;
	/** The name of the person a successful change was about. */
	done?: string;
	query?: string;
	tooShort?: boolean;
	results?: DirectoryPerson[];
	person?: DirectoryPerson;
	/** The invitation link, when it was not e-mailed. */
	link?: string | null;
	mailFailed?: boolean;
}
