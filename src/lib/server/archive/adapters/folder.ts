import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ARKIVMELDING_FILE } from '../arkivmelding';
import type { ArchiveAdapter, ArchivePackage, ArchiveReceipt } from './types';

async function writeDurably(file: string, data: string | Buffer): Promise<void> {
	const handle = await open(file, 'w', 0o640);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

async function syncDir(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

const exists = (p: string) =>
	stat(p).then(
		() => true,
		() => false
	);

/**
 * Deliveries as folders under `dir` (the archive, or its import job, picks them up). A delivery is written to a
 * hidden `.partial` folder, synced, then renamed into place: a folder with its name is always whole. A delivery
 * already in place (a retry after a crash between the rename and recording the receipt) is not written twice.
 */
export function folderAdapter(dir: string): ArchiveAdapter {
	return {
		name: 'folder',
		async deliver(pkg: ArchivePackage): Promise<ArchiveReceipt> {
			await mkdir(dir, { recursive: true, mode: 0o750 });
			const target = path.join(dir, pkg.name);
			if (!(await exists(path.join(target, ARKIVMELDING_FILE)))) {
				const partial = path.join(dir, `.${pkg.name}.partial`);
				await rm(partial, { recursive: true, force: true });
				await mkdir(partial, { mode: 0o750 });
				for (const file of pkg.files) await writeDurably(path.join(partial, file.name), file.bytes);
				// The arkivmelding last: an importer that waits for it finds every file it names.
				await writeDurably(path.join(partial, ARKIVMELDING_FILE), pkg.arkivmelding);
				await syncDir(partial);
				await rename(partial, target);
				await syncDir(dir);
			}
			return { adapter: 'folder', reference: pkg.name, receivedAt: new Date().toISOString() };
		}
	};
}
