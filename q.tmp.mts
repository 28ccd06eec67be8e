import { PGlite } from '@electric-sql/pglite';
const c = await PGlite.create('/tmp/np-copy');
console.log((await c.query("select type, state, count(*) from notify_jobs group by 1,2")).rows);
console.log((await c.query("select kind, count(*) from notifications group by 1")).rows);
console.log((await c.query("select dedupe_key, last_error from notify_jobs where state <> 'done' limit 5")).rows);
