import { describe, expect, it } from 'vitest';
import { accountKey, ipKey } from '../../../src/lib/server/auth/throttle';

describe('throttle keys', () => {
	it('hash the typed email, case- and space-insensitively, without storing it', () => {
		expect(accountKey(' Nav@Demo.Fellesplan.no ')).toBe(accountKey('nav@demo.fellesplan.no'));
		expect(accountKey('nav@demo.fellesplan.no')).not.toContain('nav');
		expect(accountKey('a@b.no')).not.toBe(accountKey('c@b.no'));
		expect(ipKey('127.0.0.1')).toBe('ip:127.0.0.1');
	});
});
