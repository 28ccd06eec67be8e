/**
 * A seeded fuzzer for the sync server's WebSocket endpoint: random and malformed frames and structurally hostile
 * updates from members with write and with read access. Used by the integration test (does everything still
 * hold afterwards?) and by the bench (what does it cost the honest clients meanwhile?). The same seed sends the
 * same frames in the same order.
 */
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
	encodeAwarenessMessage,
	encodeAwarenessUpdate,
	encodeQueryAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdateMessage
} from '../../src/lib/server/collab/protocol';
import { addGoal, getGoal, LIMITS, ROOT } from '../../src/lib/plan';
import { mulberry32 } from './random';

export interface FuzzMember {
	cookie: string;
	/** Whether the server lets this member write the document (readers' writes must be dropped). */
	writes: boolean;
}

export interface FuzzOptions {
	/** `ws://host:port/collab` */
	wsBase: string;
	docName: string;
	members: FuzzMember[];
	seed: number;
	frames: number;
	/** Sockets open at once (each reconnects after the server closes it). */
	sockets?: number;
	/** Client ids of honest clients on the document, to try to take over their presence. */
	victimClientIds?: () => number[];
	/** Frames per second at most (default: as fast as the sockets take them). */
	perSecond?: number;
	/** Checked between frames: true ends the run early. */
	stop?: () => boolean;
}

export interface FuzzReport {
	seed: number;
	sent: number;
	/** Close codes the server answered with, and how often. */
	closes: Record<number, number>;
	connections: number;
	byKind: Record<string, number>;
}

type Frame = { kind: string; data: Uint8Array | string };

/** Frame kinds and their weights. */
const KINDS: Array<[string, number]> = [
	['random-bytes', 10],
	['text-frame', 2],
	['garbage-sync', 6],
	['truncated-update', 6],
	['deep-map', 4],
	['deep-xml', 4],
	['deep-value', 3],
	['delete-range', 5],
	['unknown-root', 4],
	['wrong-shape', 3],
	['oversized-value', 3],
	['missing-deps', 5],
	['forged-references', 4],
	['subdocument', 1],
	['huge-awareness', 3],
	['foreign-awareness', 4],
	['bad-awareness', 3],
	['step1-burst', 4],
	['bad-state-vector', 3],
	['valid-edit', 20],
	['query-awareness', 3]
];

class Rng {
	readonly next: () => number;
	constructor(seed: number) {
		this.next = mulberry32(seed);
	}
	int(n: number): number {
		return Math.floor(this.next() * n);
	}
	pick<T>(xs: readonly T[]): T {
		return xs[this.int(xs.length)];
	}
	bytes(n: number): Uint8Array {
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++) out[i] = this.int(256);
		return out;
	}
	kind(): string {
		const total = KINDS.reduce((n, [, w]) => n + w, 0);
		let r = this.next() * total;
		for (const [k, w] of KINDS) {
			r -= w;
			if (r < 0) return k;
		}
		return KINDS[0][0];
	}
}

function deleteSetOnly(client: number, clock: number, len: number): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, clock);
	encoding.writeVarUint(e, len);
	return encoding.toUint8Array(e);
}

/** One fuzzing member's socket with a shadow document, so its valid edits build on what it sent before. */
class FuzzSocket {
	ws: WebSocket;
	shadow = new Y.Doc();
	closed: Promise<number>;
	open: Promise<boolean>;

	constructor(
		readonly member: FuzzMember,
		url: string
	) {
		this.ws = new WebSocket(url, { headers: { cookie: member.cookie } });
		this.ws.on('error', () => {});
		this.ws.on('message', () => {});
		this.open = new Promise((resolve) => {
			this.ws.once('open', () => resolve(true));
			this.ws.once('close', () => resolve(false));
		});
		this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
	}

	get isOpen(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}
}

