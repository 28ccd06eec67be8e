import { describe, expect, it } from 'vitest';
import { safeLocalPath } from '../../../src/lib/server/http/safe-local-path';

describe('safeLocalPath (the /language redirect target)', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(safeLocalPath('/')).toBe('/');
		expect(safeLocalPath('/plans/abc')).toBe('/plans/abc');
		expect(safeLocalPath('/admin/people?saved=1#top')).toBe('/admin/people?saved=1#top');
		expect(safeLocalPath('/plans/%C3%A6')).toBe('/plans/%C3%A6');
	});

	it.each([
		['/\\evil.example'],
		['/\\/evil.example'],
		['//evil.example'],
		['///evil.example'],
		['/%5Cevil.example'],
		['/%5cevil.example'],
		['/%2F%2Fevil.example'],
		['/%2Fevil.example'],
		['/\t/evil.example'],
		['/\n/evil.example'],
		['/%09/evil.example'],
		['/plans\r\nSet-Cookie: x=1'],
		['/\u0000'],
		['https://evil.example/'],
		['http:/evil.example'],
		['javascript:alert(1)'],
		['evil.example'],
		[' /plans'],
		['/%E0%A4%A'],
		[''],
		['/' + 'a'.repeat(3000)]
	])('sends %j back to the start page', (target) => {
		expect(safeLocalPath(target)).toBe('/');
	});

	it('falls back for anything that is not a string', () => {
		expect(safeLocalPath(null)).toBe('/');
		expect(safeLocalPath(undefined)).toBe('/');
		expect(safeLocalPath(new File([], '/plans'))).toBe('/');
		expect(safeLocalPath(null, '/login')).toBe('/login');
	});
});
