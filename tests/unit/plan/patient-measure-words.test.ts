import { describe, expect, test } from 'vitest';
import { patientMeasureWords } from '../../../src/lib/components/plan/measure-words';
import { MEASURE_STATUSES, type MeasureStatus } from '../../../src/lib/plan';

const measure = (
	status: MeasureStatus,
	extra: { dueDate?: string | null; statusReason?: string; interimMeasure?: string } = {}
) => ({
	status,
	dueDate: null,
	statusReason: '',
	interimMeasure: '',
	...extra
});

describe('a measure told to the patient in plain words (issue 10)', () => {
	test('a yes names the service, the person who helps and by when', () => {
		expect(
			patientMeasureWords(measure('accepted', { dueDate: '2027-03-01' }), 'NAV Fjordvik', 'Ahmed Karimi').said
		).toBe('NAV Fjordvik har sagt ja. Ahmed Karimi hjelper deg med dette innen 1. mars 2027.');
	});

	test('a measure that waits says so, why, and what the patient gets meanwhile', () => {
		const words = patientMeasureWords(
			measure('on_hold', { statusReason: 'Venter på ledig leilighet.', interimMeasure: 'Botrening to ganger i uka.' }),
			'Boligkontoret',
			'Mona Lie'
		);
		expect(words).toEqual({
			said: 'Dette venter.',
			why: 'Hvorfor: Venter på ledig leilighet.',
			meanwhile: 'Mens du venter: Botrening to ganger i uka.'
		});
	});

	test('a no says who said no and why', () => {
		expect(patientMeasureWords(measure('rejected', { statusReason: 'Ikke vårt ansvar.' }), 'DPS', undefined)).toEqual({
			said: 'DPS har sagt nei.',
			why: 'Hvorfor: Ikke vårt ansvar.',
			meanwhile: ''
		});
	});

	test('every status has words of its own, none of them the staff terms', () => {
		const said = MEASURE_STATUSES.map((s) => patientMeasureWords(measure(s), 'NAV Fjordvik', 'Ahmed Karimi').said);
		expect(new Set(said).size).toBe(MEASURE_STATUSES.length);
		for (const text of said) expect(text).not.toMatch(/tiltak|begrunnelse|åpen retur|enhet|livsområde/i);
	});
});
