import * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import {
	consents,
	docSnapshots,
	docUpdates,
	meetingAgendaItems,
	meetingParticipants,
	meetings,
	planMembers,
	plans,
	serviceStaff,
	services,
	users
} from '../db/schema';
import {
	CONSENT_SCOPES,
	type ConsentScope,
	type MemberRole,
	type ServiceKind,
	type ServiceLevel,
	type UserKind
} from '../../vocabulary';
import type { Db } from '../db';
import { hashPassword } from '../auth/password';
import { newId } from '../id';
import { fillDemoPlan } from './demo-plan';
import { fillSecondDemoPlan } from './demo-plan-second';
import { crisisDocName, listAllMeasures, listGoals, planDocName, voiceDocName } from '../../plan';

/**
 * The demo municipality (Fjordvik, 45 000 inhabitants): every name, number and story here is fictional,
 * shaped after the figures in the source reports. Nothing here is a real person.
 */
export const DEMO_PASSWORD = 'fellesplan-demo';
const ORG = 'Fjordvik kommune';
const TRUST = 'Helse Fjord HF';

const SERVICES: Record<
	string,
	{
		name: string;
		kind: ServiceKind;
		level?: ServiceLevel;
		organisation: string;
		offers: string;
		phone: string;
		email: string;
	}
> = {
	mental_health: {
		name: 'Psykisk helseteam',
		kind: 'mental_health',
		organisation: ORG,
		offers: 'Oppfølging i hjemmet, samtaler, koordinator for individuell plan. 15 ansatte, om lag 415 brukere.',
		phone: '700 10 100',
		email: 'psykiskhelse@fjordvik.kommune.example'
	},
	nav: {
		name: 'NAV Fjordvik',
		kind: 'nav',
		organisation: ORG,
		offers: 'Økonomisk rådgivning, uføretrygd, arbeidsrettede tiltak, kvalifisering.',
		phone: '700 10 200',
		email: 'nav.fjordvik@nav.example'
	},
	housing: {
		name: 'Boligkontoret',
		kind: 'housing',
		organisation: ORG,
		offers: 'Kommunale boliger, bostøtte, startlån, oppfølging i bolig.',
		phone: '700 10 300',
		email: 'bolig@fjordvik.kommune.example'
	},
	substance_use: {
		name: 'Rustiltak',
		kind: 'substance_use',
		organisation: ORG,
		offers: 'Samtaler om rus, LAR-oppfølging, aktivitetstilbud.',
		phone: '700 10 400',
		email: 'rus@fjordvik.kommune.example'
	},
	gp: {
		name: 'Fjordvik legesenter',
		kind: 'gp',
		organisation: ORG,
		offers: 'Fastlege, somatisk helse, medisinering, henvisninger.',
		phone: '700 10 500',
		email: 'post@fjordviklegesenter.example'
	},
	dps: {
		name: 'DPS Fjordvik',
		kind: 'dps',
		level: 'specialist',
		organisation: TRUST,
		offers: 'Poliklinikk, døgnenhet med 16 senger, åpen retur etter avtale.',
		phone: '700 20 100',
		email: 'dps.fjordvik@helsefjord.example'
	},
	act: {
		name: 'ACT-team Fjordregionen',
		kind: 'act',
		level: 'specialist',
		organisation: TRUST,
		offers: 'Oppsøkende behandling i hjemmet, delt mellom fire kommuner.',
		phone: '700 20 200',
		email: 'act@helsefjord.example'
	},
	home_care: {
		name: 'Hjemmetjenesten',
		kind: 'home_care',
		organisation: ORG,
		offers: 'Praktisk bistand og helsehjelp i hjemmet.',
		phone: '700 10 600',
		email: 'hjemmetjenesten@fjordvik.kommune.example'
	}
};

interface DemoPerson {
	key: string;
	email: string;
	name: string;
	phone: string;
	kind: UserKind;
	isAdmin?: boolean;
	service?: { key: keyof typeof SERVICES; title: string };
	seat?: { role: MemberRole; access: 'read' | 'write' };
	/** What the patient's recorded consent lets this member see (members in whole-plan roles need none). */
	consent?: readonly ConsentScope[];
}

