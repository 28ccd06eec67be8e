import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/lib/server/config';

describe('configuration', () => {
	it('defaults to the embedded database in ./data and the documented limits', () => {
		const c = readConfig({});
		expect(c.databaseUrl).toBeUndefined();
		expect(c.dataDir).toBe(path.resolve('./data'));
		expect(c.sessionIdleMinutes).toBe(60);
		expect(c.collabMaxMessageBytes).toBe(1024 * 1024);
		expect(c.seedDemo).toBe('auto');
	});

	it('reads every variable, and refuses a bad number with the variable named', () => {
		const c = readConfig({
			DATABASE_URL: 'postgres://x/y',
			DATA_DIR: '/tmp/fp',
			ORIGIN: 'https://fp.example',
			REDIS_URL: 'redis://r',
			SESSION_IDLE_MINUTES: '15',
			SEED_DEMO: 'never'
		});
		expect(c).toMatchObject({
			databaseUrl: 'postgres://x/y',
			dataDir: '/tmp/fp',
			origin: 'https://fp.example',
			redisUrl: 'redis://r',
			sessionIdleMinutes: 15,
			seedDemo: 'never'
		});
		expect(() => readConfig({ SESSION_IDLE_MINUTES: 'ten' })).toThrow(/SESSION_IDLE_MINUTES/);
		expect(() => readConfig({ COLLAB_MAX_MESSAGE_BYTES: '-1' })).toThrow(/COLLAB_MAX_MESSAGE_BYTES/);
	});
});
