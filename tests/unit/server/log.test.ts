import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/lib/server/log';

describe('logs hold no personal data', () => {
	it('drops the parameters a driver error quotes, and redacts personal fields', () => {
		const lines: string[] = [];
		const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
		const logger = createLogger(sink);
		const err = new Error('Failed query: insert into "users" ("email") values ($1)\nparams: kari.nordmann@example.no');
		logger.error({ err, email: 'kari.nordmann@example.no', user: { name: 'Kari Nordmann' } }, 'failed');
		const out = JSON.parse(lines.join(''));
		expect(out.err.message).toContain('Failed query: insert into');
		expect(out.err.type).toBe('Error');
		expect(JSON.stringify(out)).not.toContain('kari.nordmann');
		expect(JSON.stringify(out)).not.toContain('Kari Nordmann');
	});
});
