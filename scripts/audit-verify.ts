// `npm run audit:verify`: checks the whole access log's hash chain and names the first row that breaks it.
import { verifyAuditChain } from '../src/lib/server/audit/verify';
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
	const report = await verifyAuditChain(database.db);
	const before = report.unsealed > 0 ? ` (${report.unsealed} older rows from before the chain were not checked)` : '';
	if (report.broken) {
		const what = {
			changed: 'its content does not match its hash',
			'missing-before': 'the row before it is missing or was replaced',
			'unsealed-inside': 'it carries no hash'
		}[report.broken.why];
		console.error(
			`audit log BROKEN at row ${report.broken.id}: ${what}. ${report.checked} rows before it hold${before}.`
		);
		process.exitCode = 1;
	} else {
		console.log(`audit log intact: ${report.checked} rows checked${before}.`);
	}
} finally {
	await database.close();
}
