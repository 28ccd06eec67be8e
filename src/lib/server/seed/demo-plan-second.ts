/**
 * The second fictional demo plan (bokmål): a woman in her late thirties with depression and heavy drinking,
 * out of work, living alone in a rented flat. It gives NAV's demo adviser measures in two plans (for "Mine
 * oppgaver"), and the coordinator's overview something to show: a measure with no person yet, for a service
 * that has no seat in the group. No real person's data.
 */
import type * as Y from 'yjs';
import { addGoal, addMeasure, listGoals, type NewMeasure } from '../../plan';

export interface SecondDemoRefs {
	services: Record<'nav' | 'substance_use' | 'mental_health' | 'home_care', string>;
	people: Record<'coordinator' | 'nav' | 'substance_use' | 'patient', string>;
}

/** Writes the plan's goals and measures in one transaction; false (and nothing written) if it has goals already. */
export function fillSecondDemoPlan(planDoc: Y.Doc, refs: SecondDemoRefs, origin?: unknown): boolean {
	if (listGoals(planDoc).length > 0) return false;
	const { services: s, people: p } = refs;
	planDoc.transact(() => {
		const measure = (goalId: string, m: Omit<NewMeasure, 'goalId'>) =>
			addMeasure(planDoc, { createdBy: p.coordinator, ...m, goalId }, origin);

		const income = addGoal(
			planDoc,
			{
				lifeArea: 'economy',
				title: 'Ha en inntekt jeg kan leve av',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient,
				description: ['Sykepengene er brukt opp. Jeg vil slippe å gruble på regningene hver måned.']
			},
			origin
		);
		measure(income, {
			title: 'Søknad om arbeidsavklaringspenger (AAP)',
			serviceId: s.nav,
			personId: p.nav,
			startDate: '2026-10-01',
			dueDate: '2026-11-15',
			status: 'in_progress',
			description: ['NAV trenger legeerklæring og en plan for aktivitet. Koordinator hjelper med skjemaet.']
		});
		measure(income, {
			title: 'Kartlegge gjeld og sette opp et budsjett',
			serviceId: s.nav,
			personId: p.nav,
			startDate: '2026-12-01',
			dueDate: '2027-01-15',
			status: 'requested'
		});

		const drinking = addGoal(
			planDoc,
			{
				lifeArea: 'substance_use',
				title: 'Drikke mindre, og ikke på hverdager',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient
			},
			origin
		);
		measure(drinking, {
			title: 'Samtaler om alkohol annenhver uke',
			serviceId: s.substance_use,
			personId: p.substance_use,
			startDate: '2026-11-02',
			dueDate: '2027-02-26',
			status: 'accepted',
			createdBy: p.substance_use
		});

		const home = addGoal(
			planDoc,
			{
				lifeArea: 'housing',
				title: 'Få orden i leiligheten og klare meg selv hjemme',
				expressedBy: 'patient',
				status: 'proposed',
				createdBy: p.coordinator
			},
			origin
		);
		measure(home, {
			title: 'Praktisk bistand i hjemmet én gang i uka',
			serviceId: s.home_care,
			personId: null,
			startDate: '2026-12-01',
			dueDate: '2027-03-31',
			status: 'requested',
			description: ['Hjemmetjenesten er ikke med i gruppen ennå. Koordinator tar kontakt.']
		});

		const mood = addGoal(
			planDoc,
			{
				lifeArea: 'mental_health',
				title: 'Sove bedre og bekymre meg mindre',
				expressedBy: 'patient',
				status: 'active',
				createdBy: p.patient
			},
			origin
		);
		measure(mood, {
			title: 'Samtaler om søvn og bekymringer hver uke',
			serviceId: s.mental_health,
			personId: p.coordinator,
			startDate: '2026-10-15',
			dueDate: '2027-01-31',
			status: 'in_progress'
		});
	}, origin);
	return true;
}
