import { describe, expect, it } from 'vitest';
import { BadRequest, fields, readJsonObject } from '../../../src/lib/server/http/json-body';
import { apiWriteAllowed } from '../../../src/lib/server/http/api-origin';

const post = (body: string, type = 'application/json') =>
	new Request('http://app.test/api/x', { method: 'POST', headers: { 'content-type': type }, body });

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<BadRequest> {
	try {
		await (typeof p === 'function' ? p() : p);
	} catch (err) {
		if (err instanceof BadRequest) return err;
		throw err;
	}
	throw new Error('not refused');
}

describe('strict JSON bodies', () => {
	it('reads an object, and refuses other JSON, broken JSON, other types and oversized bodies', async () => {
		expect(await readJsonObject(post('{"a":1}'))).toEqual({ a: 1 });
		expect((await refusal(readJsonObject(post('[1,2]')))).message).toMatch(/object/);
		expect((await refusal(readJsonObject(post('{"a":')))).message).toMatch(/not valid JSON/);
		expect((await refusal(readJsonObject(post('a=1', 'application/x-www-form-urlencoded')))).status).toBe(415);
		expect((await refusal(readJsonObject(post(JSON.stringify({ a: 'x'.repeat(20_000) }))))).status).toBe(413);
	});

	it('names the field: unknown, missing, wrong type, too long, bad date, bad choice', async () => {
		const f = (o: Record<string, unknown>) => fields(o, ['name', 'birthDate', 'role', 'scopes', 'patient']);
		expect((await refusal(() => f({ nmae: 'x' }))).field).toBe('nmae');
		expect((await refusal(() => f({}).string('name', { max: 10 }))).message).toBe('"name" is required.');
		expect((await refusal(() => f({ name: 5 }).string('name', { max: 10 }))).message).toBe('"name" must be a string.');
		expect((await refusal(() => f({ name: 'x'.repeat(11) }).string('name', { max: 10 }))).field).toBe('name');
		expect((await refusal(() => f({ birthDate: '2026-02-30' }).date('birthDate'))).field).toBe('birthDate');
		expect((await refusal(() => f({ role: 'king' }).oneOf('role', ['patient', 'relative']))).field).toBe('role');
		expect((await refusal(() => f({ scopes: ['plan', 'all'] }).setOf('scopes', ['plan', 'crisis']))).field).toBe(
			'scopes'
		);
		expect(f({ scopes: ['plan', 'plan', 'crisis'] }).setOf('scopes', ['plan', 'crisis'])).toEqual(['plan', 'crisis']);
		const patient = f({ patient: { name: 'Ola', extra: 1 } }).object('patient')!;
		expect((await refusal(() => fields(patient, ['name'], 'patient'))).field).toBe('patient.extra');
	});

	it('lets a write to /api through only from the app’s own origin', () => {
		const url = new URL('http://app.test/api/plans');
		const req = (origin: string | null, method = 'POST') =>
			new Request(url, { method, headers: origin ? { origin } : {} });
		expect(apiWriteAllowed(req('http://app.test'), url)).toBe(true);
		expect(apiWriteAllowed(req('https://evil.example'), url)).toBe(false);
		expect(apiWriteAllowed(req(null), url)).toBe(false);
		expect(apiWriteAllowed(req(null, 'GET'), url)).toBe(true);
		expect(apiWriteAllowed(req('https://evil.example'), new URL('http://app.test/plans/x'))).toBe(true);
	});
});
