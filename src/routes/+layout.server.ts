import type { LayoutServerLoad } from './$types';
import { unreadCount } from '$lib/server/notify';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	// The header's notice count: re-run when the live socket says the person's notices changed.
	depends('app:notices');
	return {
		user: locals.user
			? { name: locals.user.name, isAdmin: locals.user.isAdmin, isStaff: locals.user.kind === 'staff' }
			: null,
		unreadNotices: locals.user ? await unreadCount(locals.db, locals.user.id) : 0
	};
};
