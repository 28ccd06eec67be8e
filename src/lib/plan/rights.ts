/**
 * Rights inside the plan: who may change which part of a goal or a measure. One table, as data, shared by the
 * server's gate (which refuses any update that changes what its sender may not) and the page (which offers only
 * what the server would take). Pure: no documents, no database.
 *
 * Every right here assumes the actor may write the document at all (a writing seat, consent, a plan that is not
 * closed): that is decided per document in `planAccess` before any of this is asked.
 */
import type { MemberRole, ServiceKind } from '../vocabulary';
import { MEASURE_STATUSES, type ExpressedBy, type GoalStatus, type MeasureStatus } from './schema';

/** Who is acting, as the server knows it. */
export interface Actor {
	userId: string;
	/** Every role the person holds in this plan now. */
	roles: ReadonlySet<MemberRole>;
	/** The services of the person's live seats in this plan. */
	serviceIds: ReadonlySet<string>;
}

/** The actor as load data carries it (sets do not travel through `devalue`-free JSON). */
export interface ActorData {
	userId: string;
	roles: MemberRole[];
	serviceIds: string[];
}

export function actorFromData(data: ActorData): Actor {
	return { userId: data.userId, roles: new Set(data.roles), serviceIds: new Set(data.serviceIds) };
}

export function actorToData(actor: Actor): ActorData {
	return { userId: actor.userId, roles: [...actor.roles], serviceIds: [...actor.serviceIds] };
}

export const isCoordinator = (actor: Actor): boolean => actor.roles.has('coordinator');
/** The patient, or a guardian acting for them. */
export const speaksForPatient = (actor: Actor): boolean => actor.roles.has('patient') || actor.roles.has('guardian');

/** Roles and kinds of service whose staff are clinical, for the crisis plan. */
export const CLINICAL_ROLES: readonly MemberRole[] = ['gp', 'specialist_coordinator'];
export const CLINICAL_SERVICE_KINDS: readonly ServiceKind[] = [
	'gp',
	'dps',
	'tsb',
	'act',
	'mental_health',
	'substance_use'
];

/** May this person write the crisis plan? The patient (or guardian), the coordinator and clinical staff. */
export function writesCrisisPlan(roles: ReadonlySet<MemberRole>, serviceKinds: ReadonlySet<ServiceKind>): boolean {
	if (roles.has('patient') || roles.has('guardian') || roles.has('coordinator')) return true;
	return CLINICAL_ROLES.some((r) => roles.has(r)) || CLINICAL_SERVICE_KINDS.some((k) => serviceKinds.has(k));
}

/** What the rights of a goal are decided by. */
export interface GoalFacts {
	expressedBy: ExpressedBy | string | null;
	createdBy: string | null;
	status: GoalStatus | string | null;
	/** Who proposed the wording waiting on the goal, if any. */
	proposedBy?: string | null;
}

/** What the rights of a measure are decided by. */
export interface MeasureFacts {
	serviceId: string | null;
	createdBy: string | null;
	status: MeasureStatus | string | null;
}

/**
 * The parties a right can be given to. Each is a question about the actor and the entity; a right is held by
 * whoever answers yes to one of its parties.
 */
const GOAL_PARTIES = {
	/** Any member who writes the plan. */
	writer: () => true,
	coordinator: (a: Actor) => isCoordinator(a),
	patient: (a: Actor) => speaksForPatient(a),
	/** Any writer, unless the patient expressed the goal: their words are theirs (or changed with them, in the meeting the coordinator runs). */
	writerUnlessPatientsGoal: (_a: Actor, g: GoalFacts) => g.expressedBy !== 'patient',
	/** Any writer, on a goal the patient expressed. */
	writerOnPatientsGoal: (_a: Actor, g: GoalFacts) => g.expressedBy === 'patient',
	authorWhileProposed: (a: Actor, g: GoalFacts) => g.createdBy === a.userId && g.status === 'proposed',
	/** Whoever proposed the wording waiting on the goal. */
	proposer: (a: Actor, g: GoalFacts) => !!g.proposedBy && g.proposedBy === a.userId
} satisfies Record<string, (a: Actor, g: GoalFacts) => boolean>;

const MEASURE_PARTIES = {
	writer: () => true,
	coordinator: (a: Actor) => isCoordinator(a),
	/** A member with a live seat in the service that owns the measure. */
	owningService: (a: Actor, m: MeasureFacts) => m.serviceId !== null && a.serviceIds.has(m.serviceId),
	writerWhileRequested: (_a: Actor, m: MeasureFacts) => m.status === 'requested',
	creatorWhileRequested: (a: Actor, m: MeasureFacts) => m.createdBy === a.userId && m.status === 'requested'
} satisfies Record<string, (a: Actor, m: MeasureFacts) => boolean>;

