/**
 * Heap per loaded plan with its client: N plans (quick 200, full 500), each holding the demo plan (stored; the
 * relay's clients bring it), one client each. In the server's process after a full GC: baseline (a few warm-up
 * plans opened and closed first), then with every plan loaded and its client connected; the difference over N.
 * The clients live in another process, so nothing needs subtracting. For ours, which keeps a plan loaded after
 * its last client leaves (idle unload), the plan alone and the connection alone are also shown; Hocuspocus
 * unloads a plan with its last client, so only "with its client" compares like with like.
 * Target: ours ≤ Hocuspocus's.
 */
import { connectMany, sleep } from '../client';
import type { Bench, HostInfo } from '../context';
import type { HeapFigures, SeededDoc } from '../hosts/common';
import { SERVER_SHORT, type HostKind } from '../rpc';
import { fmtKiB, table } from '../stats';
import { atMost, type Section } from '../targets';

const WARM = 10;

interface HeapResult {
	plans: number;
	/** Heap per loaded plan with its client connected, bytes. */
	perPlanWithClient: number;
	/** Ours only: the plan alone after its client left, and what the connection added. */
	perPlan: number | null;
	perConnection: number | null;
	/** Ours only: N bare Y.Docs with the demo plan, per doc. */
	bareYDoc: number | null;
}

async function heapOf(bench: Bench, host: HostInfo, n: number): Promise<HeapResult> {
	const seeded = await host.handle.call<SeededDoc[]>('seed', {
		plans: n + WARM,
		perPlan: 1,
		content: 'demo',
		sharedUsers: true
	});
	await host.handle.call('reset', { flush: true, idleUnloadMs: 3_600_000 });
	const initialUpdate =
		host.kind === 'relay'
			? new Uint8Array(Buffer.from(await host.handle.call<string>('demoUpdate'), 'base64'))
			: undefined;
	const spec = (d: SeededDoc) => bench.spec(host, d.docName, d.cookies[0], { initialUpdate });
	// Warm-up (code paths, JIT, pools).
	bench.closeAll(bench.track(await connectMany(seeded.slice(0, WARM).map(spec))));
	await bench.waitConnections(host, 0);
	await host.handle.call('flush');
	await bench.waitQuiet();
	const base = await host.handle.call<HeapFigures>('heap');
	const clients = bench.track(await connectMany(seeded.slice(WARM).map(spec), { parallel: 20 }));
	// The relay applies the uploaded content when the client's step 2 arrives: give it a moment.
	await sleep(200);
	const withClients = await host.handle.call<HeapFigures>('heap');
	bench.closeAll(clients);
	await bench.waitConnections(host, 0);
	let perPlan: number | null = null;
	let perConnection: number | null = null;
	let bareYDoc: number | null = null;
	if (host.kind === 'ours') {
		await host.handle.call('flush');
		await sleep(100);
		const after = await host.handle.call<HeapFigures>('heap');
		perPlan = (after.heapUsed - base.heapUsed) / n;
		perConnection = (withClients.heapUsed - after.heapUsed) / n;
		bareYDoc = (await host.handle.call<{ perDoc: number }>('bareDocsHeap', { n })).perDoc;
	}
	await host.handle.call('reset', { flush: true });
	return { plans: n, perPlanWithClient: (withClients.heapUsed - base.heapUsed) / n, perPlan, perConnection, bareYDoc };
}

export async function heap(bench: Bench): Promise<Section> {
	const n = bench.quick ? 200 : 500;
	const kinds: HostKind[] = ['ours', 'hocuspocus', 'relay'];
	const results = new Map<HostKind, HeapResult>();
	for (const kind of kinds) {
		bench.progress(`heap: ${n} demo plans, ${kind}`);
		results.set(kind, await heapOf(bench, bench.server(kind), n));
	}
	const ours = results.get('ours')!;
	const hp = results.get('hocuspocus')!;
	const targets = [
		atMost(
			`heap per loaded plan with its client (${bench.engineName})`,
			ours.perPlanWithClient,
			hp.perPlanWithClient,
			'bytes',
			`≤ HP ${fmtKiB(hp.perPlanWithClient)}`
		)
	];
	const kb = (x: number | null) => (x === null ? '–' : fmtKiB(x));
	const title = `Heap per loaded plan (the demo plan, ${n} plans, one client each, after a full GC)`;
	const lines = [
		table(
			['server', 'plan with its client', 'plan alone', 'its connection', 'a bare Y.Doc of it'],
			kinds.map((k) => {
				const r = results.get(k)!;
				return [SERVER_SHORT[k], kb(r.perPlanWithClient), kb(r.perPlan), kb(r.perConnection), kb(r.bareYDoc)];
			})
		)
	];
	return { title, lines, targets, json: Object.fromEntries(results) };
}
