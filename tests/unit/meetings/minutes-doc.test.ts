/**
 * A meeting's minutes (`meeting:<id>`): the name parses as its own kind (never as a plan document), and the
 * update gate holds it to its one rich-text root.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../src/lib/server/collab/gate';
import { MEETING_ROOT, meetingDocName, parseDocName, parseLiveDocName } from '../../../src/lib/plan';
import type { Actor } from '../../../src/lib/plan/rights';
import { osloWallTime } from '../../../src/lib/server/meetings/input';

const writer: Actor = { userId: 'u1', roles: new Set(['service_provider']), serviceIds: new Set(['s1']) };

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	let update: Uint8Array = new Uint8Array();
	doc.on('update', (u: Uint8Array) => (update = u));
	change(doc);
	return update;
}

describe('meeting minutes document', () => {
	it('parses `meeting:<id>` as a meeting, not a plan document; rejects anything else', () => {
		expect(parseLiveDocName(meetingDocName('abc123'))).toEqual({ kind: 'meeting', id: 'abc123', planId: null });
		expect(parseDocName(meetingDocName('abc123'))).toBeNull();
		expect(parseLiveDocName('plan:abc123')).toEqual({ kind: 'plan', id: 'abc123', planId: 'abc123' });
		expect(parseLiveDocName('meeting:ABC')).toBeNull();
		expect(parseLiveDocName('meeting:')).toBeNull();
		expect(parseLiveDocName('meeting:a/b')).toBeNull();
	});

	it('takes rich text in `minutes` and refuses any other root or shape', () => {
		const server = new Y.Doc();
		const text = updateOf((doc) => {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText('NAV søker AAP.')]);
			doc.getXmlFragment(MEETING_ROOT.minutes).insert(0, [p]);
		});
		expect(checkUpdate(server, 'meeting', text, writer)).toEqual({ kind: 'accept' });
		const goals = updateOf((doc) => doc.getMap('goals').set('g1', new Y.Map()));
		expect(checkUpdate(server, 'meeting', goals, writer)).toMatchObject({ kind: 'refuse' });
		const asMap = updateOf((doc) => doc.getMap(MEETING_ROOT.minutes).set('x', 'y'));
		expect(checkUpdate(server, 'meeting', asMap, writer)).toMatchObject({ kind: 'refuse' });
	});

	it('reads a meeting time on Oslo’s clock, summer and winter', () => {
		expect(osloWallTime('2027-01-12', 10, 0).toISOString()).toBe('2027-01-12T09:00:00.000Z');
		expect(osloWallTime('2027-06-15', 10, 0).toISOString()).toBe('2027-06-15T08:00:00.000Z');
		// The day the clocks go back: 10:00 is already winter time.
		expect(osloWallTime('2026-10-25', 10, 0).toISOString()).toBe('2026-10-25T09:00:00.000Z');
		expect(osloWallTime('2027-03-28', 12, 30).toISOString()).toBe('2027-03-28T10:30:00.000Z');
	});
});