type GoalParty = keyof typeof GOAL_PARTIES;
type MeasureParty = keyof typeof MEASURE_PARTIES;

/** The table of issue 8 ("Rights inside the document"), row by row. */
export const GOAL_RIGHTS = {
	/** Description and life area: any writer; the patient's own goal only by the patient or the coordinator. */
	editText: ['writerUnlessPatientsGoal', 'patient', 'coordinator'],
	/**
	 * The title: any writer; the patient's own goal only by the patient (issue 10: staff cannot reword it, the
	 * coordinator included, they propose a wording). Also needed to say a goal is no longer the patient's.
	 */
	reword: ['writerUnlessPatientsGoal', 'patient'],
	/** Propose a wording for the patient's goal: any writer. */
	proposeTitle: ['writerOnPatientsGoal'],
	/** Accept (the title becomes the proposal) or decline a proposed wording: the patient (or guardian). */
	answerProposal: ['patient'],
	/** Take back a proposed wording (or undo proposing it): its proposer. */
	withdrawProposal: ['proposer'],
	/** Status and agreed goal level: the coordinator; the author while it is still proposed. */
	setStatus: ['coordinator', 'authorWhileProposed'],
	remove: ['coordinator', 'authorWhileProposed'],
	/** A dated evaluation: any writer. */
	evaluate: ['writer']
} as const satisfies Record<string, readonly GoalParty[]>;

export const MEASURE_RIGHTS = {
	/** Title, description, dates, "starts after": any writer while proposed; afterwards the owning service and the coordinator. */
	editText: ['writerWhileRequested', 'owningService', 'coordinator'],
	/** Accept, decline, counter-propose (server actions), set the named person: a member of the owning service. */
	answer: ['owningService'],
	/** In progress, waiting, done: the owning service; the coordinator. */
	progress: ['owningService', 'coordinator'],
	cancel: ['coordinator', 'creatorWhileRequested'],
	remove: ['coordinator', 'creatorWhileRequested'],
	/** To another goal or another service, or another place in the list. */
	move: ['coordinator', 'creatorWhileRequested'],
	/** Status notes (why it waits, the interim measure): any writer. */
	notes: ['writer']
} as const satisfies Record<string, readonly MeasureParty[]>;

/** Who may create: any writer proposes goals and measures. */
export const CREATE_RIGHTS = { goal: ['writer'], measure: ['writer'] } as const;

export type GoalRight = keyof typeof GOAL_RIGHTS;
export type MeasureRight = keyof typeof MEASURE_RIGHTS;

export function goalRights(actor: Actor, goal: GoalFacts): Record<GoalRight, boolean> {
	const holds = (right: GoalRight) => GOAL_RIGHTS[right].some((party) => GOAL_PARTIES[party](actor, goal));
	return {
		editText: holds('editText'),
		reword: holds('reword'),
		proposeTitle: holds('proposeTitle'),
		answerProposal: holds('answerProposal'),
		withdrawProposal: holds('withdrawProposal'),
		setStatus: holds('setStatus'),
		remove: holds('remove'),
		evaluate: holds('evaluate')
	};
}

export function measureRights(actor: Actor, measure: MeasureFacts): Record<MeasureRight, boolean> {
	const holds = (right: MeasureRight) => MEASURE_RIGHTS[right].some((party) => MEASURE_PARTIES[party](actor, measure));
	return {
		editText: holds('editText'),
		answer: holds('answer'),
		progress: holds('progress'),
		cancel: holds('cancel'),
		remove: holds('remove'),
		move: holds('move'),
		notes: holds('notes')
	};
}

export function canCreateGoal(_actor: Actor): boolean {
	return CREATE_RIGHTS.goal.includes('writer');
}

export function canCreateMeasure(_actor: Actor): boolean {
	return CREATE_RIGHTS.measure.includes('writer');
}

/**
 * The status changes a client may write, from each status, and the right each needs (FHIR Task: requested →
 * accepted | rejected → in_progress ↔ on_hold → completed | cancelled). Answers (`ANSWER_STATUSES`) are not here: the owning service
 * gives them through server actions, which record who and when.
 * Back to requested (after a decline, a counter-proposal or a cancellation) is the coordinator's decision.
 */
