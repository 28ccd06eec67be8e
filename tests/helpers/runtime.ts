import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';

const RUNTIME = Symbol.for('fellesplan.runtime');

/**
 * Lets route code (`getRuntime()`) reach a test's collab server while a suite calls page loads and actions
 * directly; returns the function that puts back what was there before.
 */
export function installRuntime(collab: unknown): () => void {
	const holder = globalThis as { [RUNTIME]?: unknown };
	const previous = holder[RUNTIME];
	holder[RUNTIME] = Promise.resolve({ collab });
	return () => {
		holder[RUNTIME] = previous;
	};
}

/** A person as `locals.user` holds them after the session hook. */
export async function sessionUser(db: Db, userId: string) {
	const [user] = await db
		.select({ id: users.id, name: users.name, email: users.email, kind: users.kind, isAdmin: users.isAdmin })
		.from(users)
		.where(eq(users.id, userId));
	return user;
}
