import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { WebSocketServer } from 'ws';
import type { Db } from '../db';
import { docAccess } from '../access/plans';
import { parseLiveDocName } from '../../plan/schema';
import type { Actor } from '../../plan/rights';
import { recordAudit } from '../audit';
import { sessionTokenFromCookieHeader, validateSessionToken, type SessionUser } from '../auth/session';
import { CLOSE } from '../../sync/close-codes';
import type { Admission } from './limits';
import type { AccessLevel, CollabLogger } from './types';

export const COLLAB_PATH_PREFIX = '/collab/';

/** Who connected to what, as established during the upgrade. */
export interface AcceptedUpgrade {
	user: SessionUser;
	sessionId: string;
	docName: string;
	planId: string;
	access: AccessLevel;
	/** The person's roles and services in the plan, for the rights inside the document. */
	actor: Actor;
	/** When this access next changes by itself (a consent or seat runs out): the socket is rechecked then. */
	accessChangesAt: Date | null;
	address: string;
	/** The `doc.open` audit record being written; the document is not served until it is. */
	audited: Promise<void>;
}

export interface UpgradeDeps {
	db: Db;
	wss: WebSocketServer;
	log: CollabLogger;
	/** The configured public origin (ORIGIN), if any. */
	origin: string | undefined;
	/** adapter-node's ADDRESS_HEADER and XFF_DEPTH: where the client's address is, behind a proxy. */
	addressHeader: string | undefined;
	xffDepth: number;
	admission: Admission;
	sessionIdleMs: number;
	/** False once the server is closing: new sockets are refused with 1001. */
	isOpen(): boolean;
	accept(ws: WebSocket, upgrade: AcceptedUpgrade): void;
}

/**
 * `/collab/<docName>` as the stock client builds it (room name appended raw) or percent-encoded.
 * Returns undefined for other paths, null for an unreadable name.
 */
export function docNameFromUrl(url: string | undefined): string | null | undefined {
	if (!url) return undefined;
	let pathname: string;
	try {
		pathname = new URL(url, 'http://collab.invalid').pathname;
	} catch {
		return url.startsWith(COLLAB_PATH_PREFIX) ? null : undefined;
	}
	if (!pathname.startsWith(COLLAB_PATH_PREFIX)) return undefined;
	try {
		return decodeURIComponent(pathname.slice(COLLAB_PATH_PREFIX.length));
	} catch {
		return null;
	}
}

/**
 * A browser always sends `Origin`; a foreign one means another site is driving the user's cookie
 * (cross-site WebSocket hijacking). No `Origin` is a non-browser client, which still needs the cookie.
 * With ORIGIN set, that origin is the only one: the `Host` header is the client's to choose, so it proves nothing.
 * Without it (served directly), the page and the socket share a host.
 */
export function originAllowed(
	originHeader: string | undefined,
	hostHeader: string | undefined,
	configured: string | undefined
): boolean {
	if (originHeader === undefined) return true;
	let origin: URL;
	try {
		origin = new URL(originHeader);
	} catch {
		return false;
	}
	if (configured) {
		try {
			return new URL(configured).origin === origin.origin;
		} catch {
			return false;
		}
	}
	return !!hostHeader && origin.host.toLowerCase() === hostHeader.toLowerCase();
}

/** The client's address as adapter-node reads it: from ADDRESS_HEADER (the XFF_DEPTH-th from the right) or the socket. */
export function clientAddress(req: IncomingMessage, header: string | undefined, xffDepth: number): string {
	if (header) {
		const raw = req.headers[header];
		const value = Array.isArray(raw) ? raw[0] : raw;
		if (value) {
			if (header !== 'x-forwarded-for') return value.trim();
			const addresses = value.split(',').map((a) => a.trim());
			return addresses[Math.max(0, addresses.length - xffDepth)] ?? addresses[0];
		}
	}
	return req.socket.remoteAddress ?? 'unknown';
}

