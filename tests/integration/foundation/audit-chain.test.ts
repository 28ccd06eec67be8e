import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../../src/lib/server/audit';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify';
import { auditEvents } from '../../../src/lib/server/db/schema';
import { engines, useTestDatabase } from '../../helpers/services';

/** Tampering needs the append-only trigger out of the way, as someone with the database's owner rights would do. */
async function tamper(db: Parameters<typeof recordAudit>[0], statement: ReturnType<typeof sql>) {
	await db.execute(sql`alter table audit_events disable trigger audit_events_no_change`);
	try {
		await db.execute(statement);
	} finally {
		await db.execute(sql`alter table audit_events enable trigger audit_events_no_change`);
	}
}

/** The database's own message for a refused statement (drizzle wraps it in "Failed query: …"). */
async function refusal(statement: Promise<unknown>): Promise<string> {
	try {
		await statement;
	} catch (err) {
		const e = err as Error & { cause?: Error };
		return e.cause?.message ?? e.message;
	}
	return 'not refused';
}

describe.each(engines)('the access log is a hash chain (%s)', (engine) => {
	const testDb = useTestDatabase(engine);

	it('holds for concurrent appends, and the app cannot change or remove a row', async () => {
		const { db } = testDb();
		await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				recordAudit(db, {
					actorId: `u${i % 4}`,
					action: 'plan.read',
					planId: 'p1',
					detail: { parts: ['plan', 'crisis'], n: i, nested: { b: 1, a: [2, 3] } }
				})
			)
		);
		const report = await verifyAuditChain(db);
		expect(report).toEqual({ checked: 40, unsealed: 0, broken: null });
		expect(await refusal(db.execute(sql`update audit_events set action = 'plan.list'`))).toMatch(/append-only/);
		expect(await refusal(db.execute(sql`delete from audit_events`))).toMatch(/append-only/);
		expect(await refusal(db.execute(sql`truncate audit_events`))).toMatch(/append-only/);
		expect(await verifyAuditChain(db)).toEqual({ checked: 40, unsealed: 0, broken: null });
	});

	it('names the first changed row, and the first row after a removed one', async () => {
		const { db } = testDb();
		for (let i = 0; i < 5; i++)
			await recordAudit(db, { actorId: 'u1', action: 'doc.open', planId: 'p2', target: `plan:p2` });
		const rows = await db.select({ id: auditEvents.id }).from(auditEvents).orderBy(auditEvents.id);
		const third = rows[rows.length - 3].id;
		await tamper(db, sql`update audit_events set actor_id = 'someone-else' where id = ${third}`);
		expect((await verifyAuditChain(db)).broken).toEqual({ id: third, why: 'changed' });
		await tamper(db, sql`update audit_events set actor_id = 'u1' where id = ${third}`);
		expect((await verifyAuditChain(db)).broken).toBeNull();

		const second = rows[rows.length - 2].id;
		await tamper(db, sql`delete from audit_events where id = ${second}`);
		expect((await verifyAuditChain(db)).broken).toEqual({ id: rows[rows.length - 1].id, why: 'missing-before' });
	});
});
