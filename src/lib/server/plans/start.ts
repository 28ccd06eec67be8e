import { and, eq, isNull, sql } from 'drizzle-orm';
import { planMembers, plans, users } from '../db/schema';
import type { Db } from '../db';
import { newId } from '../id';
import { findSamePatient, normalisedName, type SamePatient } from './same-patient';

/** A patient registered with the plan. E-mail is optional: many have none, and a plan works without a login. */
export interface NewPatient {
	name: string;
	birthDate: string;
	phone: string | null;
	email: string | null;
	guardianActs: boolean;
}

/**
 * Whom the plan is for: a patient already registered, or a new one. A new one with the same name and date of
 * birth as someone registered is only written when the starter said it is someone else: `distinctFrom` lists the
 * people they were shown (the form) or is `'any'` (the API's `confirmDistinct`).
 */
export type PatientChoice =
	{ kind: 'existing'; id: string } | { kind: 'new'; person: NewPatient; distinctFrom: string[] | 'any' };

export interface StartPlanInput {
	patient: PatientChoice;
	title: string;
	periodStart: string | null;
	periodEnd: string | null;
	revisionDate: string | null;
	/** The municipal service the starter coordinates from (null: an administrator outside one). */
	serviceId: string | null;
}

export interface StartedPlan {
	planId: string;
	patientId: string;
	patientCreated: boolean;
	/** The patient already had a plan that is not closed. */
	hadOpenPlan: boolean;
}

/** A patient with the same name and date of birth exists, and the starter has not said whether this is them. */
export class SamePatientExists extends Error {
	constructor(readonly candidates: SamePatient[]) {
		super('a patient with the same name and date of birth exists');
		this.name = 'SamePatientExists';
	}
}

/** The chosen existing patient is not a patient account (or does not exist). */
export class UnknownPatient extends Error {
	constructor() {
		super('no such patient');
		this.name = 'UnknownPatient';
	}
}

/** The new patient's e-mail already belongs to an account. */
export class EmailInUse extends Error {
	constructor() {
		super('e-mail in use');
		this.name = 'EmailInUse';
	}
}

/** Namespace of the advisory lock that keeps two registrations of one person from passing the check together. */
const SAME_PATIENT_LOCK = 0x7073; // "ps"

/**
 * Registers the patient (or takes the registered one) and starts a draft plan in one transaction: the plan, the
 * starter's coordinator seat and the patient's seat are written together or not at all. The caller has checked
 * that the starter may start plans and that `serviceId` is one of their municipal services.
 */
export async function startPlan(
	db: Db,
	starterId: string,
	input: StartPlanInput,
	now = new Date()
): Promise<StartedPlan> {
	return db.transaction(async (txn) => {
		const tx = txn as unknown as Db;
		let patientId: string;
		let patientCreated = false;
		if (input.patient.kind === 'existing') {
			const [row] = await tx
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.id, input.patient.id), eq(users.kind, 'patient'), isNull(users.disabledAt)))
				.limit(1);
			if (!row) throw new UnknownPatient();
			patientId = row.id;
		} else {
			const person = input.patient.person;
			// Two starters registering the same person at once: the second waits, then sees the first.
			await tx.execute(
				sql`select pg_advisory_xact_lock(${SAME_PATIENT_LOCK}::int4, hashtext(${`${normalisedName(person.name)}|${person.birthDate}`}))`
			);
			const same = await findSamePatient(tx, person, starterId, now);
			const confirmed = input.patient.distinctFrom;
			if (same.length > 0 && confirmed !== 'any' && !same.every((s) => confirmed.includes(s.id)))
				throw new SamePatientExists(same);
			if (person.email) {
				const [clash] = await tx
					.select({ id: users.id })
					.from(users)
					.where(eq(sql`lower(${users.email})`, person.email.toLowerCase()))
					.limit(1);
				if (clash) throw new EmailInUse();
			}
			patientId = newId();
			patientCreated = true;
			// No password: the patient may get a login later through an invitation, or never need one.
			await tx.insert(users).values({
				id: patientId,
				name: person.name,
				birthDate: person.birthDate,
				phone: person.phone,
				email: person.email?.toLowerCase() ?? null,
				guardianActs: person.guardianActs,
				kind: 'patient',
				passwordHash: null
			});
		}
		const [open] = await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(plans)
			.where(and(eq(plans.patientId, patientId), sql`${plans.status} <> 'closed'`));
		const planId = newId();
		await tx.insert(plans).values({
			id: planId,
			patientId,
			title: input.title,
			status: 'draft',
			periodStart: input.periodStart,
			periodEnd: input.periodEnd,
			revisionDate: input.revisionDate,
			createdBy: starterId,
			createdAt: now
		});
		// The starter coordinates until the role is handed over; the patient is in their own plan from the start.
		await tx.insert(planMembers).values([
			{
				planId,
				userId: starterId,
				role: 'coordinator',
				access: 'write',
				serviceId: input.serviceId,
				joinedAt: now,
				addedBy: starterId
			},
			{
				planId,
				userId: patientId,
				role: 'patient',
				access: 'write',
				serviceId: null,
				joinedAt: now,
				addedBy: starterId
			}
		]);
		return { planId, patientId, patientCreated, hadOpenPlan: open.n > 0 };
	});
}
