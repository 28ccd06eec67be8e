/**
 * Fictional demo content (bokmål): a man of about 30 with a psychosis diagnosis and mixed substance
 * use, on disability benefit, in staffed housing, with a small network. No real person's data; names and
 * numbers match the fictional demo municipality seeded in SQL (Fjordvik), except legevakt's national 116 117.
 */
import type * as Y from 'yjs';
import {
	addContact,
	addGoal,
	addMeasure,
	addOwnResource,
	addWarningSign,
	getWhatHelps,
	getWhatMatters,
	getWishes,
	isRichTextEmpty,
	fragmentToRichText,
	listGoals,
	listOwnResources,
	setOpenReturn,
	setRichTextFromParagraphs,
	type NewMeasure
} from '../../plan';

export interface DemoRefs {
	/** Organisation unit ids from SQL. */
	services: Record<'nav' | 'housing' | 'gp' | 'dps' | 'mental_health' | 'act', string>;
	/** User ids from SQL. Without `act`, the ACT team's measures have a service but no named person yet. */
	people: Record<'coordinator' | 'nav' | 'gp' | 'dps' | 'housing' | 'patient' | 'sister', string> & { act?: string };
}

/** The three live documents of a plan. (A test passes the plan document as `crisis` too, for the layout before they were split.) */
export interface DemoDocs {
	plan: Y.Doc;
	crisis: Y.Doc;
	voice: Y.Doc;
}

/**
 * Writes the demo plan into empty documents, each document in one transaction with `origin`.
 * Returns false and writes nothing if a document already has content (so a re-seed is harmless).
 */
