import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

/** "Wait 8 seconds and try again": whole seconds up to two minutes, then whole minutes, always rounded up. */
export function waitMessage(seconds: number, locale?: Locale): string {
	const options = locale ? { locale } : undefined;
	const s = Math.max(1, Math.ceil(seconds));
	if (s < 120) return m.login_wait_seconds({ count: s }, options);
	return m.login_wait_minutes({ count: Math.ceil(s / 60) }, options);
}
