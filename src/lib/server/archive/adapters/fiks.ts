import { create } from 'xmlbuilder2';
import type { FiksArkivSettings } from '../../config';
import { ARKIVMELDING_FILE, ARKIVMELDING_MESSAGE_TYPE } from '../arkivmelding';
import { ArchiveDeliveryError, type ArchiveAdapter, type ArchivePackage, type ArchiveReceipt } from './types';

/** How long one delivery may take before it counts as failed (and is retried). */
const TIMEOUT_MS = 120_000;

/** The first child element of `parent` with this local name (any namespace prefix). */
function child(parent: Node | null, name: string): Element | null {
	for (const node of Array.from(parent?.childNodes ?? []))
		if (node.nodeType === 1 && (node as Element).localName === name) return node as Element;
	return null;
}

/**
 * The archive's answer, a Fiks Arkiv `arkivmeldingKvittering`: the case file's and the registry entry's system ids.
 * A refusal (`mappeFeilet`, `registreringFeilet`) or anything else is an error, and the delivery is retried.
 */
export function parseReceipt(xml: string): { caseSystemId: string; recordSystemId: string } {
	let root: Element | null;
	try {
		root = create(xml).root().node as unknown as Element;
	} catch {
		throw new ArchiveDeliveryError('BAD_RECEIPT');
	}
	if (root?.localName !== 'arkivmeldingKvittering') throw new ArchiveDeliveryError('BAD_RECEIPT');
	if (child(root, 'mappeFeilet') || child(root, 'registreringFeilet'))
		throw new ArchiveDeliveryError('ARCHIVE_REFUSED');
	const caseSystemId = child(child(root, 'mappeKvittering'), 'systemID')?.textContent?.trim();
	const recordSystemId = child(child(root, 'registreringKvittering'), 'systemID')?.textContent?.trim();
	if (!caseSystemId || !recordSystemId) throw new ArchiveDeliveryError('BAD_RECEIPT');
	return { caseSystemId, recordSystemId };
}

/**
 * KS Fiks Arkiv over HTTP: one multipart POST per delivery to `settings.url` — a part `melding` (JSON: the message
 * type `no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett`, the archive's account, our delivery id as the client's
 * message id), the arkivmelding, and the files — authenticated with a bearer token and Fiks' integration headers
 * when set. The answer is the archive's receipt (`arkivmeldingKvittering`). Fiks IO itself is AMQP with encrypted
 * ASiC-E payloads; this speaks to the HTTP gateway in front of it that the municipality's integration runs.
 */
export function fiksArkivAdapter(settings: FiksArkivSettings, fetchImpl: typeof fetch = fetch): ArchiveAdapter {
	return {
		name: 'fiks',
		async deliver(pkg: ArchivePackage): Promise<ArchiveReceipt> {
			const form = new FormData();
			const message = {
				meldingType: ARKIVMELDING_MESSAGE_TYPE,
				mottakerKontoId: settings.account,
				klientMeldingId: pkg.deliveryId
			};
			form.append('melding', new Blob([JSON.stringify(message)], { type: 'application/json' }), 'melding.json');
			form.append(ARKIVMELDING_FILE, new Blob([pkg.arkivmelding], { type: 'application/xml' }), ARKIVMELDING_FILE);
			for (const file of pkg.files)
				form.append(file.name, new Blob([new Uint8Array(file.bytes)], { type: 'application/pdf' }), file.name);
			const headers: Record<string, string> = { accept: 'application/xml' };
			if (settings.token) headers.authorization = `Bearer ${settings.token}`;
			if (settings.integrationId) headers.IntegrasjonId = settings.integrationId;
			if (settings.integrationPassword) headers.IntegrasjonPassord = settings.integrationPassword;
			let response: Response;
			try {
				response = await fetchImpl(settings.url, {
					method: 'POST',
					body: form,
					headers,
					signal: AbortSignal.timeout(TIMEOUT_MS)
				});
			} catch (err) {
				const code = (err as { cause?: { code?: unknown } }).cause?.code;
				throw new ArchiveDeliveryError(typeof code === 'string' ? code : 'NETWORK');
			}
			if (!response.ok) throw new ArchiveDeliveryError(`HTTP_${response.status}`);
			const { caseSystemId, recordSystemId } = parseReceipt(await response.text());
			return {
				adapter: 'fiks',
				reference: recordSystemId,
				caseSystemId,
				recordSystemId,
				receivedAt: new Date().toISOString()
			};
		}
	};
}
