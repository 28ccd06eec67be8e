import type { Db } from '../db';
import { smsOutbox } from '../db/schema';

export interface SmsMessage {
	to: string;
	text: string;
}

/** Where SMS go: a gateway. Small on purpose, so a provider's API is one adapter. */
export interface SmsGateway {
	send(message: SmsMessage): Promise<void>;
}

/** With no gateway configured: messages are kept in `sms_outbox`, and the administrator sees them on /admin/varsler. */
export function recordingSmsGateway(db: Db): SmsGateway {
	return {
		async send(message) {
			await db.insert(smsOutbox).values({ toPhone: message.to, body: message.text });
		}
	};
}

/** `SMS_GATEWAY_URL`: a JSON POST `{ to, text }`; anything but 2xx is a failure, retried with backoff. */
export function httpSmsGateway(url: string): SmsGateway {
	return {
		async send(message) {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(message),
				signal: AbortSignal.timeout(10_000)
			});
			if (!res.ok)
				throw Object.assign(new Error('sms gateway refused'), { code: 'ESMSGATEWAY', responseCode: res.status });
		}
	};
}
