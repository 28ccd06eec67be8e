/**
 * What the patient does in their own view, each one change through `applyAsMember`: add a goal (a goal of the
 * plan, marked as theirs), reword one of their goals, answer staff's proposed wording of it, say how a goal goes
 * (1–10), add and reword their own resources. Only the patient, or a guardian acting for them, changes anything here.
 */
import {
	acceptProposedTitle,
	addEvaluation,
	addGoal,
	addOwnResource,
	declineProposedTitle,
	getGoal,
	LIFE_AREAS,
	LIMITS,
	RATING,
	updateGoal,
	updateOwnResource,
	type LifeArea
} from '../../plan';
import { speaksForPatient } from '../../plan/rights';
import { actorOf, type PlanAccess } from '../access/plans';
import { osloToday } from '../oslo-day';
import { applyAsMember, MemberChangeError, type MemberChangeDeps } from './apply';

function requirePatient(userId: string, access: PlanAccess | null): void {
	if (!access || !speaksForPatient(actorOf(userId, access)))
		throw new MemberChangeError(403, 'forbidden', 'Only the patient (or a guardian) changes this view.');
}

/** One line, spaces tidied; empty or too long is bad input for `field`. */
function line(value: string, field: string, max: number): string {
	const clean = value.replace(/\s+/g, ' ').trim();
	if (!clean) throw new MemberChangeError(400, 'invalid', `${field} is empty.`, field);
	if (clean.length > max)
		throw new MemberChangeError(400, 'invalid', `${field} is longer than ${max} characters.`, field);
	return clean;
}

export interface NewPatientGoal {
	title: string;
	lifeArea: string;
}

/** A goal of the plan in the patient's words, proposed, marked as theirs. Returns its id. */
export async function addPatientGoal(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	input: NewPatientGoal
): Promise<string> {
	requirePatient(userId, access);
	const title = line(input.title, 'title', LIMITS.title);
	if (!(LIFE_AREAS as readonly string[]).includes(input.lifeArea))
		throw new MemberChangeError(400, 'invalid', 'Unknown life area.', 'lifeArea');
	let id = '';
	await applyAsMember(deps, userId, access, planId, 'plan', (doc) => {
		id = addGoal(doc, {
			title,
			lifeArea: input.lifeArea as LifeArea,
			expressedBy: 'patient',
			status: 'proposed',
			createdBy: userId
		});
	});
	return id;
}

/** New words for one of the patient's own goals (others' goals are not theirs to reword in this view). */
export async function rewordPatientGoal(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	goalId: string,
	title: string
): Promise<void> {
	requirePatient(userId, access);
	const clean = line(title, 'title', LIMITS.title);
	await applyAsMember(deps, userId, access, planId, 'plan', (doc) => {
		const goal = getGoal(doc, goalId);
		if (!goal) throw new MemberChangeError(404, 'not_found', 'No such goal.', 'goalId');
		if (goal.expressedBy !== 'patient') throw new MemberChangeError(403, 'not_allowed', 'Not the patient’s own goal.');
		updateGoal(doc, goalId, { title: clean });
	});
}

/** The patient takes staff's proposed wording of their goal (`accept`), or keeps their own (`keep`). */
export async function answerGoalProposal(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	goalId: string,
	answer: string
): Promise<void> {
	requirePatient(userId, access);
	if (answer !== 'accept' && answer !== 'keep')
		throw new MemberChangeError(400, 'invalid', 'The answer is accept or keep.', 'answer');
	await applyAsMember(deps, userId, access, planId, 'plan', (doc) => {
		const goal = getGoal(doc, goalId);
		if (!goal) throw new MemberChangeError(404, 'not_found', 'No such goal.', 'goalId');
		// Answered meanwhile (on another device, or by a withdrawal): nothing left to answer.
		if (!goal.proposal) throw new MemberChangeError(404, 'not_found', 'The proposal is no longer there.', 'answer');
		if (answer === 'accept') acceptProposedTitle(doc, goalId);
		else declineProposedTitle(doc, goalId);
	});
}

/** How the goal goes, 1–10, in the patient's own words: a dated evaluation signed by them. */
export async function ratePatientGoal(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	goalId: string,
	rating: string
): Promise<void> {
	requirePatient(userId, access);
	const n = Number(rating);
	if (!Number.isInteger(n) || n < RATING.min || n > RATING.max)
		throw new MemberChangeError(400, 'invalid', 'A rating is a whole number from 1 to 10.', 'rating');
	await applyAsMember(deps, userId, access, planId, 'plan', (doc) => {
		const goal = getGoal(doc, goalId);
		if (!goal) throw new MemberChangeError(404, 'not_found', 'No such goal.', 'goalId');
		addEvaluation(doc, goalId, { date: osloToday(), status: goal.status, rating: n, by: userId });
	});
}

export async function addPatientResource(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	text: string
): Promise<string> {
	requirePatient(userId, access);
	const clean = line(text, 'text', LIMITS.shortText);
	let id = '';
	await applyAsMember(deps, userId, access, planId, 'voice', (doc) => {
		id = addOwnResource(doc, { text: clean });
	});
	return id;
}

export async function rewordPatientResource(
	deps: MemberChangeDeps,
	userId: string,
	access: PlanAccess | null,
	planId: string,
	resourceId: string,
	text: string
): Promise<void> {
	requirePatient(userId, access);
	const clean = line(text, 'text', LIMITS.shortText);
	await applyAsMember(deps, userId, access, planId, 'voice', (doc) => updateOwnResource(doc, resourceId, clean));
}
