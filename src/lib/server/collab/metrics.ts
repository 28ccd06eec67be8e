import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a running sync server reports about itself when scraped. */
export interface MetricsSource {
	stats(): { docs: number; connections: number };
	redisUp(): boolean | null;
}

/**
 * The sync server's Prometheus metrics, one set per process (held on `globalThis`: in development the app and
 * the upgrade handler may load this module twice). Counters are counted where things happen; the gauges ask the
 * running servers when scraped. Served by `GET /metrics` behind `METRICS_TOKEN`.
 */
function createMetrics() {
	const registry = new Registry();
	const sources = new Set<MetricsSource>();
	collectDefaultMetrics({ register: registry, prefix: 'fellesplan_' });
	const sum = (pick: (s: MetricsSource) => number) => [...sources].reduce((n, s) => n + pick(s), 0);
	return {
		registry,
		sources,
		connections: new Gauge({
			name: 'fellesplan_collab_connections',
			help: 'Open live-plan WebSocket connections on this node',
			registers: [registry],
			collect() {
				this.set(sum((s) => s.stats().connections));
			}
		}),
		documents: new Gauge({
			name: 'fellesplan_collab_documents_loaded',
			help: 'Documents loaded in memory on this node',
			registers: [registry],
			collect() {
				this.set(sum((s) => s.stats().docs));
			}
		}),
		redisUp: new Gauge({
			name: 'fellesplan_collab_redis_up',
			help: '1 while the Redis fan-out is connected, 0 while it is down or not configured (/healthz tells which)',
			registers: [registry],
			collect() {
				const states = [...sources].map((s) => s.redisUp()).filter((u): u is boolean => u !== null);
				this.set(states.length > 0 && states.every(Boolean) ? 1 : 0);
			}
		}),
		updatesAccepted: new Counter({
			name: 'fellesplan_collab_updates_accepted_total',
			help: 'Client updates that passed the gate and were applied (rate() gives updates per second)',
			registers: [registry]
		}),
		updatesStored: new Counter({
			name: 'fellesplan_collab_updates_stored_total',
			help: 'Updates stored in doc_updates by this node',
			registers: [registry]
		}),
		updatesRefused: new Counter({
			name: 'fellesplan_collab_updates_refused_total',
			help: 'Client updates refused, by reason',
			labelNames: ['reason'] as const,
			registers: [registry]
		}),
		storeFailures: new Counter({
			name: 'fellesplan_collab_store_failures_total',
			help: 'Batches the database did not take (they are retried)',
			registers: [registry]
		}),
		storeSeconds: new Histogram({
			name: 'fellesplan_collab_store_seconds',
			help: 'Time to store one batch of updates',
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers: [registry]
		})
	};
}

export type CollabMetrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for('fellesplan.collab.metrics');
type Holder = { [KEY]?: CollabMetrics };

export const collabMetrics: CollabMetrics = ((globalThis as Holder)[KEY] ??= createMetrics());
