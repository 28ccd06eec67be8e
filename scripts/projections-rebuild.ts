// `npm run projections:rebuild`: project every stored plan document into SQL again (either engine).
// Safe while the app runs on PostgreSQL; on the embedded PGlite stop the app first (one process per data folder).
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { rebuildProjections } from '../src/lib/server/projections';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const started = performance.now();
const totals = await rebuildProjections(database.db);
console.log(
	`Projected ${totals.documents} plan documents (${totals.goals} goals, ${totals.measures} measures) in ${Math.round(performance.now() - started)} ms.`
);
await database.close();
