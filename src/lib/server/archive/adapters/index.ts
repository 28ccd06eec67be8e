import type { Config } from '../../config';
import { fiksArkivAdapter } from './fiks';
import { folderAdapter } from './folder';
import type { ArchiveAdapter } from './types';

export { ArchiveDeliveryError, type ArchiveAdapter, type ArchivePackage, type ArchiveReceipt } from './types';
export { folderAdapter } from './folder';
export { fiksArkivAdapter, parseReceipt } from './fiks';

/** The adapter the settings name: the folder by default, Fiks Arkiv when `ARCHIVE_ADAPTER=fiks`. */
export function adapterFrom(config: Pick<Config, 'archiveAdapter' | 'archiveDir' | 'fiksArkiv'>): ArchiveAdapter {
	if (config.archiveAdapter === 'fiks') {
		if (!config.fiksArkiv) throw new Error('ARCHIVE_ADAPTER=fiks needs the FIKS_ARKIV_* settings');
		return fiksArkivAdapter(config.fiksArkiv);
	}
	return folderAdapter(config.archiveDir);
}
