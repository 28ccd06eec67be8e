import { describe, expect, test } from 'vitest';
import { CLOSE, REFUSAL } from '../../../src/lib/sync/close-codes';
import { connectionText, refusalText } from '../../../src/lib/components/plan/connection-messages';

describe('what the page says about the connection', () => {
	test('every refusal reason the server may send has its own words, and an unknown one gets the general text', () => {
		const texts = Object.values(REFUSAL).map((reason) => refusalText(reason));
		const general = refusalText(null);
		expect(new Set([...texts, general]).size).toBe(texts.length + 1);
		for (const text of [...texts, general]) {
			expect(text).toMatch(/^Endringen din ble ikke lagret fordi .+\. Planen er hentet på nytt fra serveren\.$/);
		}
	});

	test('a refusal of rights says who may make that change, naming the owning service', () => {
		const nav = { ownerName: 'NAV Testvik', ownedByMe: false };
		const detail = (entity: string, field: string) => ({ entity, field, id: 'm1' });
		expect(refusalText('not-allowed', detail('measure', 'answeredBy'), nav)).toBe(
			'Bare NAV Testvik kan akseptere dette tiltaket. Endringen din ble ikke lagret, og planen er hentet på nytt fra serveren.'
		);
		expect(refusalText('not-allowed', detail('measure', 'status'), nav)).toContain(
			'Bare NAV Testvik og koordinatoren kan endre statusen'
		);
		expect(refusalText('not-allowed', detail('goal', 'delete'))).toContain(
			'Bare koordinatoren kan slette dette målet.'
		);
		// The owner itself is told where answers are given, not that only it may give them.
		expect(
			refusalText('not-allowed', detail('measure', 'answeredBy'), { ownerName: 'NAV Testvik', ownedByMe: true })
		).not.toContain('Bare NAV');
		// Without the service's name, the words still say whose it is.
		expect(refusalText('not-allowed', detail('measure', 'personId'))).toContain(
			'Bare tjenesten som eier tiltaket kan velge'
		);
		// Every field of a measure or goal the server may name has words of its own, not the general ones.
		const general = refusalText('not-allowed');
		for (const field of [
			'status',
			'answeredBy',
			'answeredAt',
			'counterOf',
			'personId',
			'title',
			'description',
			'startDate',
			'dueDate',
			'startsAfter',
			'goalId',
			'serviceId',
			'order',
			'delete',
			'createdBy',
			'createdAt'
		]) {
			expect(refusalText('not-allowed', detail('measure', field), nav), field).not.toBe(general);
		}
		for (const field of [
			'delete',
			'status',
			'level',
			'title',
			'description',
			'lifeArea',
			'expressedBy',
			'createdBy',
			'createdAt',
			'evaluations'
		]) {
			expect(
				refusalText('not-allowed', detail(field === 'evaluations' ? 'evaluation' : 'goal', field)),
				field
			).not.toBe(general);
		}
	});

	test('a refused connection says why per close code; the presence-size refusal may use the general text', () => {
		const general = connectionText('refused', null);
		const specific = [CLOSE.unauthenticated, CLOSE.forbidden, CLOSE.badMessage, CLOSE.refused].map((code) =>
			connectionText('refused', code)
		);
		expect(new Set([...specific, general]).size).toBe(specific.length + 1);
		expect(connectionText('refused', CLOSE.tooLarge)).toBe(general);
	});

	test('busy and reconnecting are told apart from offline and from a refusal', () => {
		const states = ['online', 'syncing', 'connecting', 'reconnecting', 'offline', 'busy', 'delayed'] as const;
		const texts = states.map((s) => connectionText(s, null));
		expect(new Set([...texts, connectionText('refused', null)]).size).toBe(states.length + 1);
		expect(connectionText('busy', null)).toContain('prøver igjen om litt');
	});

	test('saving delayed says the person is connected, that saving waits, and that nothing is lost', () => {
		const text = connectionText('delayed', null);
		expect(text).toContain('lagringen er forsinket');
		expect(text).toContain('trygt på enheten');
	});
});
