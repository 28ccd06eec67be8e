import { m } from '$lib/paraglide/messages';

/** Field names as the person reads them, for error messages ("Navn må fylles ut"). */
export const serviceLabels = () => ({
	name: m.service_name(),
	kind: m.service_kind(),
	organisation: m.service_organisation(),
	offers: m.service_offers(),
	phone: m.service_phone(),
	email: m.service_email(),
	address: m.service_address()
});

export const personLabels = () => ({
	name: m.person_name(),
	email: m.person_email(),
	phone: m.person_phone(),
	kind: m.person_kind(),
	title: m.person_title(),
	password: m.person_initial_password()
});
