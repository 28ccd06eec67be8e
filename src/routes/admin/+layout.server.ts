import type { LayoutServerLoad } from './$types';
import { requireAdmin } from '$lib/server/auth/guards';

export const load: LayoutServerLoad = (event) => {
	requireAdmin(event);
};
