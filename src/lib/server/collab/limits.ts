/**
 * Every limit a member's client (or anyone on the network) runs into, in one place. Each has a clear outcome:
 * a close code from `sync/close-codes.ts` or a refused update. The figures leave an honest client far below
 * them: a browser tab opens two documents, sends one sync step 1 per connection, owns one presence state,
 * and types a few updates per second.
 */
export interface CollabLimits {
	/** Sync step 1 requests per connection: each one makes the server encode what the client lacks. */
	syncStep1: RateLimit;
	/** All messages per connection. */
	messages: RateLimit;
	/** Presence (awareness) states one connection may own. */
	awarenessStatesPerConnection: number;
	/** Bytes of one presence message. */
	awarenessMessageBytes: number;
	/** Open sockets per person, across tabs and devices. */
	connectionsPerUser: number;
	/** Open sockets per client address (a whole office behind one proxy counts once: set ADDRESS_HEADER). */
	connectionsPerAddress: number;
	/** Upgrades per address that fail authentication (no or ended session); beyond it, refused before any lookup. */
	failedUpgradesPerAddress: RateLimit;
	/** Upgrades per person: each costs an access check and an audit row, and a refused client must not reconnect in a loop. */
	upgradesPerUser: RateLimit;
	/**
	 * How far the document may grow, in encoded bytes. Checked against the last exact size plus what was
	 * accepted since; re-measured at most once per `maxDocumentBytes / 64` of growth.
	 */
	maxDocumentBytes: number;
}

export interface RateLimit {
	/** How many at once. */
	burst: number;
	/** How many more per second, refilled continuously. */
	perSecond: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
	syncStep1: { burst: 10, perSecond: 1 },
	messages: { burst: 500, perSecond: 100 },
	awarenessStatesPerConnection: 4,
	awarenessMessageBytes: 16 * 1024,
	connectionsPerUser: 32,
	connectionsPerAddress: 256,
	failedUpgradesPerAddress: { burst: 30, perSecond: 0.5 },
	upgradesPerUser: { burst: 60, perSecond: 1 },
	maxDocumentBytes: 8 * 1024 * 1024
};

/** A token bucket: `take()` is false once the burst is spent faster than it refills. */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly limit: RateLimit,
		private readonly now: () => number = performance.now.bind(performance)
	) {
		this.tokens = limit.burst;
		this.last = this.now();
	}

	/** Tokens there are now (refilled for the time since the last look). */
	available(): number {
		const t = this.now();
		this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
		this.last = t;
		return this.tokens;
	}

	take(): boolean {
		if (this.available() < 1) return false;
		this.tokens -= 1;
		return true;
	}

	/** Full again: nothing to remember about this key. */
	get idle(): boolean {
		return this.available() >= this.limit.burst;
	}
}

/** Token buckets per key (an address), forgetting keys whose bucket has refilled. */
export class KeyedBuckets {
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(private readonly limit: RateLimit) {}

	/** False once `key` has spent its burst. */
	take(key: string): boolean {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			if (this.buckets.size > 10_000) this.sweep();
			bucket = new TokenBucket(this.limit);
			this.buckets.set(key, bucket);
		}
		return bucket.take();
	}

	/** True if `key` has nothing left right now (without spending). */
	exhausted(key: string): boolean {
		const bucket = this.buckets.get(key);
		return !!bucket && bucket.available() < 1;
	}

	sweep(): void {
		for (const [key, bucket] of this.buckets) if (bucket.idle) this.buckets.delete(key);
	}
}

/** Counts of open things per key (sockets per user, per address). */
export class Counter {
	private readonly counts = new Map<string, number>();

	get(key: string): number {
		return this.counts.get(key) ?? 0;
	}

	add(key: string): void {
		this.counts.set(key, this.get(key) + 1);
	}

	remove(key: string): void {
		const n = this.get(key) - 1;
		if (n > 0) this.counts.set(key, n);
		else this.counts.delete(key);
	}
}

/**
 * Who may open another socket: open sockets per person and per address, and upgrades per address that failed
 * authentication (beyond those, an address is refused before its cookie is looked up).
 */
export class Admission {
	private readonly perUser = new Counter();
	private readonly perAddress = new Counter();
	private readonly failures: KeyedBuckets;
	private readonly upgrades: KeyedBuckets;

	constructor(
		private readonly limits: Pick<
			CollabLimits,
			'connectionsPerUser' | 'connectionsPerAddress' | 'failedUpgradesPerAddress' | 'upgradesPerUser'
		>
	) {
		this.failures = new KeyedBuckets(limits.failedUpgradesPerAddress);
		this.upgrades = new KeyedBuckets(limits.upgradesPerUser);
	}

	/** Before any lookup: is this address flooding us, or holding too many sockets already? */
	addressRefused(address: string): boolean {
		return this.failures.exhausted(address) || this.perAddress.get(address) >= this.limits.connectionsPerAddress;
	}

	/** After authentication: too many sockets open, or too many opened lately? (Counts this attempt.) */
	userRefused(userId: string): boolean {
		return this.perUser.get(userId) >= this.limits.connectionsPerUser || !this.upgrades.take(userId);
	}

	/** An upgrade from this address failed authentication. */
	failed(address: string): void {
		this.failures.take(address);
	}

	opened(userId: string, address: string): void {
		this.perUser.add(userId);
		this.perAddress.add(address);
	}

	closed(userId: string, address: string): void {
		this.perUser.remove(userId);
		this.perAddress.remove(address);
	}
}
