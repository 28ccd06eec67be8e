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

describe('the archive settings', () => {
	it('deliver to data/archive by default, keep closed plans 10 years, and need the Fiks settings only for Fiks', () => {
		expect(readConfig({})).toMatchObject({
			archiveAdapter: 'folder',
			archiveDir: path.resolve('./data/archive'),
			fiksArkiv: null,
			retentionYears: 10
		});
		expect(
			readConfig({
				ARCHIVE_ADAPTER: 'fiks',
				FIKS_ARKIV_URL: 'https://fiks.example/arkiv',
				FIKS_ARKIV_ACCOUNT: 'konto-1',
				FIKS_ARKIV_TOKEN: 't',
				ARCHIVE_RETENTION_YEARS: '12'
			})
		).toMatchObject({
			archiveAdapter: 'fiks',
			fiksArkiv: { url: 'https://fiks.example/arkiv', account: 'konto-1', token: 't', integrationId: undefined },
			retentionYears: 12
		});
		expect(() => readConfig({ ARCHIVE_ADAPTER: 'fiks', FIKS_ARKIV_ACCOUNT: 'k' })).toThrow(/FIKS_ARKIV_URL/);
		expect(() => readConfig({ ARCHIVE_ADAPTER: 'fiks', FIKS_ARKIV_URL: 'https://f' })).toThrow(/FIKS_ARKIV_ACCOUNT/);
		expect(() => readConfig({ ARCHIVE_ADAPTER: 'ftp' })).toThrow(/ARCHIVE_ADAPTER/);
		expect(() => readConfig({ ARCHIVE_RETENTION_YEARS: '0' })).toThrow(/ARCHIVE_RETENTION_YEARS/);
	});
});
