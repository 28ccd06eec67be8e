import { m } from '$lib/paraglide/messages';
import type { ErrorText } from '$lib/server/admin/forms';

export const formErrorText: ErrorText = {
	required: (field) => m.form_required({ field }),
	tooLong: (field, max) => m.form_too_long({ field, max }),
	invalidChoice: (field) => m.form_invalid_choice({ field }),
	invalidEmail: () => m.form_invalid_email(),
	passwordShort: (min) => m.account_password_short({ min })
};