const PEOPLE: DemoPerson[] = [
	{
		key: 'coordinator',
		email: 'koordinator@demo.fellesplan.no',
		name: 'Ingrid Solberg',
		phone: '900 00 001',
		kind: 'staff',
		service: { key: 'mental_health', title: 'Psykiatrisk sykepleier, koordinator' },
		seat: { role: 'coordinator', access: 'write' }
	},
	{
		key: 'patient',
		email: 'pasient@demo.fellesplan.no',
		name: 'Jonas Berg',
		phone: '900 00 002',
		kind: 'patient',
		seat: { role: 'patient', access: 'write' }
	},
	// He agreed in October that his sister sees the crisis plan and joins the group's meetings (see the plan's measure).
	{
		key: 'sister',
		email: 'parorende@demo.fellesplan.no',
		name: 'Silje Berg',
		phone: '900 00 003',
		kind: 'relative',
		seat: { role: 'relative', access: 'read' },
		consent: ['crisis', 'meetings']
	},
	{
		key: 'nav',
		email: 'nav@demo.fellesplan.no',
		name: 'Ahmed Karimi',
		phone: '900 00 004',
		kind: 'staff',
		service: { key: 'nav', title: 'NAV-veileder' },
		seat: { role: 'service_provider', access: 'write' },
		consent: CONSENT_SCOPES
	},
	{
		key: 'gp',
		email: 'fastlege@demo.fellesplan.no',
		name: 'Lene Haugland',
		phone: '900 00 005',
		kind: 'staff',
		service: { key: 'gp', title: 'Fastlege' },
		seat: { role: 'gp', access: 'write' },
		consent: CONSENT_SCOPES
	},
	{
		key: 'dps',
		email: 'dps@demo.fellesplan.no',
		name: 'Erik Dahl',
		phone: '900 00 006',
		kind: 'staff',
		service: { key: 'dps', title: 'Psykologspesialist, koordinator i spesialisthelsetjenesten' },
		seat: { role: 'specialist_coordinator', access: 'write' },
		consent: CONSENT_SCOPES
	},
	{
		key: 'housing',
		email: 'bolig@demo.fellesplan.no',
		name: 'Mona Lie',
		phone: '900 00 007',
		kind: 'staff',
		service: { key: 'housing', title: 'Boligkonsulent' },
		seat: { role: 'service_provider', access: 'write' },
		consent: CONSENT_SCOPES
	},
	{
		key: 'act',
		email: 'act@demo.fellesplan.no',
		name: 'Tone Vik',
		phone: '900 00 008',
		kind: 'staff',
		service: { key: 'act', title: 'Sosionom, ACT-teamet' },
		seat: { role: 'service_provider', access: 'write' },
		consent: CONSENT_SCOPES
	},
	{
		key: 'outsider',
		email: 'utenfor@demo.fellesplan.no',
		name: 'Per Olsen',
		phone: '900 00 009',
		kind: 'staff',
		service: { key: 'home_care', title: 'Helsefagarbeider' }
	},
	{
		key: 'admin',
		email: 'admin@demo.fellesplan.no',
		name: 'Systemansvarlig Fjordvik',
		phone: '900 00 010',
		kind: 'staff',
		isAdmin: true
	},
	// The second plan's patient, and the substance-use service's counsellor who is in that group only.
	{ key: 'patient2', email: 'pasient2@demo.fellesplan.no', name: 'Amira Haddad', phone: '900 00 011', kind: 'patient' },
	{
		key: 'substance_use',
		email: 'rus@demo.fellesplan.no',
		name: 'Sara Nilsen',
		phone: '900 00 012',
		kind: 'staff',
		service: { key: 'substance_use', title: 'Ruskonsulent' }
	}
];

/** The second plan's group (Amira Haddad's): the same coordinator and NAV adviser as Jonas's, and the substance-use counsellor. */
const SECOND_PLAN_SEATS: Array<{
	key: string;
	role: MemberRole;
	service?: keyof typeof SERVICES;
	consent?: readonly ConsentScope[];
}> = [
	{ key: 'coordinator', role: 'coordinator', service: 'mental_health' },
	{ key: 'patient2', role: 'patient' },
	{ key: 'nav', role: 'service_provider', service: 'nav', consent: CONSENT_SCOPES },
	{ key: 'substance_use', role: 'service_provider', service: 'substance_use', consent: CONSENT_SCOPES }
];

export interface DemoSeed {
	planId: string;
	/** Amira Haddad's plan: NAV's adviser has measures here too. */
	secondPlanId: string;
	userIds: Record<string, string>;
	serviceIds: Record<string, string>;
	logins: string[];
}

/** Seeds the demo municipality into an empty database; returns null (and touches nothing) if any user exists. */
export async function seedDemoIfEmpty(db: Db): Promise<DemoSeed | null> {
	const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
	if (count > 0) return null;
	return seedDemo(db);
}