export const TRANSITIONS: Readonly<Record<MeasureStatus, Partial<Record<MeasureStatus, MeasureRight>>>> = {
	requested: { cancelled: 'cancel' },
	accepted: { in_progress: 'progress', on_hold: 'progress', completed: 'progress', cancelled: 'cancel' },
	rejected: { requested: 'cancel', cancelled: 'cancel' },
	counter_proposed: { requested: 'cancel', cancelled: 'cancel' },
	in_progress: { on_hold: 'progress', completed: 'progress', cancelled: 'cancel' },
	on_hold: { in_progress: 'progress', completed: 'progress', cancelled: 'cancel' },
	completed: { in_progress: 'progress' },
	cancelled: { requested: 'cancel' }
};

/**
 * The statuses the status control may offer this actor for this measure (not counting the current one), in
 * the model's order. Answers are never among them: they are the owning service's buttons (server actions).
 */
export function nextStatuses(actor: Actor, measure: MeasureFacts): MeasureStatus[] {
	const from = (MEASURE_STATUSES as readonly string[]).includes(measure.status ?? '')
		? (measure.status as MeasureStatus)
		: 'requested';
	const rights = measureRights(actor, { ...measure, status: from });
	const allowed = TRANSITIONS[from];
	return MEASURE_STATUSES.filter((to) => {
		const right = allowed[to];
		return right !== undefined && rights[right];
	});
}

/** An evaluation of a goal: changed or removed by whoever wrote it, or the coordinator. */
export function evaluationRights(actor: Actor, evaluation: { by: string | null }): { edit: boolean; remove: boolean } {
	const may = isCoordinator(actor) || (evaluation.by !== null && evaluation.by === actor.userId);
	return { edit: may, remove: may };
}

/**
 * Which right changing each field of an existing measure needs. `status` depends on the step (`TRANSITIONS`);
 * `person` is the owning service's, or (while nobody has answered yet) whoever may move the measure; `never`
 * fields are written only when the measure is created, or by the server's actions.
 */
export const MEASURE_FIELD_RIGHTS: Readonly<Record<string, MeasureRight | 'status' | 'person' | 'never'>> = {
	title: 'editText',
	description: 'editText',
	startDate: 'editText',
	dueDate: 'editText',
	startsAfter: 'editText',
	personId: 'person',
	goalId: 'move',
	serviceId: 'move',
	order: 'move',
	status: 'status',
	statusReason: 'notes',
	interimMeasure: 'notes',
	counterOf: 'never',
	answeredBy: 'never',
	answeredAt: 'never',
	createdAt: 'never',
	createdBy: 'never'
};

/**
 * Which right changing each field of an existing goal needs (`expressedBy`: see `canSetExpressedBy`; `proposal`:
 * see `canSetProposal`; `any`: any writer).
 */
export const GOAL_FIELD_RIGHTS: Readonly<Record<string, GoalRight | 'expressedBy' | 'proposal' | 'any' | 'never'>> = {
	title: 'reword',
	description: 'editText',
	lifeArea: 'editText',
	expressedBy: 'expressedBy',
	status: 'setStatus',
	level: 'setStatus',
	proposedTitle: 'proposal',
	proposedBy: 'proposal',
	order: 'any',
	/** Never replaced; a goal from before evaluations existed gets its (empty) map from the first writer who evaluates it (the gate). */
	evaluations: 'never',
	createdAt: 'never',
	createdBy: 'never'
};

/**
 * May the actor change who expressed the goal to `to`? Whoever may reword it as it is, and edit it as it would
 * be: so only the patient says a goal of theirs is no longer theirs (else staff could relabel it, then reword it).
 */
export function canSetExpressedBy(actor: Actor, goal: GoalFacts, to: string): boolean {
	return goalRights(actor, goal).reword && goalRights(actor, { ...goal, expressedBy: to }).editText;
}

/**
 * May the actor write this value into a goal's proposal (`proposedTitle`, or `proposedBy`)? Setting one is
 * proposing, signed by the proposer; clearing one (null) is answering it, the patient's, or withdrawing it, the proposer's.
 */
export function canSetProposal(
	actor: Actor,
	goal: GoalFacts,
	field: 'proposedTitle' | 'proposedBy',
	value: unknown
): boolean {
	const rights = goalRights(actor, goal);
	if (value === null) return rights.answerProposal || rights.withdrawProposal;
	if (field === 'proposedBy') return rights.proposeTitle && value === actor.userId;
	return rights.proposeTitle && typeof value === 'string';
}

/** May the actor set the measure's named person? */
export function canSetPerson(actor: Actor, measure: MeasureFacts): boolean {
	const rights = measureRights(actor, measure);
	return rights.answer || (measure.status === 'requested' && rights.move);
}

/** May the actor move the measure from its status to `to`? (Staying where it is always may.) */
export function canSetStatus(actor: Actor, measure: MeasureFacts, to: string): boolean {
	return to === measure.status || (nextStatuses(actor, measure) as string[]).includes(to);
}
