// `npm run db:migrate`: apply drizzle/ to the configured database (DATABASE_URL, or the embedded store in DATA_DIR).
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
console.log(`migrations applied (${database.engine})`);
await database.close();