/**
 * The HTTP `upgrade` handler. Returns false (and leaves the socket alone) for paths outside `/collab/`.
 * A refusal is an accepted WebSocket closed at once with 4401, 4403 or 4429, so the client knows why.
 */
export function createUpgradeHandler(
	deps: UpgradeDeps
): (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
	const { db, wss, log } = deps;

	const refuse = (req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string) => {
		if (socket.destroyed) return;
		wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, reason));
	};

	const denied = (actorId: string, docName: string | null, planId: string | null, reason: string) =>
		recordAudit(db, {
			actorId,
			action: 'doc.denied',
			planId,
			// A name we could not parse is user input, not an id: it is not recorded.
			target: planId ? docName : null,
			detail: { reason }
		}).catch((err) => log.error({ err }, 'collab: audit write failed'));

	async function authorize(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string | null): Promise<void> {
		if (!deps.isOpen()) return refuse(req, socket, head, CLOSE.goingAway, 'server shutting down');
		const address = clientAddress(req, deps.addressHeader, deps.xffDepth);
		// Before any database work: an address that keeps failing, or holds too many sockets, waits.
		if (deps.admission.addressRefused(address)) {
			log.info({ reason: 'address-limit' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.rateLimited, 'too many connections');
		}
		if (!originAllowed(req.headers.origin, req.headers.host, deps.origin)) {
			deps.admission.failed(address);
			log.info({ reason: 'origin' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.forbidden, 'origin not allowed');
		}
		const auth = await validateSessionToken(db, sessionTokenFromCookieHeader(req.headers.cookie), deps.sessionIdleMs);
		if (!auth) {
			deps.admission.failed(address);
			log.info({ reason: 'unauthenticated' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.unauthenticated, 'unauthenticated');
		}
		const userId = auth.user.id;
		if (deps.admission.userRefused(userId)) {
			log.info({ user: userId, reason: 'user-limit' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.rateLimited, 'too many connections');
		}
		const parsed = docName ? parseLiveDocName(docName) : null;
		if (!docName || !parsed) {
			await denied(userId, null, null, 'unknown-document');
			log.info({ user: userId, reason: 'unknown-document' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.forbidden, 'unknown document');
		}
		// A meeting's minutes name the meeting, not the plan: the plan id comes from the access check.
		const { level: access, changesAt, actor, planId } = await docAccess(db, userId, docName);
		if (access === 'none' || !planId) {
			await denied(userId, docName, planId, 'no-access');
			log.info({ user: userId, doc: docName, reason: 'no-access' }, 'collab: upgrade refused');
			return refuse(req, socket, head, CLOSE.forbidden, 'forbidden');
		}
		if (socket.destroyed) return;
		const audited = recordAudit(db, {
			actorId: userId,
			action: 'doc.open',
			planId,
			target: docName,
			detail: { access }
		});
		audited.catch(() => {}); // handled by whoever awaits it
		wss.handleUpgrade(req, socket, head, (ws) =>
			deps.accept(ws, {
				user: auth.user,
				sessionId: auth.session.id,
				docName,
				planId,
				access,
				actor,
				accessChangesAt: changesAt,
				address,
				audited
			})
		);
	}

	return (req, socket, head) => {
		const docName = docNameFromUrl(req.url);
		if (docName === undefined) return false;
		// Until `ws` owns the socket, a reset must not become an uncaught error.
		const onSocketError = (err: Error) =>
			log.debug({ err: { message: err.message } }, 'collab: socket error during upgrade');
		socket.on('error', onSocketError);
		authorize(req, socket, head, docName)
			.catch((err) => {
				log.error({ err }, 'collab: upgrade failed');
				try {
					refuse(req, socket, head, CLOSE.internalError, 'internal error');
				} catch {
					socket.destroy();
				}
			})
			.finally(() => socket.off('error', onSocketError));
		return true;
	};
}
