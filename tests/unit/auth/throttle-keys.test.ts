import { describe, expect, it } from 'vitest';
import { accountIpKey, accountKey, clientAddress, deviceKey, ipKey } from '../../../src/lib/server/auth/throttle-keys';

describe('throttle keys', () => {
	it('hash the typed email, case- and space-insensitively, without storing it', () => {
		expect(accountKey(' Nav@Demo.Fellesplan.no ')).toBe(accountKey('nav@demo.fellesplan.no'));
		expect(accountKey('nav@demo.fellesplan.no')).not.toContain('nav');
		expect(accountKey('a@b.no')).not.toBe(accountKey('c@b.no'));
		expect(ipKey('127.0.0.1')).toBe('ip:127.0.0.1');
	});

	it('name neither the e-mail nor the address in the account+address and browser keys', () => {
		const k = accountIpKey('Nav@Demo.Fellesplan.no', '10.0.0.1');
		expect(k).toBe(accountIpKey('nav@demo.fellesplan.no ', '10.0.0.1'));
		expect(k).not.toContain('nav');
		expect(k).not.toContain('10.0.0.1');
		expect(k).not.toBe(accountIpKey('nav@demo.fellesplan.no', '10.0.0.2'));
		expect(deviceKey('t', 'a@b.no')).not.toBe(deviceKey('t', 'c@b.no'));
		expect(deviceKey('t', 'a@b.no')).not.toBe(deviceKey('u', 'a@b.no'));
	});

	it('count IPv6 by its /64, so one host cannot hop between 2^64 addresses; IPv4 inside IPv6 is IPv4', () => {
		expect(clientAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(clientAddress('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
		expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(clientAddress('::1')).toBe('0:0:0:0::/64');
		expect(clientAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(clientAddress('::ffff:c000:207')).toBe('192.0.2.7');
		expect(clientAddress('2001:db8:1:3::1')).not.toBe(clientAddress('2001:db8:1:2::1'));
		expect(clientAddress(' 192.0.2.7 ')).toBe('192.0.2.7');
	});
});
