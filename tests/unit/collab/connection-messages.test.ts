import { describe, expect, test } from 'vitest';
import { CLOSE, REFUSAL } from '../../../src/lib/sync/close-codes';
import { connectionText, refusalText } from '../../../src/lib/components/plan/connection-messages';

describe('what the page says about the connection', () => {
	test('every refusal reason the server may send has its own words, and an unknown one gets the general text', () => {
		const texts = Object.values(REFUSAL).map(refusalText);
		const general = refusalText(null);
		expect(new Set([...texts, general]).size).toBe(texts.length + 1);
		for (const text of [...texts, general]) {
			expect(text).toMatch(/^Endringen din ble ikke lagret fordi .+\. Planen er hentet på nytt fra serveren\.$/);
		}
	});

	test('a refused connection says why per close code; the presence-size refusal may use the general text', () => {
		const general = connectionText('refused', null);
		const specific = [CLOSE.unauthenticated, CLOSE.forbidden, CLOSE.badMessage, CLOSE.refused].map((code) => connectionText('refused', code));
		expect(new Set([...specific, general]).size).toBe(specific.length + 1);
		expect(connectionText('refused', CLOSE.tooLarge)).toBe(general);
	});

	test('busy and reconnecting are told apart from offline and from a refusal', () => {
		const states = ['online', 'syncing', 'connecting', 'reconnecting', 'offline', 'busy'] as const;
		const texts = states.map((s) => connectionText(s, null));
		expect(new Set([...texts, connectionText('refused', null)]).size).toBe(states.length + 1);
		expect(connectionText('busy', null)).toContain('prøver igjen om litt');
	});
});