export async function seedDemo(db: Db): Promise<DemoSeed> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const serviceIds: Record<string, string> = {};
	const userIds: Record<string, string> = {};
	const planId = newId();
	const secondPlanId = newId();

	await db.transaction(async (tx) => {
		for (const [key, s] of Object.entries(SERVICES)) {
			serviceIds[key] = newId();
			await tx.insert(services).values({ id: serviceIds[key], ...s });
		}
		for (const p of PEOPLE) {
			userIds[p.key] = newId();
			await tx.insert(users).values({
				id: userIds[p.key],
				email: p.email,
				name: p.name,
				phone: p.phone,
				kind: p.kind,
				isAdmin: p.isAdmin ?? false,
				passwordHash
			});
			if (p.service)
				await tx
					.insert(serviceStaff)
					.values({ serviceId: serviceIds[p.service.key], userId: userIds[p.key], title: p.service.title });
		}
		await tx.insert(plans).values({
			id: planId,
			patientId: userIds.patient,
			title: 'Individuell plan for Jonas',
			status: 'active',
			periodStart: '2026-09-01',
			periodEnd: '2027-08-31',
			revisionDate: '2027-02-15',
			createdBy: userIds.coordinator
		});
		for (const p of PEOPLE) {
			if (!p.seat) continue;
			await tx.insert(planMembers).values({
				planId,
				userId: userIds[p.key],
				role: p.seat.role,
				access: p.seat.access,
				serviceId: p.service ? serviceIds[p.service.key] : null,
				// DPS commits to stay at least three months after discharge.
				committedUntil: p.key === 'dps' ? '2027-03-31' : null,
				joinedAt: new Date('2026-09-01T08:00:00Z'),
				addedBy: userIds.coordinator
			});
		}

		// Consent, as recorded at the first meeting (1 September): to the plan itself, and per member.
		const given = {
			planId,
			validFrom: new Date('2026-09-01T08:00:00Z'),
			givenBy: 'patient' as const,
			recordedBy: userIds.coordinator
		};
		await tx
			.insert(consents)
			.values({ ...given, kind: 'plan', scopes: [...CONSENT_SCOPES], note: 'Jonas ønsker individuell plan.' });
		for (const p of PEOPLE) {
			if (p.consent)
				await tx.insert(consents).values({
					...given,
					kind: 'access',
					granteeUserId: userIds[p.key],
					scopes: [...p.consent],
					...(p.key === 'sister' ? { validFrom: new Date('2026-10-20T10:00:00Z') } : {})
				});
		}

		// The live plan content starts as one stored update per document, attributed to the coordinator who wrote it.
		const planDoc = new Y.Doc();
		const crisisDoc = new Y.Doc();
		const voiceDoc = new Y.Doc();
		fillDemoPlan(
			{ plan: planDoc, crisis: crisisDoc, voice: voiceDoc },
			{
				services: {
					nav: serviceIds.nav,
					housing: serviceIds.housing,
					gp: serviceIds.gp,
					dps: serviceIds.dps,
					mental_health: serviceIds.mental_health,
					act: serviceIds.act
				},
				people: {
					coordinator: userIds.coordinator,
					nav: userIds.nav,
					gp: userIds.gp,
					dps: userIds.dps,
					housing: userIds.housing,
					patient: userIds.patient,
					sister: userIds.sister,
					act: userIds.act
				}
			}
		);
		const contents = [
			{ docName: planDocName(planId), update: Y.encodeStateAsUpdate(planDoc), userId: userIds.coordinator },
			{ docName: crisisDocName(planId), update: Y.encodeStateAsUpdate(crisisDoc), userId: userIds.coordinator },
			{ docName: voiceDocName(planId), update: Y.encodeStateAsUpdate(voiceDoc), userId: userIds.patient }
		];
		const stored = await tx
			.insert(docUpdates)
			.values(contents)
			.returning({ id: docUpdates.id, docName: docUpdates.docName });
		// A bulk write leaves a snapshot behind it, as every import does: no plan opens from a tail.
		await tx.insert(docSnapshots).values(
			contents.map((c) => ({
				docName: c.docName,
				state: c.update,
				throughId: stored.find((r) => r.docName === c.docName)!.id
			}))
		);

		await seedDemoMeeting(tx as unknown as Db, planId, planDoc, userIds);
		await seedSecondPlan(tx as unknown as Db, secondPlanId, userIds, serviceIds);
	});

	return { planId, secondPlanId, userIds, serviceIds, logins: PEOPLE.map((p) => p.email) };
}

