import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password-policy';
import { invalidateOtherSessions } from '$lib/server/auth/session';
import { recordAudit } from '$lib/server/audit';
import { users } from '$lib/server/db/schema';
import { getRuntime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	return { name: user.name, email: user.email, minLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		const db = event.locals.db;

		if (next.length < MIN_PASSWORD_LENGTH || next.length > 1024)
			return fail(400, { field: 'next', message: m.account_password_short({ min: MIN_PASSWORD_LENGTH }) });
		if (next !== confirm) return fail(400, { field: 'confirm', message: m.account_password_mismatch() });
		const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
		if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current)))
			return fail(400, { field: 'current', message: m.account_wrong_current() });

		await db
			.update(users)
			.set({ passwordHash: await hashPassword(next) })
			.where(eq(users.id, user.id));
		// A changed password means someone may have known the old one: every other device is logged out.
		const ended = await invalidateOtherSessions(db, user.id, event.locals.session?.id ?? null);
		const { collab } = await getRuntime();
		for (const id of ended) collab.endSession(id);
		await recordAudit(db, { actorId: user.id, action: 'auth.password_changed' });
		return { saved: true };
	}
};