export function fillDemoPlan(
	{ plan: planDoc, crisis: crisisDoc, voice: voiceDoc }: DemoDocs,
	refs: DemoRefs,
	origin?: unknown
): boolean {
	if (
		listGoals(planDoc).length > 0 ||
		listOwnResources(voiceDoc).length > 0 ||
		!isRichTextEmpty(fragmentToRichText(getWhatMatters(voiceDoc)))
	) {
		return false;
	}
	const { services: s, people: p } = refs;

	planDoc.transact(() => {
		const measure = (goalId: string, m: Omit<NewMeasure, 'goalId'>) =>
			addMeasure(planDoc, { createdBy: p.coordinator, ...m, goalId }, origin);

		const housing = addGoal(
			planDoc,
			{
				lifeArea: 'housing',
				title: 'Flytte til egen leilighet',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient,
				description: [
					'Ønsker egen leilighet med egen inngang, i nærheten av søsteren. Vil bo for seg selv, men med oppfølging de første månedene.',
					'Gruppen er enig om å øve på det praktiske i nåværende bolig mens søknaden behandles.'
				]
			},
			origin
		);
		measure(housing, {
			title: 'Behandle søknad om kommunal utleiebolig',
			serviceId: s.housing,
			personId: p.housing,
			startDate: '2026-10-05',
			dueDate: '2027-01-31',
			status: 'on_hold',
			statusReason: 'Søknaden er innvilget. Venter på ledig leilighet – står som nummer 4 på ventelisten.',
			interimMeasure: 'Botrening i nåværende bolig med hjemmetjenesten to ganger i uka.',
			description: [
				'Boligkontoret gir beskjed til koordinator så snart en leilighet er ledig, slik at visning kan avtales sammen.'
			]
		});
		measure(housing, {
			title: 'Botrening i nåværende bolig: handle, lage mat og vaske',
			serviceId: s.mental_health,
			personId: p.coordinator,
			startDate: '2026-10-01',
			dueDate: '2027-02-28',
			status: 'in_progress',
			description: [
				'To ganger i uka sammen med miljøterapeut i bofellesskapet. Fokus på innkjøp etter handleliste og enkel matlaging.'
			]
		});
		measure(housing, {
			title: 'Tett oppfølging de første månedene etter innflytting',
			serviceId: s.act,
			personId: p.act ?? null,
			startDate: '2027-01-15',
			dueDate: '2027-03-31',
			status: 'requested',
			description: ['ACT-teamet følger opp hjemme minst to ganger i uka i overgangen.']
		});

		const economy = addGoal(
			planDoc,
			{
				lifeArea: 'economy',
				title: 'Ha penger til mat hele måneden',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient,
				description: [
					'Vil styre økonomien selv med et fast budsjett og slippe purringer. Har uføretrygd og noen gamle inkassosaker.'
				]
			},
			origin
		);
		measure(economy, {
			title: 'Lage månedsbudsjett sammen og vurdere frivillig forvaltning av regninger',
			serviceId: s.nav,
			personId: p.nav,
			startDate: '2026-10-12',
			dueDate: '2026-11-30',
			status: 'accepted',
			description: ['Første møte på NAV-kontoret, koordinator blir med. Husleie og strøm trekkes fast fra trygden.']
		});
		measure(economy, {
			title: 'Gjeldsrådgivning: oversikt over inkassosaker og forslag til nedbetaling',
			serviceId: s.nav,
			personId: p.nav,
			startDate: '2026-11-02',
			dueDate: '2027-01-29',
			status: 'in_progress',
			statusReason: 'Venter på svar fra to inkassoselskaper.'
		});

		const activity = addGoal(
			planDoc,
			{
				lifeArea: 'work_activity',
				title: 'Ha noe meningsfullt å gjøre på dagtid',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient,
				description: ['Liker å fikse datamaskiner og sykler. Vil begynne forsiktig, noen timer om gangen.']
			},
			origin
		);
		measure(activity, {
			title: 'Prøve dagsenteret to formiddager i uka',
			serviceId: s.mental_health,
			personId: p.coordinator,
			startDate: '2026-10-19',
			dueDate: '2026-12-18',
			status: 'accepted',
			description: ['Koordinator følger de to første gangene, så han møter færrest mulig nye på en gang.']
		});
		measure(activity, {
			title: 'Søke om arbeidsforberedende trening (AFT) med IPS-veileder',
			serviceId: s.nav,
			personId: p.nav,
			startDate: '2027-01-04',
			dueDate: '2027-03-15',
			status: 'requested',
			description: ['Tas opp på neste ansvarsgruppemøte når erfaringene fra dagsenteret er klare.']
		});

		// The patient's own goals are goals of the plan, in his words; not every one has a measure yet.
		addGoal(
			planDoc,
			{
				lifeArea: 'work_activity',
				title: 'Komme meg ut av huset hver dag',
				expressedBy: 'patient',
				status: 'proposed',
				createdBy: p.patient
			},
			origin
		);

		const sister = addGoal(
			planDoc,
			{
				lifeArea: 'social_family',
				title: 'Besøke søsteren min hver søndag',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient,
				description: ['Søsteren ønsker også mer kontakt, men trenger å vite hvem hun kan ringe når hun blir bekymret.']
			},
			origin
		);
		measure(sister, {
			title: 'Felles samtale med søster og koordinator om samarbeid og samtykke',
			serviceId: s.mental_health,
			personId: p.coordinator,
			startDate: '2026-10-08',
			dueDate: '2026-10-22',
			status: 'completed',
			description: [
				'Gjennomført 20. oktober. Han samtykket til at søsteren får se kriseplanen og være med på ansvarsgruppemøtene.'
			]
		});
		measure(sister, {
			title: 'Pårørendegruppe på DPS for søsteren',
			serviceId: s.dps,
			personId: p.dps,
			startDate: '2026-11-01',
			dueDate: '2026-12-31',
			status: 'rejected',
			statusReason: 'Ingen ny pårørendegruppe før mars. DPS tilbyr i stedet en enkeltsamtale med søsteren i november.'
		});

		const health = addGoal(
			planDoc,
			{
				lifeArea: 'physical_health',
				title: 'Sove bedre og komme i bedre fysisk form',
				expressedBy: 'staff',
				status: 'active',
				createdBy: p.gp,
				description: ['Har gått opp 12 kilo siden oppstart med ny medisin. Sover dårlig og røyker mye.']
			},
			origin
		);
		measure(health, {
			title: 'Helsesjekk: blodprøver, vekt og blodtrykk',
			serviceId: s.gp,
			personId: p.gp,
			startDate: '2026-11-02',
			dueDate: '2026-11-30',
			status: 'accepted',
			createdBy: p.gp,
			description: ['Fastlegen sender svar til DPS før medisingjennomgangen.']
		});
		measure(health, {
			title: 'Gjennomgang av medisinene sammen med fastlegen',
			serviceId: s.dps,
			personId: p.dps,
			startDate: '2026-12-01',
			dueDate: '2027-01-15',
			status: 'requested',
			createdBy: p.gp
		});

		const stable = addGoal(
			planDoc,
			{
				lifeArea: 'mental_health',
				title: 'Holde meg stabil og slippe innleggelse',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient
			},
			origin
		);
		measure(stable, {
			title: 'Poliklinisk oppfølging og medisinsk behandling hver fjerde uke',
			serviceId: s.dps,
			personId: p.dps,
			startDate: '2026-10-01',
			dueDate: '2027-03-31',
			status: 'in_progress'
		});
		measure(stable, {
			title: 'Hjemmebesøk hver uke, oftere ved tegn på forverring',
			serviceId: s.act,
			personId: p.act ?? null,
			startDate: '2026-10-01',
			dueDate: '2027-03-31',
			status: 'in_progress',
			description: ['Følger kriseplanen. Teamet ringer søsteren hvis han ikke er å treffe to ganger på rad.']
		});

		const cannabis = addGoal(
			planDoc,
			{
				lifeArea: 'substance_use',
				title: 'Redusere cannabisbruken',
				expressedBy: 'patient',
				status: 'proposed',
				createdBy: p.coordinator,
				description: [
					'Enighet i gruppen om reduksjon som mål nå, ikke full rusfrihet. Han vil ikke røyke før dagsenteret.'
				]
			},
			origin
		);
		measure(cannabis, {
			title: 'Samtaler om rus og motivasjon',
			serviceId: s.act,
			personId: p.act ?? null,
			startDate: '2026-10-15',
			dueDate: '2027-02-15',
			status: 'accepted'
		});

		addGoal(
			planDoc,
			{
				lifeArea: 'leisure',
				title: 'Begynne å gå på tur igjen, gjerne sammen med noen',
				expressedBy: 'relative',
				status: 'proposed',
				createdBy: p.sister
			},
			origin
		);
	}, origin);

	crisisDoc.transact(() => {
		// Fictional signs, staged as a crisis plan stages them: the list order keeps each level's signs together.
		for (const [text, level] of [
			['Sover dårlig flere netter på rad', 'early'],
			['Lar være å åpne post og regninger', 'early'],
			['Trekker meg unna og svarer ikke på telefonen', 'worse'],
			['Røyker mer cannabis enn vanlig', 'worse'],
			['Slutter å ta medisiner', 'acute'],
			['Stemmene blir mer kritiske', 'acute']
		] as const) {
			addWarningSign(crisisDoc, { text, level }, origin);
		}
		setRichTextFromParagraphs(getWhatHelps(crisisDoc), [
			'Rolig prat med noen jeg kjenner, helst koordinatoren eller noen fra ACT-teamet.',
			'Å få sove. Fastlegen har skrevet ut sovemedisin for noen netter ved behov.',
			'Å gå en tur ute, gjerne sammen med noen.',
			'Å slippe å forklare alt på nytt til folk jeg ikke kjenner.'
		]);
		setRichTextFromParagraphs(getWishes(crisisDoc), [
			'Ring meg først. Hvis jeg ikke svarer, kom hjem til meg. Ikke send politiet hvis det går an å unngå.',
			'Si fra til søsteren min. Hun vet hva som hjelper.',
			'Hvis jeg må legges inn, vil jeg til DPS der jeg kjenner folk, ikke til akuttavdelingen.'
		]);
		// Names match the demo accounts in the README (Fjordvik kommune).
		addContact(
			crisisDoc,
			{ name: 'Ingrid Solberg', role: 'Koordinator, psykisk helseteam, hverdager 08–15.30', phone: '900 00 001' },
			origin
		);
		addContact(
			crisisDoc,
			{ name: 'ACT-teamet (Tone Vik)', role: 'Oppsøkende team, alle dager 08–20', phone: '700 20 200' },
			origin
		);
		addContact(crisisDoc, { name: 'Silje Berg', role: 'Søster', phone: '900 00 003' }, origin);
		addContact(
			crisisDoc,
			{ name: 'DPS Fjordvik, døgnenheten', role: 'Åpen retur, hele døgnet', phone: '700 20 100' },
			origin
		);
		addContact(crisisDoc, { name: 'Legevakt', role: 'Kvelder, netter og helger', phone: '116 117' }, origin);
		setOpenReturn(
			crisisDoc,
			{
				unit: 'DPS Fjordvik, døgnenheten',
				until: '2027-03-31',
				note: 'Kan ringe selv og få inntil tre døgns innleggelse uten henvisning. Ta med medisinlisten.'
			},
			origin
		);
	}, origin);

	voiceDoc.transact(() => {
		setRichTextFromParagraphs(getWhatMatters(voiceDoc), [
			'Jeg vil ha et vanlig liv. Egen leilighet, noe å gjøre på dagen, og slippe å forklare meg til nye folk hele tiden.',
			'Det er viktig for meg at dere snakker med meg og ikke bare om meg.',
			'Søsteren min betyr mye for meg. Jeg vil se henne og nevøen min oftere.',
			'Når jeg har det tungt, trenger jeg ro, og at noen jeg kjenner tar kontakt.'
		]);
		for (const text of [
			'Jeg er flink med datamaskiner og til å fikse ting',
			'Jeg liker å gå turer, særlig ved sjøen',
			'Søsteren min stiller opp for meg',
			'Jeg har klart meg gjennom mye før'
		]) {
			addOwnResource(voiceDoc, { text }, origin);
		}
	}, origin);
	return true;
}
