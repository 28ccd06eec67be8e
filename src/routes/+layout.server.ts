import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user ? { name: locals.user.name, isAdmin: locals.user.isAdmin, isStaff: locals.user.kind === 'staff' } : null
});
