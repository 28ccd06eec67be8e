import { describe, expect, it } from 'vitest';
import { collapseVisits, VISIT_GAP_MS, type LogEvent } from '../../../src/lib/server/audit/views';
import { logSentence, logWhat } from '../../../src/lib/i18n/access-log';

const nav = { id: 'u-nav', name: 'Ahmed Karimi', role: 'service_provider' as const, serviceName: 'NAV Fjordvik' };
const sister = { id: 'u-sister', name: 'Silje Berg', role: 'relative' as const, serviceName: null };
let nextId = 1000;
const at = (minutes: number) => new Date(Date.UTC(2027, 2, 3, 13, 5) + minutes * 60_000);

function event(action: string, minutes: number, over: Partial<LogEvent> = {}): LogEvent {
	return {
		id: nextId--,
		at: at(minutes),
		action,
		planId: 'p1',
		target: null,
		actor: nav,
		parts: [],
		subject: null,
		consentKind: null,
		scopes: [],
		detail: null,
		...over
	};
}

describe('the access log in plain words', () => {
	it('tells a visit as one line: the page load and its live connections together, at the time it began', () => {
		// Newest first, as the log is read: three sockets opened just after the page was read.
		const events = [
			event('doc.open', 1, { parts: ['voice'], target: 'voice:p1' }),
			event('doc.open', 1, { parts: ['crisis'], target: 'crisis:p1' }),
			event('doc.open', 0, { parts: ['plan'], target: 'plan:p1' }),
			event('plan.read', 0, { parts: ['voice', 'plan', 'crisis'] })
		];
		const entries = collapseVisits(events);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({ action: 'plan.read', rows: 4, parts: ['voice', 'plan', 'crisis'] });
		expect(entries[0].at).toEqual(at(0));
		expect(logSentence(entries[0])).toBe('Ahmed Karimi (NAV Fjordvik) åpnet planen');
	});

	it('keeps visits apart when someone else comes between, the kind changes, or time passes', () => {
		const events = [
			event('plan.read', (2 * VISIT_GAP_MS) / 60_000 + 30, { parts: ['plan'] }),
			event('doc.change', 20, { parts: ['plan'], target: 'plan:p1' }),
			event('plan.read', 10, { actor: sister, parts: ['crisis'] }),
			event('plan.read', 0, { parts: ['plan'] })
		];
		expect(collapseVisits(events).map((e) => e.action)).toEqual(['plan.read', 'doc.change', 'plan.read', 'plan.read']);
	});

	it('says what a relative with consent for the crisis plan alone saw, and what was changed', () => {
		expect(logSentence(event('plan.read', 0, { actor: sister, parts: ['crisis'] }))).toBe(
			'Silje Berg (Pårørende) så kriseplanen'
		);
		expect(logSentence(event('doc.change', 0, { parts: ['plan'] }))).toBe(
			'Ahmed Karimi (NAV Fjordvik) gjorde endringer i mål og tiltak'
		);
		expect(logSentence(event('plan.denied', 0))).toBe(
			'Ahmed Karimi (NAV Fjordvik) prøvde å åpne planen, men fikk ikke tilgang'
		);
	});

	it('names the person a consent or a seat was about, and calls the reader "Du"', () => {
		const subject = { type: 'user' as const, id: 'u-nav', name: 'Ahmed Karimi' };
		const me = { id: 'u-patient', name: 'Jonas Berg', role: 'patient' as const, serviceName: null };
		const withdrawn = event('consent.withdrawn', 0, { actor: me, subject, consentKind: 'access' });
		expect(logSentence(withdrawn, 'u-patient')).toBe('Du trakk tilbake samtykket for Ahmed Karimi');
		expect(logSentence(withdrawn, 'someone-else')).toBe(
			'Jonas Berg (Pasient) trakk tilbake samtykket for Ahmed Karimi'
		);
		const granted = event('consent.recorded', 0, {
			actor: me,
			subject,
			consentKind: 'access',
			scopes: ['meetings', 'crisis']
		});
		expect(logSentence(granted, 'u-patient')).toBe('Du registrerte at Ahmed Karimi får se kriseplanen og møtene');
		expect(logWhat(granted)).toBe('Ahmed Karimi: kriseplanen og møtene');
		const service = event('consent.recorded', 0, {
			subject: { type: 'service', id: 's1', name: 'Boligkontoret' },
			consentKind: 'access',
			scopes: ['plan']
		});
		expect(logSentence(service)).toContain('Alle fra Boligkontoret får se mål og tiltak');
		expect(logSentence(event('member.added', 0, { subject }))).toBe(
			'Ahmed Karimi (NAV Fjordvik) la Ahmed Karimi til i ansvarsgruppen'
		);
		expect(logSentence(event('consent.recorded', 0, { consentKind: 'plan' }))).toBe(
			'Ahmed Karimi (NAV Fjordvik) registrerte samtykke til planen'
		);
		expect(logSentence(event('access_log.read', 0))).toBe('Ahmed Karimi (NAV Fjordvik) så hvem som har sett planen');
		expect(logSentence(event('something.new', 0, { actor: null }))).toBe('Systemet: something.new');
	});
});
