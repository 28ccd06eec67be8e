import { asc, gt } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import type { Db } from '../db';
import { chainHash, sameBytes } from './chain';

export interface ChainReport {
	/** Rows checked (those written before the chain existed are counted separately). */
	checked: number;
	/** Rows from before this version, which carry no hash. */
	unsealed: number;
	/** The first row that does not fit the chain, and why; null when the whole chain holds. */
	broken: { id: number; why: 'changed' | 'missing-before' | 'unsealed-inside' } | null;
}

/**
 * Walks the audit log in id order and recomputes every hash. A changed row no longer matches its own hash; a
 * removed row leaves the next one pointing at a hash that is not the previous row's. Reads in pages, so a long
 * log does not have to fit in memory.
 */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainReport> {
	const report: ChainReport = { checked: 0, unsealed: 0, broken: null };
	let prev: Uint8Array | null = null;
	let started = false;
	let afterId = 0;
	for (;;) {
		const rows = await db
			.select()
			.from(auditEvents)
			.where(gt(auditEvents.id, afterId))
			.orderBy(asc(auditEvents.id))
			.limit(pageSize);
		if (rows.length === 0) return report;
		for (const r of rows) {
			afterId = r.id;
			if (!r.hash) {
				if (started) return { ...report, broken: { id: r.id, why: 'unsealed-inside' } };
				report.unsealed++;
				continue;
			}
			if (started && !sameBytes(r.prevHash, prev)) return { ...report, broken: { id: r.id, why: 'missing-before' } };
			const expected = chainHash(r.prevHash, r);
			if (!sameBytes(expected, r.hash)) return { ...report, broken: { id: r.id, why: 'changed' } };
			prev = r.hash;
			started = true;
			report.checked++;
		}
	}
}
