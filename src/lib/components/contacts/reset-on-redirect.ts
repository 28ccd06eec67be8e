import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A saved form starts over empty, as it does without script (the server redirects to a fresh page): `enhance`
 * empties a form only on a plain success, not on a redirect, and a kept "Ikke møtt" invites saving it twice.
 */
export const resetOnRedirect: SubmitFunction =
	() =>
	async ({ result, update, formElement }) => {
		if (result.type === 'redirect') formElement.reset();
		await update();
	};
