import type { ArchiveFile } from '../documents';

/** What one delivery hands an adapter: the files and the arkivmelding describing them. */
export interface ArchivePackage {
	deliveryId: string;
	/** The delivery's folder or message name: a time and the delivery's id, nothing about the person. */
	name: string;
	arkivmelding: string;
	files: ArchiveFile[];
}

/** What the archive (or the folder) confirmed: its references to the delivery. Stored with the delivery. */
export interface ArchiveReceipt extends Record<string, string> {
	adapter: string;
	/** The archive's reference to the registry entry (or the folder written). */
	reference: string;
	receivedAt: string;
}

/** A way into the municipality's archive. `deliver` resolves with the receipt, or throws (the delivery is retried). */
export interface ArchiveAdapter {
	readonly name: string;
	deliver(pkg: ArchivePackage): Promise<ArchiveReceipt>;
}

/** A delivery that did not go through, with a code for the queue and the administrator (never content). */
export class ArchiveDeliveryError extends Error {
	constructor(readonly code: string) {
		super(`archive delivery failed: ${code}`);
		this.name = 'ArchiveDeliveryError';
	}
}
