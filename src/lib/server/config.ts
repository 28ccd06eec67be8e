import path from 'node:path';

/**
 * Every setting the server reads, in one place. Plain `process.env` (not `$env`) so the collab server,
 * the CLI scripts and the tests load it too. The README lists the same variables.
 */
export interface Config {
	databaseUrl: string | undefined;
	dataDir: string;
	origin: string | undefined;
	redisUrl: string | undefined;
	sessionIdleMinutes: number;
	seedDemo: 'auto' | 'never';
	collabMaxMessageBytes: number;
	collabIdleUnloadSeconds: number;
	/** Largest encoded size a live document may grow to. */
	collabMaxDocumentBytes: number;
	/** adapter-node's proxy settings, also read by the sync server to know a client's address. */
	addressHeader: string | undefined;
	xffDepth: number;
	/** `smtp://user:pass@host:587` (or `smtps://…`): invitations go out by e-mail. Unset: the coordinator hands the link over. */
	smtpUrl: string | undefined;
	/** The sender of those e-mails. */
	mailFrom: string;
	/** An SMS gateway taking `POST { to, text }`. Unset: SMS are recorded for the administrator (/admin/varsler). */
	smsGatewayUrl: string | undefined;
	/** Where deliveries to the municipality's archive go: a folder (default) or KS Fiks Arkiv over HTTP. */
	archiveAdapter: 'folder' | 'fiks';
	/** The folder adapter's folder: one folder per delivery, with the PDF/A files and `arkivmelding.xml`. */
	archiveDir: string;
	/** The HTTP adapter for KS Fiks Arkiv; set (and complete) when `archiveAdapter` is `fiks`. */
	fiksArkiv: FiksArkivSettings | null;
	/** A closed plan is kept this long after closing, then deleted once the archive has receipted it. */
	retentionYears: number;
}

export interface FiksArkivSettings {
	/** The endpoint that takes a Fiks Arkiv message (multipart) and answers with the archive's receipt. */
	url: string;
	/** The archive's Fiks account (mottakerKontoId). */
	account: string;
	token: string | undefined;
	integrationId: string | undefined;
	integrationPassword: string | undefined;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
	return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(env.DATA_DIR || './data'),
		origin: env.ORIGIN || undefined,
		redisUrl: env.REDIS_URL || undefined,
		sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 60, env),
		seedDemo: env.SEED_DEMO === 'never' ? 'never' : 'auto',
		collabMaxMessageBytes: int('COLLAB_MAX_MESSAGE_BYTES', 1024 * 1024, env),
		collabIdleUnloadSeconds: int('COLLAB_IDLE_UNLOAD_SECONDS', 30, env),
		collabMaxDocumentBytes: int('COLLAB_MAX_DOCUMENT_BYTES', 8 * 1024 * 1024, env),
		addressHeader: env.ADDRESS_HEADER?.toLowerCase() || undefined,
		xffDepth: int('XFF_DEPTH', 1, env),
		smtpUrl: env.SMTP_URL || undefined,
		mailFrom: env.MAIL_FROM || 'Fellesplan <ikke-svar@fellesplan.invalid>',
		smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
		archiveAdapter: archiveAdapter(env),
		archiveDir: path.resolve(env.ARCHIVE_DIR || './data/archive'),
		fiksArkiv: fiksArkiv(env),
		retentionYears: int('ARCHIVE_RETENTION_YEARS', 10, env)
	};
}

function archiveAdapter(env: NodeJS.ProcessEnv): Config['archiveAdapter'] {
	const raw = env.ARCHIVE_ADAPTER || 'folder';
	if (raw !== 'folder' && raw !== 'fiks') throw new Error(`ARCHIVE_ADAPTER must be folder or fiks, got "${raw}"`);
	return raw;
}

function fiksArkiv(env: NodeJS.ProcessEnv): FiksArkivSettings | null {
	if (env.ARCHIVE_ADAPTER !== 'fiks') return null;
	const url = env.FIKS_ARKIV_URL;
	const account = env.FIKS_ARKIV_ACCOUNT;
	if (!url || !/^https?:\/\//.test(url)) throw new Error('ARCHIVE_ADAPTER=fiks needs FIKS_ARKIV_URL (http or https)');
	if (!account) throw new Error("ARCHIVE_ADAPTER=fiks needs FIKS_ARKIV_ACCOUNT (the archive's Fiks account id)");
	return {
		url,
		account,
		token: env.FIKS_ARKIV_TOKEN || undefined,
		integrationId: env.FIKS_ARKIV_INTEGRATION_ID || undefined,
		integrationPassword: env.FIKS_ARKIV_INTEGRATION_PASSWORD || undefined
	};
}
