// `npm run seed:demo`: put the fictional demo municipality into an empty database (either engine).
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { printDemoLogins, seedDemoIfEmpty } from '../src/lib/server/seed/demo';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const seeded = await seedDemoIfEmpty(database.db);
if (seeded) printDemoLogins(seeded.logins);
else console.log('The database already has users; nothing seeded.');
await database.close();
