import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { Presence } from '../../../src/lib/collab/presence.svelte';

function peer(name: string, id: string) {
	const doc = new Y.Doc();
	const a = new Awareness(doc);
	a.setLocalStateField('user', { id, name, color: '#1f5f8b' });
	return a;
}

describe('presence', () => {
	it('lists each person once, me first, others by name, across documents', () => {
		const me = peer('Ingrid Solberg', 'u1');
		const voiceMe = peer('Ingrid Solberg', 'u1');
		const jonas = peer('Jonas Berg', 'u2');
		const jonasPhone = peer('Jonas Berg', 'u2');
		const ahmed = peer('Ahmed Karimi', 'u3');
		for (const other of [jonas, jonasPhone, ahmed])
			applyAwarenessUpdate(me, encodeAwarenessUpdate(other, [other.clientID]), 'remote');
		applyAwarenessUpdate(voiceMe, encodeAwarenessUpdate(jonas, [jonas.clientID]), 'remote');

		const presence = new Presence([me, voiceMe]);
		expect(presence.people.map((p) => [p.name, p.self])).toEqual([
			['Ingrid Solberg', true],
			['Ahmed Karimi', false],
			['Jonas Berg', false]
		]);

		ahmed.setLocalState(null);
		applyAwarenessUpdate(me, encodeAwarenessUpdate(ahmed, [ahmed.clientID]), 'remote');
		expect(presence.people.map((p) => p.name)).toEqual(['Ingrid Solberg', 'Jonas Berg']);
		presence.destroy();
	});
});
