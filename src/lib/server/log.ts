import pino from 'pino';

/**
 * Structured logs with no personal data: we log ids and outcomes, never names, emails, plan text or tokens.
 * The redact list is a second line of defence for fields that should never have been passed in.
 */
export const log = pino({
	level: process.env.LOG_LEVEL || 'info',
	base: { app: 'fellesplan' },
	redact: {
		paths: ['email', 'password', 'name', 'phone', 'token', 'cookie', '*.email', '*.password', '*.name', '*.phone', '*.token', '*.cookie', 'req.headers.cookie'],
		censor: '[redacted]'
	}
});

export type Logger = typeof log;