function frame(rng: Rng, kind: string, sock: FuzzSocket, victims: number[]): Frame[] {
	const shadow = sock.shadow;
	const update = (u: Uint8Array) => encodeUpdateMessage(u);
	switch (kind) {
		case 'random-bytes':
			return [{ kind, data: rng.bytes(rng.int(64)) }];
		case 'text-frame':
			return [{ kind, data: 'hello ' + rng.int(1e6) }];
		case 'garbage-sync': {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, rng.int(4));
			encoding.writeVarUint8Array(e, rng.bytes(rng.int(40)));
			return [{ kind, data: encoding.toUint8Array(e) }];
		}
		case 'truncated-update': {
			const d = new Y.Doc();
			addGoal(d, { lifeArea: 'housing', title: 'avkortet ' + rng.int(1000), expressedBy: 'staff' });
			const u = Y.encodeStateAsUpdate(d);
			return [{ kind, data: update(u.slice(0, 1 + rng.int(u.length - 1))) }];
		}
		case 'deep-map': {
			const d = new Y.Doc();
			const levels = LIMITS.depth + rng.int(3000);
			d.transact(() => {
				let m = new Y.Map<unknown>();
				d.getMap(ROOT.goals).set('deep' + rng.int(1e6), m);
				for (let i = 0; i < levels; i++) {
					const next = new Y.Map<unknown>();
					m.set('x', next);
					m = next;
				}
			});
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'deep-xml': {
			const d = new Y.Doc();
			const levels = LIMITS.depth + rng.int(3000);
			d.transact(() => {
				const id = 'deepxml' + rng.int(1e6);
				addGoal(d, { id, lifeArea: 'housing', title: 'dyp', expressedBy: 'staff' });
				let parent: Y.XmlFragment | Y.XmlElement = getGoal(d, id)!.description!;
				for (let i = 0; i < levels; i++) {
					const q = new Y.XmlElement('blockquote');
					parent.insert(0, [q]);
					parent = q;
				}
			});
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'deep-value': {
			const d = new Y.Doc();
			let v: unknown = 'leaf';
			for (let i = 0, n = LIMITS.depth + rng.int(500); i < n; i++) v = rng.int(2) ? [v] : { v };
			d.getMap(ROOT.goals).set('value' + rng.int(1e6), v);
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'delete-range': {
			// Deletes of whatever lies at random ranges of random (often real) clients.
			const clients = [...shadow.store.clients.keys(), ...victims, rng.int(2 ** 31)];
			return [{ kind, data: update(deleteSetOnly(rng.pick(clients), rng.int(50), 1 + rng.int(10_000))) }];
		}
		case 'unknown-root': {
			const d = new Y.Doc();
			d.getMap('evil' + rng.int(100)).set('x', new Y.Map());
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'wrong-shape': {
			const d = new Y.Doc();
			if (rng.int(2)) d.getText(ROOT.goals).insert(0, 'tekst i et kart');
			else d.getMap(ROOT.whatHelps).set('key', 'kart i et fragment');
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'oversized-value': {
			const d = new Y.Doc();
			d.getMap(ROOT.goals).set('big' + rng.int(1e6), 'x'.repeat(70_000 + rng.int(100_000)));
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'missing-deps': {
			const d = new Y.Doc();
			const first = Y.encodeStateVector(d);
			addGoal(d, { lifeArea: 'economy', title: 'først', expressedBy: 'staff' });
			const sv = Y.encodeStateVector(d);
			addGoal(d, { lifeArea: 'economy', title: 'deretter', expressedBy: 'staff' });
			void first;
			return [{ kind, data: update(Y.encodeStateAsUpdate(d, sv)) }];
		}
		case 'forged-references': {
			// A valid-looking insert whose neighbour is some other client's item (it may or may not exist).
			const d = new Y.Doc();
			const u = Y.encodeStateAsUpdate(
				(addGoal(d, { lifeArea: 'leisure', title: 'forfalsket', expressedBy: 'staff' }), d)
			);
			const bytes = u.slice();
			for (let i = 0; i < 3; i++) bytes[1 + rng.int(bytes.length - 1)] = rng.int(256);
			return [{ kind, data: update(bytes) }];
		}
		case 'subdocument': {
			const d = new Y.Doc();
			d.getMap(ROOT.goals).set('sub', new Y.Doc());
			return [{ kind, data: update(Y.encodeStateAsUpdate(d)) }];
		}
		case 'huge-awareness': {
			const n = 100 + rng.int(20_000);
			const entries = Array.from({ length: n }, (_, i) => ({
				clientID: 1_000_000 + i,
				clock: 1,
				state: { user: { name: 'Falsk' } }
			}));
			return [{ kind, data: encodeAwarenessMessage(encodeAwarenessUpdate(entries)) }];
		}
		case 'foreign-awareness': {
			const ids = victims.length > 0 ? victims : [rng.int(2 ** 31)];
			const entries = [
				{
					clientID: rng.pick(ids),
					clock: 1000 + rng.int(1000),
					state: rng.int(4) ? { cursor: rng.int(100), user: { name: 'Inntrenger' } } : null
				}
			];
			return [{ kind, data: encodeAwarenessMessage(encodeAwarenessUpdate(entries)) }];
		}
		case 'bad-awareness': {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, rng.int(1e6));
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, rng.pick(['{not json', '[1,2,3]', '"a string"', '42', '{"a":']));
			return [{ kind, data: encodeAwarenessMessage(encoding.toUint8Array(e)) }];
		}
		case 'step1-burst': {
			const sv = Y.encodeStateVector(new Y.Doc());
			return Array.from({ length: 20 }, () => ({ kind, data: encodeSyncStep1(sv) }));
		}
		case 'bad-state-vector':
			return [{ kind, data: encodeSyncStep1(rng.bytes(1 + rng.int(20))) }];
		case 'valid-edit': {
			const sv = Y.encodeStateVector(shadow);
			if (rng.int(2))
				addGoal(shadow, { lifeArea: 'social_family', title: 'fuzz ' + rng.int(1e6), expressedBy: 'staff' });
			else {
				shadow.transact(() => {
					if (!getGoal(shadow, 'fuzznotes'))
						addGoal(shadow, { id: 'fuzznotes', lifeArea: 'leisure', title: 'notater', expressedBy: 'staff' });
					const f = getGoal(shadow, 'fuzznotes')!.description!;
					let p = f.get(0);
					if (!(p instanceof Y.XmlElement)) {
						p = new Y.XmlElement('paragraph');
						f.insert(0, [p]);
						(p as Y.XmlElement).insert(0, [new Y.XmlText('')]);
					}
					((p as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'z');
				});
			}
			const diff = Y.encodeStateAsUpdate(shadow, sv);
			return [{ kind, data: rng.int(4) ? update(diff) : encodeSyncStep2(diff) }];
		}
		case 'query-awareness':
			return [{ kind, data: encodeQueryAwareness() }];
		default:
			throw new Error(`unknown fuzz kind ${kind}`);
	}
}

/** Sends `frames` frames over `sockets` sockets, reopening each as the server closes it. */
export async function fuzzEndpoint(opts: FuzzOptions): Promise<FuzzReport> {
	const rng = new Rng(opts.seed);
	const url = `${opts.wsBase}/${encodeURIComponent(opts.docName)}`;
	const report: FuzzReport = { seed: opts.seed, sent: 0, closes: {}, connections: 0, byKind: {} };
	const count = opts.sockets ?? 4;
	const open = (): FuzzSocket => {
		report.connections++;
		const s = new FuzzSocket(rng.pick(opts.members), url);
		s.closed.then((code) => (report.closes[code] = (report.closes[code] ?? 0) + 1));
		return s;
	};
	const sockets: FuzzSocket[] = Array.from({ length: count }, open);
	const t0 = performance.now();
	try {
		while (report.sent < opts.frames && !opts.stop?.()) {
			if (opts.perSecond) {
				const ahead = report.sent / opts.perSecond - (performance.now() - t0) / 1000;
				if (ahead > 0.002) await new Promise((r) => setTimeout(r, ahead * 1000));
			}
			const i = rng.int(count);
			let sock = sockets[i];
			if (!sock.isOpen) {
				if (!(await sock.open) || !sock.isOpen) {
					sockets[i] = sock = open();
					continue;
				}
			}
			const kind = rng.kind();
			for (const f of frame(rng, kind, sock, opts.victimClientIds?.() ?? [])) {
				if (!sock.isOpen) break;
				sock.ws.send(f.data);
				report.sent++;
				report.byKind[f.kind] = (report.byKind[f.kind] ?? 0) + 1;
			}
			// Let the server read what was sent (and close what it refuses) before the next burst.
			if (report.sent % 8 === 0) await new Promise((r) => setImmediate(r));
			if (sock.ws.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
		}
	} finally {
		for (const s of sockets) s.ws.terminate();
	}
	return report;
}
