// postinstall: guards postgres.js 3.4.x against a process crash when PostgreSQL drops a connection.
// A small write is deferred with setImmediate; when the socket closes first, `nextWrite` calls `socket.write` on
// null and throws outside any promise, taking the whole node down (porsager/postgres#1154, #1208; the fix in
// the open PR #1168 is this guard). The query itself has already been rejected with CONNECTION_CLOSED, so the
// buffered bytes are moot: the sync server retries its write, and the node keeps serving.
// Idempotent; remove once a postgres release carries the guard.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const MARK = '/* fellesplan: null-socket guard */';
const FROM = '  function nextWrite(fn) {\n';
const TO = `  function nextWrite(fn) {\n    ${MARK} if (socket === null) { nextWriteTimer !== null && clearImmediate(nextWriteTimer); chunk = nextWriteTimer = null; return false }\n`;
let patched = 0;
for (const file of ['src', 'cjs/src', 'cf/src'].map((d) => `node_modules/postgres/${d}/connection.js`)) {
	if (!existsSync(file)) continue;
	const text = readFileSync(file, 'utf8');
	if (text.includes(MARK)) continue;
	if (!text.includes(FROM)) {
		console.warn(
			`patch-postgres: ${file} has no nextWrite as expected; left unchanged (check whether the guard is still needed)`
		);
		continue;
	}
	writeFileSync(file, text.replace(FROM, TO));
	patched++;
}
if (patched) console.log(`patch-postgres: guarded nextWrite in ${patched} file(s)`);