/**
 * The group's meeting, planned for the start of the hour the demo is seeded in (so it can be opened on the wall screen
 * that day, from the plan page's link), with a
 * short agenda: Jonas's own points, the housing goal, and the measure that waits for a flat.
 */
async function seedDemoMeeting(tx: Db, planId: string, planDoc: Y.Doc, userIds: Record<string, string>): Promise<void> {
	const hour = 60 * 60 * 1000;
	const startsAt = new Date(Math.floor(Date.now() / hour) * hour);
	const goal = listGoals(planDoc).find((g) => g.title === 'Flytte til egen leilighet');
	const waiting = listAllMeasures(planDoc).find((x) => x.title === 'Behandle søknad om kommunal utleiebolig');
	const [meeting] = await tx
		.insert(meetings)
		.values({
			planId,
			startsAt,
			durationMinutes: 90,
			place: 'Møterom 2, Fjordvik helsehus',
			createdBy: userIds.coordinator
		})
		.returning({ id: meetings.id });
	const agenda = [
		{ kind: 'patient_point' as const, title: 'Jonas sine egne punkter', ref: null },
		{ kind: 'goal_evaluation' as const, title: 'Flytte til egen leilighet', ref: goal?.id ?? null },
		{ kind: 'waiting_measure' as const, title: 'Venter på leilighet', ref: waiting?.id ?? null },
		{ kind: 'other' as const, title: 'Neste møte', ref: null }
	];
	await tx.insert(meetingAgendaItems).values(
		agenda.map((a, i) => ({
			...a,
			meetingId: meeting.id,
			position: i + 1,
			generated: false,
			createdBy: userIds.coordinator
		}))
	);
	await tx.insert(meetingParticipants).values(
		['coordinator', 'patient', 'sister', 'nav', 'gp', 'dps', 'housing'].map((key) => ({
			meetingId: meeting.id,
			userId: userIds[key],
			invitedBy: userIds.coordinator
		}))
	);
}

/** Amira Haddad's plan: active since August, its revision date already passed (the coordinator's overview shows it). */
async function seedSecondPlan(
	tx: Db,
	planId: string,
	userIds: Record<string, string>,
	serviceIds: Record<string, string>
): Promise<void> {
	const since = new Date('2026-08-17T08:00:00Z');
	await tx.insert(plans).values({
		id: planId,
		patientId: userIds.patient2,
		title: 'Individuell plan for Amira',
		status: 'active',
		periodStart: '2026-08-17',
		periodEnd: '2027-08-16',
		revisionDate: '2026-11-16',
		createdBy: userIds.coordinator
	});
	for (const seat of SECOND_PLAN_SEATS) {
		await tx.insert(planMembers).values({
			planId,
			userId: userIds[seat.key],
			role: seat.role,
			access: 'write',
			serviceId: seat.service ? serviceIds[seat.service] : null,
			joinedAt: since,
			addedBy: userIds.coordinator
		});
	}
	const given = { planId, validFrom: since, givenBy: 'patient' as const, recordedBy: userIds.coordinator };
	await tx
		.insert(consents)
		.values({ ...given, kind: 'plan', scopes: [...CONSENT_SCOPES], note: 'Amira ønsker individuell plan.' });
	for (const seat of SECOND_PLAN_SEATS) {
		if (seat.consent)
			await tx
				.insert(consents)
				.values({ ...given, kind: 'access', granteeUserId: userIds[seat.key], scopes: [...seat.consent] });
	}
	const planDoc = new Y.Doc();
	fillSecondDemoPlan(planDoc, {
		services: {
			nav: serviceIds.nav,
			substance_use: serviceIds.substance_use,
			mental_health: serviceIds.mental_health,
			home_care: serviceIds.home_care
		},
		people: {
			coordinator: userIds.coordinator,
			nav: userIds.nav,
			substance_use: userIds.substance_use,
			patient: userIds.patient2
		}
	});
	const docName = planDocName(planId);
	const update = Y.encodeStateAsUpdate(planDoc);
	const [stored] = await tx
		.insert(docUpdates)
		.values({ docName, update, userId: userIds.coordinator })
		.returning({ id: docUpdates.id });
	// A bulk write leaves a snapshot behind it: the plan opens from one read, and the projection reads the same.
	await tx.insert(docSnapshots).values({ docName, state: update, throughId: stored.id });
}

export function printDemoLogins(logins: string[]): void {
	// Fictional demo accounts; printing them is the point of `npm start` on a fresh clone.
	console.log(`\nFellesplan demo data is ready. Log in with any of these (password: ${DEMO_PASSWORD}):`);
	for (const l of logins) console.log('  ' + l);
	console.log('');
}
