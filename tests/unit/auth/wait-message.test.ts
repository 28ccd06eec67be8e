import { describe, expect, it } from 'vitest';
import { waitMessage } from '../../../src/lib/i18n/wait';

describe('the wait message', () => {
	it('says plainly how long to wait, in bokmål by default', () => {
		expect(waitMessage(8)).toBe('For mange mislykkede forsøk. Vent 8 sekunder og prøv igjen.');
		expect(waitMessage(1)).toContain('Vent 1 sekund og');
		expect(waitMessage(0.2)).toContain('Vent 1 sekund og');
		expect(waitMessage(119)).toContain('Vent 119 sekunder');
		expect(waitMessage(120)).toContain('Vent 2 minutter');
		expect(waitMessage(900)).toContain('Vent 15 minutter');
	});

	it('and in English', () => {
		expect(waitMessage(8, 'en')).toBe('Too many failed attempts. Wait 8 seconds and try again.');
		expect(waitMessage(1, 'en')).toContain('Wait 1 second and');
		expect(waitMessage(61 * 5, 'en')).toContain('Wait 6 minutes');
	});
});
