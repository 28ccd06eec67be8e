import pino from 'pino';

/**
 * Structured logs with no personal data: we log ids and outcomes, never names, emails, plan text or tokens.
 * The redact list is a second line of defence for fields that should never have been passed in.
 */
export function createLogger(destination?: pino.DestinationStream) {
	return pino(
		{
			level: process.env.LOG_LEVEL || 'info',
			base: { app: 'fellesplan' },
			serializers: { err: safeError },
			redact: {
				paths: [
					'email',
					'password',
					'name',
					'phone',
					'token',
					'cookie',
					'*.email',
					'*.password',
					'*.name',
					'*.phone',
					'*.token',
					'*.cookie',
					'req.headers.cookie'
				],
				censor: '[redacted]'
			}
		},
		destination
	);
}

export const log = createLogger();

export type Logger = typeof log;

/**
 * Errors without their parameters: a driver error's message ends in `params: …`, which can quote plan text or
 * an email. We keep the type, the code, the first line (the SQL with placeholders) and the stack frames.
 */
function safeError(err: unknown): Record<string, unknown> {
	if (!(err instanceof Error)) return { type: typeof err };
	const e = err as Error & { code?: unknown; cause?: unknown };
	return {
		type: e.name,
		code: e.code,
		message: e.message
			.split('\n')[0]
			.replace(/params:.*$/, '')
			.slice(0, 300),
		frames: e.stack
			?.split('\n')
			.filter((line) => line.trimStart().startsWith('at '))
			.slice(0, 8)
			.join('\n'),
		cause: e.cause instanceof Error ? safeError(e.cause) : undefined
	};
}
